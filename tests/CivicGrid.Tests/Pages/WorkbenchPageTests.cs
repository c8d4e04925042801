using System.Globalization;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Cases;
using CivicGrid.Tests.Files;
using CivicGrid.Tests.Infrastructure;
using CivicGrid.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CivicGrid.Tests.Pages;

/// <summary>
/// The grid worker's offline workbench (/m/) in a headless Chromium at a phone's width, with its
/// service worker: work done offline arrives exactly once, a case changed meanwhile is a conflict
/// shown with the server's state, and an expired session keeps the queue until the worker signs in.
/// </summary>
public sealed class WorkbenchPageTests(BrowserFixture browser)
{
    private const string Kundulun = "150203";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Offline_a_patrol_report_with_a_photo_and_a_visit_arrive_exactly_once_when_the_link_returns(DatabaseProvider provider)
    {
        var settings = new Dictionary<string, string?>(HousesApiTests.Keys()) { ["Demo:Persons"] = "300" };
        await using var app = await CivicGridApp.StartOnSocketAsync(provider, settings);
        var origin = app.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        var (grid, lon, lat) = await GridWithHouseholdsAsync(app);
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);

        await using var context = await PhoneAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.SignInAsync(app, Roles.GridWorker, grid);

        // Linked from the home page; installable (manifest, icons); its service worker takes over /m/.
        await page.ClickAsync("#home-workbench");
        await page.WaitForURLAsync($"{origin}/m/");
        await ReadyAsync(page);
        var manifest = JsonDocument.Parse(await page.EvaluateAsync<string>(
            "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.text())")).RootElement;
        manifest.GetProperty("start_url").GetString().Should().Be("/m/");
        manifest.GetProperty("scope").GetString().Should().Be("/m/");
        manifest.GetProperty("icons").EnumerateArray().Select(i => i.GetProperty("sizes").GetString()).Should().Contain(["192x192", "512x512"]);
        (await page.Locator("#wb-households li").CountAsync()).Should().BeGreaterThan(0, "the grid's households are kept for visits");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(360, "the workbench fits a phone");
        await PageProblems.ScreenshotAsync(page, "workbench-today.png", fullPage: true);
        await page.ClickAsync("#wb-font-up");
        (await page.EvaluateAsync<string>("getComputedStyle(document.documentElement).fontSize")).Should().Be("18px", "the font size setting");

        // The link drops; even a reload comes from the service worker.
        await context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await UntilAsync(page, "document.getElementById('wb-user').textContent.length > 0");
        (await page.Locator("#wb-offline").IsVisibleAsync()).Should().BeTrue();
        (await page.EvaluateAsync<string>("getComputedStyle(document.documentElement).fontSize")).Should().Be("18px", "the setting is kept");

        // A patrol report with a photo, shrunk and queued.
        await page.ClickAsync("a[data-view=report]");
        await page.SelectOptionAsync("#wb-category", "0301");
        await page.FillAsync("#wb-description", "离线巡查：垃圾桶满溢");
        await page.SetInputFilesAsync("#wb-photo", new FilePayload
        {
            Name = "street.jpg",
            MimeType = "image/jpeg",
            Buffer = TestImages.Jpeg(2400, 1800, new SkiaSharp.SKColor(30, 120, 60)),
        });
        await UntilAsync(page, "document.querySelectorAll('#wb-thumbs img').length === 1");
        await page.ClickAsync(".wb-coords summary");
        await page.FillAsync("#wb-lon", lon.ToString("R", CultureInfo.InvariantCulture));
        await page.FillAsync("#wb-lat", lat.ToString("R", CultureInfo.InvariantCulture));
        await page.ClickAsync("#wb-report-submit");
        await BadgeAsync(page, 1);

        // A visit with a new phone for the first resident.
        await page.ClickAsync("a[data-view=visit]");
        await page.Locator("#wb-households li button").First.ClickAsync();
        await page.FillAsync("#wb-visit-notes", "离线走访：一切正常");
        await page.Locator("#wb-visit-residents input[name=phone]").First.FillAsync("13912340001");
        var newUse = await page.InputValueAsync("#wb-visit-use") == "Vacant" ? "Rented" : "Vacant";
        await page.SelectOptionAsync("#wb-visit-use", newUse);
        await page.ClickAsync("#wb-visit-submit");
        await BadgeAsync(page, 3);
        (await page.Locator("#wb-pending").InnerTextAsync()).Should().Be("3 条待发送");
        (await page.Locator("#wb-queue li").CountAsync()).Should().Be(3, "the report, the visit and the house's use");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(360);
        await PageProblems.ScreenshotAsync(page, "workbench-queue.png", fullPage: true);
        (await CountAsync(worker, $"/api/v1/visits?within={grid}")).Should().Be(0, "nothing left the phone yet");

        // Back online, on a link that loses the first answer to the report (the case is made, the phone never hears):
        // the photo is not uploaded again, the report is sent again with its key, and each arrives once.
        var posts = new List<string>();
        context.Request += (_, request) =>
        {
            if (request.Method == "POST")
            {
                posts.Add(new Uri(request.Url).AbsolutePath);
            }
        };
        var lost = 0;
        await context.RouteAsync("**/api/v1/cases", async route =>
        {
            if (route.Request.Method == "POST" && Interlocked.Increment(ref lost) == 1)
            {
                await route.FetchAsync();
                await route.AbortAsync();
                return;
            }
            await route.ContinueAsync();
        });
        await context.SetOfflineAsync(false);
        await UntilAsync(page, "document.querySelector('#wb-queue li[data-kind=case][data-attempts=\"1\"]') !== null");
        (await CasesAsync(worker, grid, "离线巡查：垃圾桶满溢")).Should().ContainSingle("the server made the case; its answer was lost");
        await page.ClickAsync("#wb-sync");
        await BadgeAsync(page, 0);
        posts.Count(p => p == "/api/v1/files").Should().Be(1, "the photo's file id was kept for the retry");
        posts.Count(p => p == "/api/v1/cases").Should().Be(2);
        posts.Should().Contain("/api/v1/visits").And.Contain(p => p.StartsWith("/api/v1/workbench/houses/", StringComparison.Ordinal));
        (await page.Locator("#wb-conflicts li").CountAsync()).Should().Be(0);

        var reported = await CasesAsync(worker, grid, "离线巡查：垃圾桶满溢");
        reported.Should().ContainSingle("the report arrived exactly once");
        var detail = await (await worker.GetPathAsync($"/api/v1/cases/{reported[0].GetProperty("id").GetString()}")).JsonAsync();
        detail.GetProperty("photoIds").GetArrayLength().Should().Be(1, "with its photo");
        detail.GetProperty("channel").GetString().Should().Be("patrol");
        var photo = await worker.GetAsync(new Uri($"/api/v1/files/{detail.GetProperty("photoIds")[0].GetString()}", UriKind.Relative), Ct);
        photo.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        var visits = await (await worker.GetPathAsync($"/api/v1/visits?within={grid}")).JsonAsync();
        visits.GetProperty("total").GetInt32().Should().Be(1, "the visit arrived exactly once");
        visits.GetProperty("items")[0].GetProperty("notes").GetString().Should().Be("离线走访：一切正常");
        visits.GetProperty("items")[0].GetProperty("personsChanged").GetInt32().Should().Be(1);
        var house = await (await worker.GetPathAsync($"/api/v1/houses/{visits.GetProperty("items")[0].GetProperty("houseId").GetString()}")).JsonAsync();
        house.GetProperty("house").GetProperty("use").GetString().Should().Be(newUse, "the house's use changed at the door");

        // A second sync sends nothing.
        posts.Clear();
        await page.ClickAsync("a[data-view=queue]");
        await page.ClickAsync("#wb-sync");
        await UntilAsync(page, "document.getElementById('wb-sync-state').textContent === ''");
        posts.Should().BeEmpty();
        (await CasesAsync(worker, grid, "离线巡查：垃圾桶满溢")).Should().ContainSingle();
        (await CountAsync(worker, $"/api/v1/visits?within={grid}")).Should().Be(1);
        errors.Should().BeEmpty();
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_step_on_a_case_changed_meanwhile_is_a_conflict_and_an_expired_session_keeps_the_queue_until_sign_in(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartOnSocketAsync(provider, new Dictionary<string, string?> { ["Demo:Persons"] = "0" });
        var origin = app.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        var (township, _) = await CaseApiTests.TownshipsAsync(app);
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var workerName = $"t-{Roles.GridWorker}-{grid}";
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var created = await (await worker.PostJsonAsync("/api/v1/cases",
            new { categoryCode = "0301", lon, lat, description = "井盖破损需要更换" })).JsonAsync();
        var caseId = created.GetProperty("id").GetString()!;
        await CaseApiTests.ActAsync(staff, caseId, "accept", new { }, "accepted");
        await CaseApiTests.ActAsync(staff, caseId, "dispatch", new { assignee = workerName }, "dispatched");

        await using var context = await PhoneAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync(app, Roles.GridWorker, grid);
        await page.GotoAsync($"{origin}/m/");
        await ReadyAsync(page);
        var item = page.Locator($"#wb-cases li[data-case='{caseId}']");
        (await item.InnerTextAsync()).Should().Contain("井盖破损需要更换").And.Contain("绿灯");
        (await page.Locator("#wb-light-green").InnerTextAsync()).Should().Be("绿灯 1");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(360, "a case with its steps fits a phone");
        await PageProblems.ScreenshotAsync(page, "workbench-case.png", fullPage: true);

        // The dispatch notice is among his notices to deliver; marking it done reaches the server.
        await page.ClickAsync("a[data-view=notices]");
        (await page.Locator("#wb-notices li").InnerTextAsync()).Should().Contain(created.GetProperty("number").GetString()!);
        await page.Locator("#wb-notices li button").ClickAsync();
        await page.Locator("#wb-notices-empty").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await BadgeAsync(page, 0);
        (await (await worker.GetPathAsync("/api/v1/notifications/unread-count")).JsonAsync()).GetProperty("unread").GetInt32().Should().Be(0);
        await page.ClickAsync("a[data-view=today]");

        // Offline: he reports the case back and files a patrol report.
        await context.SetOfflineAsync(true);
        await item.Locator("textarea").FillAsync("已更换井盖");
        await item.Locator("button[data-action=report]").ClickAsync();
        await BadgeAsync(page, 1);
        await page.ClickAsync("a[data-view=report]");
        await page.SelectOptionAsync("#wb-category", "0301");
        await page.FillAsync("#wb-description", "离线上报：路灯不亮");
        await page.ClickAsync(".wb-coords summary");
        await page.FillAsync("#wb-lon", lon.ToString("R", CultureInfo.InvariantCulture));
        await page.FillAsync("#wb-lat", lat.ToString("R", CultureInfo.InvariantCulture));
        await page.ClickAsync("#wb-report-submit");
        await BadgeAsync(page, 2);

        // Meanwhile the township takes the case back, and the phone's session expires.
        await CaseApiTests.ActAsync(staff, caseId, "escalate", new { reason = "需要镇里协调" }, "accepted");
        await context.ClearCookiesAsync();

        // Back online: the sync is refused for want of a session; nothing is lost, sign-in is asked.
        await context.SetOfflineAsync(false);
        await page.Locator("#wb-signin").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        (await page.Locator("#wb-signin").InnerTextAsync()).Should().Contain("请重新登录");
        (await page.Locator("#wb-pending").GetAttributeAsync("data-count")).Should().Be("2", "the queue is kept");
        (await CasesAsync(worker, grid, "离线上报：路灯不亮")).Should().BeEmpty();

        // He signs in again ("stay signed in" is preset: a persistent cookie for the refresh lifetime), back to the workbench.
        await page.ClickAsync("#wb-signin-link");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        (await page.IsCheckedAsync("#Remember")).Should().BeTrue();
        await page.FillAsync("#UserName", workerName);
        await page.FillAsync("#Password", CivicGridApp.TestPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{origin}/m/");
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "civicgrid.auth");
        DateTimeOffset.FromUnixTimeSeconds((long)cookie.Expires).Should().BeAfter(TimeProvider.System.GetUtcNow().AddDays(13), "the workbench stays signed in");

        // Sent: the report arrives; the step meets a changed case and is shown as a conflict with the server's state.
        await BadgeAsync(page, 0);
        (await page.Locator("#wb-signin").IsHiddenAsync()).Should().BeTrue();
        (await CasesAsync(worker, grid, "离线上报：路灯不亮")).Should().ContainSingle();
        await page.ClickAsync("a[data-view=queue]");
        var conflict = page.Locator("#wb-conflicts li[data-kind=step][data-outcome=conflict]");
        (await conflict.CountAsync()).Should().Be(1);
        (await conflict.InnerTextAsync()).Should().Contain(created.GetProperty("number").GetString()!).And.Contain("已立案");
        await PageProblems.ScreenshotAsync(page, "workbench-conflict.png", fullPage: true);
        var now = await (await staff.GetPathAsync($"/api/v1/cases/{caseId}")).JsonAsync();
        now.GetProperty("state").GetString().Should().Be("accepted", "the step taken offline did not overwrite the township's");
        now.GetProperty("timeline").EnumerateArray().Should().NotContain(e => e.GetProperty("action").GetString() == "report");

        // Dismissed, it is gone.
        await conflict.Locator("button").ClickAsync();
        await UntilAsync(page, "document.querySelectorAll('#wb-conflicts li').length === 0");

        // Signing out from the phone forgets the day kept for offline use (people's data).
        await page.ClickAsync("#wb-sign-out");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        (await page.EvaluateAsync<bool>("caches.has('civicgrid-data')")).Should().BeFalse();
        (await context.CookiesAsync()).Should().NotContain(c => c.Name == "civicgrid.auth");
    }

    private async Task<IBrowserContext> PhoneAsync()
    {
        var chromium = await browser.BrowserAsync();
        return await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
            ServiceWorkers = ServiceWorkerPolicy.Allow,
        });
    }

    /// <summary>The service worker controls the page and the day's data is shown.</summary>
    private static async Task ReadyAsync(IPage page)
    {
        await UntilAsync(page, "navigator.serviceWorker.controller !== null");
        await UntilAsync(page, "document.getElementById('wb-user').textContent.length > 0");
        await UntilAsync(page, "caches.match('/api/v1/workbench/today').then(kept => kept !== undefined)");
    }

    private static Task BadgeAsync(IPage page, int count) =>
        UntilAsync(page, $"document.getElementById('wb-pending').dataset.count === '{count}'");

    /// <summary>
    /// Polls a condition in the page. (Playwright's WaitForFunction evaluates a string with eval,
    /// which the page's CSP rightly forbids; Evaluate goes through the debugger protocol.)
    /// </summary>
    private static async Task UntilAsync(IPage page, string condition, int seconds = 30)
    {
        var until = TimeProvider.System.GetUtcNow().AddSeconds(seconds);
        while (!await page.EvaluateAsync<bool>(condition))
        {
            if (TimeProvider.System.GetUtcNow() > until)
            {
                throw new TimeoutException($"still false after {seconds} s: {condition}");
            }
            await Task.Delay(100, Ct);
        }
    }

    private static async Task<int> CountAsync(HttpClient client, string url) =>
        (await (await client.GetPathAsync(url)).JsonAsync()).GetProperty("total").GetInt32();

    private static async Task<List<JsonElement>> CasesAsync(HttpClient client, string grid, string description) =>
        [.. (await (await client.GetPathAsync($"/api/v1/cases?within={grid}&pageSize=100")).JsonAsync()).GetProperty("items").EnumerateArray()
            .Where(c => c.GetProperty("description").GetString() == description)];

    /// <summary>A grid with households (the demo seed's) and a point the locator puts in it.</summary>
    private static async Task<(string Grid, double Lon, double Lat)> GridWithHouseholdsAsync(CivicGridApp app)
    {
        var admin = await app.AdminClientAsync(Kundulun);
        var households = await (await admin.GetPathAsync("/api/v1/households?pageSize=200")).JsonAsync();
        var locator = app.Services.GetRequiredService<IGeoLocator>();
        foreach (var grid in households.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("gridCode").GetString()!).Distinct())
        {
            var boundary = await (await admin.GetPathAsync($"/api/v1/divisions/{grid}/boundary")).JsonAsync();
            var geometry = boundary.GetProperty("geometry");
            var ring = geometry.GetProperty("type").GetString() == "MultiPolygon"
                ? geometry.GetProperty("coordinates")[0][0]
                : geometry.GetProperty("coordinates")[0];
            var points = ring.EnumerateArray().Select(p => (Lon: p[0].GetDouble(), Lat: p[1].GetDouble())).ToList();
            var (lon, lat) = (points.Average(p => p.Lon), points.Average(p => p.Lat));
            if (locator.Locate(lon, lat)?.Grid?.Code == grid)
            {
                return (grid, lon, lat);
            }
        }
        throw new InvalidOperationException("no grid with households contains its own centre");
    }
}
