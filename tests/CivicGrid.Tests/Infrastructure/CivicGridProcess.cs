using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using CivicGrid.Infrastructure.Data;

namespace CivicGrid.Tests.Infrastructure;

/// <summary>Runs the built host executable as its own process, as an operator would.</summary>
public static class CivicGridProcess
{
    /// <summary>The start info for <c>dotnet CivicGrid.dll ARGS</c> against the given database.</summary>
    public static ProcessStartInfo StartInfo(DatabaseProvider provider, string connectionString, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CivicGrid.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["Database__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__Default"] = connectionString;
        start.Environment["DataProtection__KeyPath"] = Path.Combine(Path.GetTempPath(), "civicgrid-test-keys");
        return start;
    }

    /// <summary>Runs a command-line verb to its end; returns the exit code and what it printed.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(DatabaseProvider provider, string connectionString, params string[] args)
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = Process.Start(StartInfo(provider, connectionString, args))!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Starts the host as a web server on a free loopback port (with <paramref name="environment"/>
    /// added) and waits until <c>/health</c> answers; the caller kills it.
    /// </summary>
    public static async Task<ServerProcess> StartServerAsync(DatabaseProvider provider, string connectionString,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var ct = TestContext.Current.CancellationToken;
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var start = StartInfo(provider, connectionString, ["--urls", $"http://127.0.0.1:{port}"]);
        start.Environment["Demo__SeedOnStart"] = "false";
        start.Environment["Files__Root"] = CivicGridApp.FilesRoot;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        // Drain the output so the server never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync(ct);
        _ = process.StandardError.ReadToEndAsync(ct);
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var attempt = 0; attempt < 480; attempt++)
        {
            try
            {
                if ((await client.GetAsync(new Uri("/health", UriKind.Relative), ct)).IsSuccessStatusCode)
                {
                    return new ServerProcess(process, client);
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (process.HasExited)
            {
                break;
            }
            await Task.Delay(250, ct);
        }
        process.Kill(entireProcessTree: true);
        client.Dispose();
        throw new TimeoutException("the server did not become healthy within 120 s");
    }
}

/// <summary>A host started by <see cref="CivicGridProcess.StartServerAsync"/> and a client of it.</summary>
public sealed class ServerProcess(Process process, HttpClient client) : IAsyncDisposable
{
    public HttpClient Client { get; } = client;

    /// <summary>Signs the client in with a bearer token.</summary>
    public async Task SignInAsync(string userName, string password)
    {
        var token = await Client.PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative),
            new { userName, password }, TestContext.Current.CancellationToken);
        token.StatusCode.Should().Be(HttpStatusCode.OK);
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", (await token.JsonAsync()).GetProperty("accessToken").GetString());
    }

    /// <summary>Another client of the same server, signed in as <paramref name="userName"/>.</summary>
    public async Task<HttpClient> ClientAsync(string userName, string password)
    {
        var client = new HttpClient { BaseAddress = Client.BaseAddress };
        var token = await client.PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative),
            new { userName, password }, TestContext.Current.CancellationToken);
        token.StatusCode.Should().Be(HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", (await token.JsonAsync()).GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>SIGKILL on Linux: no shutdown, no flush.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
        Client.Dispose();
    }
}
