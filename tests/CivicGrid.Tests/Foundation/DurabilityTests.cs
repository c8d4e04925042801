using System.Net;
using System.Net.Http.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Tests.Infrastructure;

namespace CivicGrid.Tests.Foundation;

/// <summary>An accepted write survives the server being killed (SIGKILL) right after answering.</summary>
public sealed class DurabilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
            await using (var first = await CivicGridProcess.StartServerAsync(provider, connectionString))
            {
                await first.SignInAsync("durable-admin", "Durable-admin-2026");
                var created = await first.Client.PostAsJsonAsync(new Uri("/api/v1/divisions", UriKind.Relative), new { code = "98", name = "持久省" }, Ct);
                created.StatusCode.Should().Be(HttpStatusCode.Created);
                using var reporter = await first.ClientAsync("durable-reporter", "Durable-admin-2026");
                var uploaded = await CivicGrid.Tests.Files.FileApiTests.UploadAsync(reporter, photo, "p.png", "image/png");
                uploaded.StatusCode.Should().Be(HttpStatusCode.Created);
                photoId = (await uploaded.JsonAsync()).GetProperty("id").GetString()!;
                await first.KillAsync();
            }

            await using var second = await CivicGridProcess.StartServerAsync(provider, connectionString);
            await second.SignInAsync("durable-admin", "Durable-admin-2026");
            var read = await second.Client.GetAsync(new Uri("/api/v1/divisions/98", UriKind.Relative), Ct);
            read.StatusCode.Should().Be(HttpStatusCode.OK);
            (await read.JsonAsync()).GetProperty("name").GetString().Should().Be("持久省");
            using var again = await second.ClientAsync("durable-reporter", "Durable-admin-2026");
            var file = await again.GetAsync(new Uri($"/api/v1/files/{photoId}", UriKind.Relative), Ct);
            file.StatusCode.Should().Be(HttpStatusCode.OK);
            (await file.Content.ReadAsByteArrayAsync(Ct)).Should().Equal(photo);
        }
        finally
        {
            await TestDatabases.DropAsync(provider, connectionString);
        }
    }
}
