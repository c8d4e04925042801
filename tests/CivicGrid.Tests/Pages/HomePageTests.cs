using CivicGrid.Infrastructure.Data;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CivicGrid.Tests.Pages;

/// <summary>The home page in a real headless Chromium, served on a real socket.</summary>
public sealed class HomePageTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_home_page_renders_in_chinese_and_switches_to_english()
    {
        await using var app = await CivicGridApp.StartOnSocketAsync(DatabaseProvider.Sqlite);
        var chromium = await browser.BrowserAsync();
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        var failed = new List<string>();
        page.RequestFailed += (_, request) => failed.Add(request.Url);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                failed.Add(message.Text);
            }
        };

        await page.SignInAsync(app);
        var response = await page.GotoAsync(app.ClientOptions.BaseAddress.ToString());
        response!.Status.Should().Be(200);
        (await page.TitleAsync()).Should().Be("首页 · 网格智治");
        (await page.Locator("#division-count").InnerTextAsync()).Should().Be("15,938", "an Inner Mongolia administrator counts Inner Mongolia only (16,325 with Shaanxi)");
        (await page.Locator("#grid-count").InnerTextAsync()).Should().Be("1,391");
        var bootstrapApplied = await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('nav')).display");
        bootstrapApplied.Should().Be("flex", "the vendored Bootstrap CSS must load from the app itself");

        var screenshots = Environment.GetEnvironmentVariable("CIVICGRID_SCREENSHOTS");
        if (!string.IsNullOrEmpty(screenshots))
        {
            Directory.CreateDirectory(screenshots);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "home-zh-CN.png"), FullPage = true });
        }

        await page.ClickAsync("a[lang=en]");
        await page.WaitForURLAsync(app.ClientOptions.BaseAddress.ToString());
        (await page.TitleAsync()).Should().Be("Home · CivicGrid");
        failed.Should().BeEmpty("every asset is served by the app and no script fails");
    }
}
