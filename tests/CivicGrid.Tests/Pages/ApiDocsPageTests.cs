using CivicGrid.Infrastructure.Data;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CivicGrid.Tests.Pages;

/// <summary>The interactive API docs render offline: every script and style comes from the app.</summary>
public sealed class ApiDocsPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_api_docs_render_the_divisions_endpoints_without_leaving_the_machine()
    {
        await using var app = await CivicGridApp.StartOnSocketAsync(DatabaseProvider.Sqlite);
        var chromium = await browser.BrowserAsync();
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var origin = app.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        var outside = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                outside.Add(request.Url);
            }
        };

        await page.GotoAsync(origin + "/docs");
        await page.GetByText("CivicGrid 网格智治 API").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        (await page.ContentAsync()).Should().Contain("/api/v1/divisions");

        var screenshots = Environment.GetEnvironmentVariable("CIVICGRID_SCREENSHOTS");
        if (!string.IsNullOrEmpty(screenshots))
        {
            Directory.CreateDirectory(screenshots);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "docs.png") });
        }
        outside.Should().BeEmpty("the docs must work on an intranet with no internet");
    }
}
