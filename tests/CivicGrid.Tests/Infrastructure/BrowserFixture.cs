using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(CivicGrid.Tests.Infrastructure.BrowserFixture))]

namespace CivicGrid.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for the whole run, driven by Playwright. Playwright never
/// downloads a browser here: it uses /usr/bin/chromium (installed by ./test.sh).
/// </summary>
public sealed class BrowserFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("CIVICGRID_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task<IBrowser> BrowserAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is not null)
            {
                return _browser;
            }
            if (!File.Exists(ExecutablePath))
            {
                throw new InvalidOperationException($"Chromium not found at {ExecutablePath}: run ./test.sh, which installs Debian's chromium.");
            }
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                ],
            });
            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        _gate.Dispose();
    }
}
