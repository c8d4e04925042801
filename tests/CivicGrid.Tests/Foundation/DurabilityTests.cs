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
            await using (var first = await CivicGridProcess.StartServerAsync(provider, connectionString))
            {
                await first.SignInAsync("durable-admin", "Durable-admin-2026");
                var created = await first.Client.PostAsJsonAsync(new Uri("/api/v1/divisions", UriKind.Relative), new { code = "98", name = "持久省" }, Ct);
                created.StatusCode.Should().Be(HttpStatusCode.Created);
                await first.KillAsync();
            }

            await using var second = await CivicGridProcess.StartServerAsync(provider, connectionString);
            await second.SignInAsync("durable-admin", "Durable-admin-2026");
            var read = await second.Client.GetAsync(new Uri("/api/v1/divisions/98", UriKind.Relative), Ct);
            read.StatusCode.Should().Be(HttpStatusCode.OK);
            (await read.JsonAsync()).GetProperty("name").GetString().Should().Be("持久省");
        }
        finally
        {
            await TestDatabases.DropAsync(provider, connectionString);
        }
    }
}
