using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

// Measures what a phone downloads to show a page and how long it takes on an emulated slow link.
//
//   URL [URL ...] [--user NAME --password PASS --origin ORIGIN] [--wait SELECTOR] [--runs N]
//       [--profile slow3g|fast3g|none] [--screenshot FILE]
//
// Each run opens a fresh browser context (nothing cached, no service worker yet) at 360 x 740,
// zh-CN. With --user the context first signs in at ORIGIN/account/login (not measured), then
// disables the HTTP cache so the measured load fetches everything again, as a first visit does.
// Throttling is Chromium's own network emulation (DevTools protocol Network.emulateNetworkConditions)
// with the DevTools presets: slow3g = 2,000 ms latency, 400 kbit/s down and up ("Slow 3G");
// fast3g = 562.5 ms, 1.6 Mbit/s down, 750 kbit/s up. Per run it prints:
//   transferred: bytes on the wire (compressed bodies + response headers) of every request the page
//                made until the network was idle, service worker fetches included;
//   usable:      time from navigation start until SELECTOR (--wait, default the page's first form
//                button) is laid out and the page has painted (first contentful paint), whichever is later;
//   dcl / load:  DOMContentLoaded and load event times from the page's Navigation Timing.
var options = PageWeightOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: URL [URL ...] [--user NAME --password PASS --origin ORIGIN] [--wait SELECTOR] [--runs N] [--profile slow3g|fast3g|none] [--screenshot FILE]");
    return 2;
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = Environment.GetEnvironmentVariable("CIVICGRID_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
    Headless = true,
    Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ],
});

var failed = false;
foreach (var url in options.Urls)
{
    var runs = new List<Measurement>();
    for (var run = 0; run < options.Runs; run++)
    {
        var measured = await Measure(browser, url, options, run == 0 ? options.Screenshot : null);
        if (measured is null)
        {
            failed = true;
            break;
        }
        runs.Add(measured);
    }
    if (runs.Count == 0)
    {
        continue;
    }
    var median = runs.OrderBy(r => r.UsableMs).ElementAt(runs.Count / 2);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{url}  profile={options.Profile}  runs={runs.Count}  transferred={median.Bytes / 1024.0:F1} KB in {median.Requests} requests  " +
        $"usable median={median.UsableMs:F0} ms (min {runs.Min(r => r.UsableMs):F0}, max {runs.Max(r => r.UsableMs):F0})  " +
        $"dcl={median.DomContentLoadedMs:F0} ms  load={median.LoadMs:F0} ms"));
    foreach (var (type, bytes) in median.ByType.OrderByDescending(t => t.Value))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {type,-12} {bytes / 1024.0,8:F1} KB"));
    }
}
return failed ? 1 : 0;

static async Task<Measurement?> Measure(IBrowser browser, string url, PageWeightOptions options, string? screenshot)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        Locale = "zh-CN",
        ViewportSize = new ViewportSize { Width = 360, Height = 740 },
        IsMobile = true,
        HasTouch = true,
        DeviceScaleFactor = 2,
        ServiceWorkers = ServiceWorkerPolicy.Allow,
    });
    var page = await context.NewPageAsync();
    if (options.User is { } user)
    {
        await page.GotoAsync($"{options.Origin}/account/login");
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", options.Password ?? string.Empty);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(u => !u.Contains("/account/login", StringComparison.Ordinal));
    }
    var cdp = await context.NewCDPSessionAsync(page);
    await cdp.SendAsync("Network.enable");
    await cdp.SendAsync("Network.setCacheDisabled", new Dictionary<string, object> { ["cacheDisabled"] = true });
    if (options.Profile != "none")
    {
        var (latency, down, up) = options.Profile == "fast3g" ? (562.5, 1_600_000 / 8 * 0.9, 750_000 / 8 * 0.9) : (2000.0, 500_000 / 8 * 0.8, 500_000 / 8 * 0.8);
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = latency,
            ["downloadThroughput"] = down,
            ["uploadThroughput"] = up,
        });
    }

    var requests = new List<IRequest>();
    void OnRequest(object? sender, IRequest request) => requests.Add(request);
    context.RequestFinished += OnRequest;
    context.RequestFailed += (_, request) => Console.Error.WriteLine($"  failed: {request.Url} {request.Failure}");
    if (Environment.GetEnvironmentVariable("PAGEWEIGHT_VERBOSE") == "1")
    {
        context.Request += (_, request) => Console.Error.WriteLine($"  request: {request.Url}");
    }
    var clock = Stopwatch.StartNew();
    var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
    if (response is null || !response.Ok)
    {
        Console.Error.WriteLine($"{url}: HTTP {response?.Status}");
        return null;
    }
    var selector = options.Wait ?? "form button[type=submit], form input[type=submit]";
    await page.Locator(selector).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });
    var usable = clock.Elapsed.TotalMilliseconds;
    await QuietAsync(page);
    // Give a service worker's install (precache) time to finish and be counted.
    await page.WaitForTimeoutAsync(options.Profile == "none" ? 500 : 3_000);
    await QuietAsync(page);
    context.RequestFinished -= OnRequest;
    var timing = await page.EvaluateAsync<double[]>(
        "(() => { const n = performance.getEntriesByType('navigation')[0]; const p = performance.getEntriesByName('first-contentful-paint')[0];" +
        " return [n.domContentLoadedEventEnd, n.loadEventEnd, p ? p.startTime : n.loadEventEnd]; })()");
    // Usable: the control is laid out AND the page has painted (a render-blocking stylesheet holds the paint back).
    usable = Math.Max(usable, timing[2]);
    if (Environment.GetEnvironmentVariable("PAGEWEIGHT_VERBOSE") == "1")
    {
        Console.Error.WriteLine("  sheets: " + await page.EvaluateAsync<string>("[...document.styleSheets].map(s => s.href + ':' + (()=>{try{return s.cssRules.length}catch(e){return e.message}})()).join(' | ')"));
    }
    if (screenshot is not null)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
    }

    long total = 0;
    var byType = new Dictionary<string, long>();
    foreach (var request in requests.ToList())
    {
        // An answer the page's service worker gave from its cache crossed no network (the worker's own
        // fetches are requests of their own, counted); Playwright never settles the sizes of such answers.
        if (await request.ResponseAsync() is { FromServiceWorker: true })
        {
            continue;
        }
        var bytes = await TransferredAsync(request);
        total += bytes;
        var type = request.ResourceType;
        byType[type] = byType.GetValueOrDefault(type) + bytes;
    }
    return new Measurement(total, requests.Count, usable, timing[0], timing[1], byType);
}

// Bytes on the wire (headers and body) as Chromium counted them; if it does not say within 5 s, the
// response's own headers and body length (a warning says so).
static async Task<long> TransferredAsync(IRequest request)
{
    var sizes = request.SizesAsync();
    if (await Task.WhenAny(sizes, Task.Delay(5_000)) == sizes)
    {
        var known = await sizes;
        return (long)known.ResponseBodySize + known.ResponseHeadersSize;
    }
    Console.Error.WriteLine($"  {request.Url}: no transfer size from Chromium; counted the response's length");
    var response = await request.ResponseAsync();
    return response is null ? 0 : (await response.BodyAsync()).LongLength + (await response.AllHeadersAsync()).Sum(h => h.Key.Length + h.Value.Length + 4);
}

// Network idle (no request for 500 ms), or 30 s at most: a page that keeps asking (a service worker's
// fetches) is counted with what it asked until then.
static async Task QuietAsync(IPage page)
{
    try
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = 30_000 });
    }
    catch (TimeoutException)
    {
        Console.Error.WriteLine($"  {page.Url}: network not idle after 30 s; counted what arrived until then");
    }
}

internal sealed record Measurement(long Bytes, int Requests, double UsableMs, double DomContentLoadedMs, double LoadMs, Dictionary<string, long> ByType);

internal sealed record PageWeightOptions(IReadOnlyList<string> Urls, string? User, string? Password, string? Origin, string? Wait, int Runs, string Profile, string? Screenshot)
{
    public static PageWeightOptions? Parse(string[] args)
    {
        var urls = new List<string>();
        string? user = null, password = null, origin = null, wait = null, screenshot = null;
        int runs = 3;
        var profile = "slow3g";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--user": user = args[++i]; break;
                case "--password": password = args[++i]; break;
                case "--origin": origin = args[++i]; break;
                case "--wait": wait = args[++i]; break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--profile": profile = args[++i]; break;
                case "--screenshot": screenshot = args[++i]; break;
                default: urls.Add(args[i]); break;
            }
        }
        if (urls.Count == 0 || profile is not ("slow3g" or "fast3g" or "none") || runs < 1)
        {
            return null;
        }
        origin ??= new Uri(urls[0]).GetLeftPart(UriPartial.Authority);
        return new PageWeightOptions(urls, user, password, origin, wait, runs, profile, screenshot);
    }
}
