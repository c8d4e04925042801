using CivicGrid.Modules.Identity.Contracts;
using Microsoft.Playwright;

namespace CivicGrid.Tests.Infrastructure;

/// <summary>Signs a Chromium page in through the real sign-in form.</summary>
public static class PageSignIn
{
    /// <summary>Creates (once) a user holding <paramref name="role"/> over <paramref name="jurisdiction"/> and signs the page in as it.</summary>
    public static async Task SignInAsync(this IPage page, CivicGridApp app, string role = Roles.Admin, string jurisdiction = "15")
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(app);
        var userName = $"t-{role}-{jurisdiction}";
        (await app.ClientAsAsync(role, jurisdiction, userName)).Dispose();
        var origin = app.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        await page.GotoAsync($"{origin}/account/login");
        await page.FillAsync("#UserName", userName);
        await page.FillAsync("#Password", CivicGridApp.TestPassword);
        await page.ClickAsync("button[type=submit]");
        // The redirect home is what signing in does; the tests wait for what they need on their next page.
        await page.WaitForURLAsync($"{origin}/", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
    }
}
