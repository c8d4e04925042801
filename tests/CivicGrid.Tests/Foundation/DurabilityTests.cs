using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Tests.Infrastructure;

namespace CivicGrid.Tests.Foundation;

/// <summary>An accepted write survives the server being killed (SIGKILL) right after answering.</summary>
public sealed class DurabilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(Process Process, HttpClient Client)> StartServerAsync(DatabaseProvider provider, string connectionString)
    {
        var port = FreePort();
        var start = CivicGridProcess.StartInfo(provider, connectionString, ["--urls", $"http://127.0.0.1:{port}"]);
        start.Environment["Demo__SeedOnStart"] = "false";
        start.Environment["Files__Root"] = CivicGridApp.FilesRoot;
        var process = Process.Start(start)!;
        // Drain the output so the server never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync(Ct);
        _ = process.StandardError.ReadToEndAsync(Ct);
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var attempt = 0; attempt < 240; attempt++)
        {
            try
            {
                if ((await client.GetAsync(new Uri("/health", UriKind.Relative), Ct)).IsSuccessStatusCode)
                {
                    return (process, client);
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250, Ct);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("the server did not become healthy within 60 s");
    }

    private static async Task SignInAsync(HttpClient client, string userName = "durable-admin")
    {
        var token = await client.PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative),
            new { userName, password = "Durable-admin-2026" }, Ct);
        token.StatusCode.Should().Be(HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", (await token.JsonAsync()).GetProperty("accessToken").GetString());
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_write_answered_201_is_still_there_after_kill_9(DatabaseProvider provider)
    {
        TestDatabases.Require(provider);
        var connectionString = await TestDatabases.CreateAsync(provider);
        try
        {
            // Writes need a signed-in user allowed to add a province.
            var added = await CivicGridProcess.RunAsync(provider, connectionString,
                "users", "add", "durable-admin", "--role", "admin", "--jurisdiction", "98", "--password", "Durable-admin-2026");
            added.Exit.Should().Be(0, added.Err);
            added = await CivicGridProcess.RunAsync(provider, connectionString,
                "users", "add", "durable-reporter", "--role", "township", "--jurisdiction", "98", "--password", "Durable-admin-2026");
            added.Exit.Should().Be(0, added.Err);
            // A photo unique to this run: its upload, answered 201, must survive too (blob and row).
            var photo = CivicGrid.Tests.Files.TestImages.Png(40, 30, new SkiaSharp.SKColor((byte)Random.Shared.Next(256), 99, 1));
            string photoId;
            var (first, client) = await StartServerAsync(provider, connectionString);
            using (client)
            {
                await SignInAsync(client);
                var created = await client.PostAsJsonAsync(new Uri("/api/v1/divisions", UriKind.Relative), new { code = "98", name = "持久省" }, Ct);
                created.StatusCode.Should().Be(HttpStatusCode.Created);
                using var reporter = new HttpClient { BaseAddress = client.BaseAddress };
                await SignInAsync(reporter, "durable-reporter");
                var uploaded = await CivicGrid.Tests.Files.FileApiTests.UploadAsync(reporter, photo, "p.png", "image/png");
                uploaded.StatusCode.Should().Be(HttpStatusCode.Created);
                photoId = (await uploaded.JsonAsync()).GetProperty("id").GetString()!;
                first.Kill(); // SIGKILL on Linux: no shutdown, no flush
                await first.WaitForExitAsync(Ct);
                first.Dispose();
            }

            var (second, again) = await StartServerAsync(provider, connectionString);
            using (again)
            {
                try
                {
                    await SignInAsync(again);
                    var read = await again.GetAsync(new Uri("/api/v1/divisions/98", UriKind.Relative), Ct);
                    read.StatusCode.Should().Be(HttpStatusCode.OK);
                    (await read.JsonAsync()).GetProperty("name").GetString().Should().Be("持久省");
                    using var reporter = new HttpClient { BaseAddress = again.BaseAddress };
                    await SignInAsync(reporter, "durable-reporter");
                    var file = await reporter.GetAsync(new Uri($"/api/v1/files/{photoId}", UriKind.Relative), Ct);
                    file.StatusCode.Should().Be(HttpStatusCode.OK);
                    (await file.Content.ReadAsByteArrayAsync(Ct)).Should().Equal(photo);
                }
                finally
                {
                    second.Kill();
                    await second.WaitForExitAsync(Ct);
                    second.Dispose();
                }
            }
        }
        finally
        {
            await TestDatabases.DropAsync(provider, connectionString);
        }
    }
}
