using Microsoft.Playwright;

namespace CivicGrid.Tests.Infrastructure;

/// <summary>What a page test watches for: failed or refused requests, requests leaving the app, console errors, script errors.</summary>
public static class PageProblems
{
    /// <summary>Starts collecting the problems of <paramref name="page"/>; the list fills as the page runs.</summary>
    public static List<string> Watch(IPage page, string origin)
    {
        ArgumentNullException.ThrowIfNull(page);
        var problems = new List<string>();
        page.RequestFailed += (_, request) => problems.Add($"failed: {request.Url}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                problems.Add($"{response.Status}: {response.Url}");
            }
        };
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                problems.Add($"outside: {request.Url}");
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"script: {error}");
        return problems;
    }

    /// <summary>A screenshot into <c>CIVICGRID_SCREENSHOTS</c>, when that is set.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = Environment.GetEnvironmentVariable("CIVICGRID_SCREENSHOTS");
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = fullPage });
        }
    }
}
