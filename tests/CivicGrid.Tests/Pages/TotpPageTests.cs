using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Auth;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CivicGrid.Tests.Pages;

/// <summary>Two-step sign-in in a real headless Chromium: enrolment forced by the role, then the code step.</summary>
public sealed class TotpPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_required_role_enrols_at_first_sign_in_and_then_signs_in_with_a_code()
    {
        await using var app = await CivicGridApp.StartOnSocketAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Demo:SeedOnStart"] = "false",
            ["Identity:RequireTotpForRoles"] = "centre",
        });
        var origin = app.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<IUserAccounts>();
            (await accounts.CreateAsync("centre.auditor", new RoleGrant(Roles.Centre, "150203"), CivicGridApp.TestPassword, cancellationToken: TestContext.Current.CancellationToken)).IsSuccess.Should().BeTrue();
        }
        var chromium = await browser.BrowserAsync();
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" });
        var page = await context.NewPageAsync();

        async Task PasswordAsync()
        {
            await page.GotoAsync($"{origin}/account/login?returnUrl=%2Faudit");
            await page.FillAsync("#UserName", "centre.auditor");
            await page.FillAsync("#Password", CivicGridApp.TestPassword);
            await page.ClickAsync("button[type=submit]");
        }

        await PasswordAsync();
        await page.WaitForURLAsync(url => url.StartsWith($"{origin}/account/totp", StringComparison.Ordinal));
        (await page.Locator("#signed-in-user").CountAsync()).Should().Be(0, "no session before enrolling");
        var grouped = await page.Locator("#totp-secret").InnerTextAsync();
        grouped.Should().MatchRegex("^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$");
        (await page.Locator("#totp-uri").InnerTextAsync()).Should().StartWith("otpauth://totp/CivicGrid:centre.auditor?secret=");
        var secret = Totp.FromBase32(grouped.Replace(" ", "", StringComparison.Ordinal));
        var step = Totp.StepAt(TimeProvider.System.GetUtcNow());
        await page.FillAsync("#Code", Totp.Compute(secret, step));
        await page.ClickAsync("#totp-enable");
        await page.WaitForURLAsync($"{origin}/audit");
        (await page.Locator("#signed-in-user").InnerTextAsync()).Should().Be("centre.auditor");

        await page.ClickAsync("form[action='/account/logout'] button");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await PasswordAsync();
        await page.WaitForSelectorAsync("#login-otp");
        await page.FillAsync("#Code", Totp.Compute(secret, step + 1));
        await page.ClickAsync("#login-otp button[type=submit]");
        await page.WaitForURLAsync($"{origin}/audit");
        (await page.Locator("#audit-records tbody tr[data-action='auth.totp_enabled']").CountAsync()).Should().Be(1);
    }
}
