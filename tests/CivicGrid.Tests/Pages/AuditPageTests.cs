using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CivicGrid.Tests.Pages;

/// <summary>The auditors' page in a real headless Chromium.</summary>
public sealed class AuditPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_admin_sees_the_sign_ins_filters_by_action_and_verifies_the_chain()
    {
        await using var app = await CivicGridApp.StartOnSocketAsync(DatabaseProvider.Sqlite,
            new Dictionary<string, string?> { ["Demo:SeedOnStart"] = "false" });
        var origin = app.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        var chromium = await browser.BrowserAsync();
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };
        await page.SignInAsync(app);

        await page.ClickAsync("#nav-audit");
        await page.WaitForURLAsync($"{origin}/audit");
        var actions = await page.Locator("#audit-records tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.action)");
        actions.Should().Contain("auth.sign_in").And.Contain("users.create");
        (await page.Locator("#audit-records tbody tr[data-action='auth.sign_in']").First.InnerTextAsync()).Should().Contain("t-admin-15");

        await page.FillAsync("#audit-action", "auth.sign_in");
        await page.ClickAsync("#audit-search");
        await page.WaitForURLAsync(url => url.Contains("action=auth.sign_in", StringComparison.Ordinal));
        actions = await page.Locator("#audit-records tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.action)");
        actions.Should().NotBeEmpty().And.OnlyContain(a => a == "auth.sign_in");
        (await page.GetAttributeAsync("#audit-export", "href")).Should().Be("/api/v1/audit/export?action=auth.sign_in");

        await page.ClickAsync("#audit-verify");
        await page.WaitForSelectorAsync("#audit-verification");
        (await page.GetAttributeAsync("#audit-verification", "data-intact")).Should().Be("true");
        problems.Should().BeEmpty();

        await using var workerContext = await chromium.NewContextAsync();
        var worker = await workerContext.NewPageAsync();
        await worker.SignInAsync(app, Roles.GridWorker, "150203003001001");
        (await worker.Locator("#nav-audit").CountAsync()).Should().Be(0);
        (await worker.GotoAsync($"{origin}/audit"))!.Status.Should().Be(403);
    }
}
