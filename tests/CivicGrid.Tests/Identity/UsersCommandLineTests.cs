using System.Net;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Tests.Infrastructure;

namespace CivicGrid.Tests.Identity;

/// <summary>Operators manage accounts with <c>users add|reset|disable</c>; the API sees the result.</summary>
public sealed class UsersCommandLineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string PasswordFrom(string output) =>
        output.Split('\n').Single(l => l.StartsWith("password: ", StringComparison.Ordinal))["password: ".Length..].Trim();

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Users_add_reset_and_disable_work_against_the_same_database_the_api_reads(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var client = app.CreateClient();

        var given = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "users", "add", "li.community", "--role", "community",
            "--jurisdiction", "150203003001", "--password", "Community-Pass-1");
        given.Exit.Should().Be(0, given.Err);
        given.Out.Should().Contain("user li.community created").And.NotContain("password:");
        (await client.PostJsonAsync("/api/v1/auth/token", new { userName = "li.community", password = "Community-Pass-1" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        var generated = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "users", "add", "zhao.grid", "--role", "grid-worker", "--jurisdiction", "150203003001001");
        generated.Exit.Should().Be(0, generated.Err);
        var first = PasswordFrom(generated.Out);
        var signIn = await client.PostJsonAsync("/api/v1/auth/token", new { userName = "zhao.grid", password = first });
        signIn.StatusCode.Should().Be(HttpStatusCode.OK);
        var refresh = (await signIn.JsonAsync()).GetProperty("refreshToken").GetString();

        var reset = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "users", "reset", "zhao.grid");
        reset.Exit.Should().Be(0, reset.Err);
        var second = PasswordFrom(reset.Out);
        second.Should().NotBe(first);
        (await client.PostJsonAsync("/api/v1/auth/token", new { userName = "zhao.grid", password = first })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.PostJsonAsync("/api/v1/auth/token", new { userName = "zhao.grid", password = second })).StatusCode.Should().Be(HttpStatusCode.OK);

        var disable = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "users", "disable", "zhao.grid");
        disable.Exit.Should().Be(0, disable.Err);
        (await client.PostJsonAsync("/api/v1/auth/token", new { userName = "zhao.grid", password = second })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.PostJsonAsync("/api/v1/auth/refresh", new { refreshToken = refresh })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var weak = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "users", "add", "weak.one", "--role", "resident", "--jurisdiction", "150203", "--password", "short");
        weak.Exit.Should().Be(1);
        weak.Err.Should().Contain("password");
        var missing = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "users", "reset", "no.such.user");
        missing.Exit.Should().Be(1);
    }
}
