using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CivicGrid.Tests.Identity;

/// <summary>Sign-in with bearer tokens on both databases: issue, refresh, revoke, lockout, tampering, audit.</summary>
public sealed class SignInTests
{
    private const string Password = "Grid-worker-2026";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<CivicGridApp> StartWithUserAsync(DatabaseProvider provider, TimeProvider? time = null)
    {
        var app = await CivicGridApp.StartAsync(provider, seed: false,
            services: time is null ? null : s => s.AddSingleton(time));
        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<IUserAccounts>()
            .CreateAsync("Wang.Li", new RoleGrant(Roles.GridWorker, "150203003001001"), Password, cancellationToken: Ct);
        created.IsSuccess.Should().BeTrue(created.Error?.Message);
        return app;
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password) =>
        client.PostJsonAsync("/api/v1/auth/token", new { userName, password });

    private static async Task<HttpResponseMessage> MeAsync(HttpClient client, string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/auth/me", UriKind.Relative));
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        return await client.SendAsync(request, Ct);
    }

    private static async Task<List<string>> AuditActionsAsync(CivicGridApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await db.Database.SqlQueryRaw<string>("SELECT \"Action\" AS \"Value\" FROM audit_records ORDER BY \"Sequence\"").ToListAsync(Ct);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Signing_in_returns_exactly_the_token_pair_and_me_shows_roles_and_capabilities(DatabaseProvider provider)
    {
        await using var app = await StartWithUserAsync(provider);
        var client = app.CreateClient();

        // The name is case-insensitive.
        var response = await SignInAsync(client, "wang.li", Password);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        body.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("accessToken", "refreshToken", "expiresIn");
        body.GetProperty("expiresIn").GetInt32().Should().Be(900);

        var me = await MeAsync(client, body.GetProperty("accessToken").GetString());
        me.StatusCode.Should().Be(HttpStatusCode.OK);
        var caller = await me.JsonAsync();
        caller.GetProperty("userName").GetString().Should().Be("Wang.Li");
        var role = caller.GetProperty("roles")[0];
        role.GetProperty("role").GetString().Should().Be("grid-worker");
        role.GetProperty("jurisdictionCode").GetString().Should().Be("150203003001001");
        caller.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()).Should().Contain("registry.read").And.NotContain("users.manage");

        (await MeAsync(client, null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await AuditActionsAsync(app)).Should().Contain("auth.sign_in");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_problem(DatabaseProvider provider)
    {
        await using var app = await StartWithUserAsync(provider);
        var client = app.CreateClient();

        var wrong = await SignInAsync(client, "Wang.Li", "not-the-password-1");
        var unknown = await SignInAsync(client, "nobody.here", "not-the-password-1");

        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        unknown.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        static string WithoutTrace(JsonElement problem) => JsonSerializer.Serialize(
            problem.EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value));
        var wrongBody = await wrong.JsonAsync();
        wrongBody.GetProperty("code").GetString().Should().Be("auth.invalid_credentials");
        WithoutTrace(wrongBody).Should().Be(WithoutTrace(await unknown.JsonAsync()));
        (await AuditActionsAsync(app)).Should().Equal("users.create", "auth.sign_in_failed", "auth.sign_in_failed");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Five_failures_lock_the_account_for_fifteen_minutes(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var app = await StartWithUserAsync(provider, time);
        var client = app.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            (await (await SignInAsync(client, "Wang.Li", "wrong-password-" + i)).JsonAsync()).GetProperty("code").GetString()
                .Should().Be("auth.invalid_credentials");
        }
        var locked = await SignInAsync(client, "Wang.Li", Password);
        locked.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await locked.JsonAsync()).GetProperty("code").GetString().Should().Be("auth.locked_out");
        (await AuditActionsAsync(app)).Should().Contain("auth.locked_out");

        time.Advance(TimeSpan.FromMinutes(16));
        (await SignInAsync(client, "Wang.Li", Password)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Refresh_rotates_and_replaying_an_old_refresh_token_revokes_the_session(DatabaseProvider provider)
    {
        await using var app = await StartWithUserAsync(provider);
        var client = app.CreateClient();
        var first = await (await SignInAsync(client, "Wang.Li", Password)).JsonAsync();
        var oldRefresh = first.GetProperty("refreshToken").GetString();

        var rotated = await client.PostJsonAsync("/api/v1/auth/refresh", new { refreshToken = oldRefresh });
        rotated.StatusCode.Should().Be(HttpStatusCode.OK);
        var second = await rotated.JsonAsync();
        var newRefresh = second.GetProperty("refreshToken").GetString();
        newRefresh.Should().NotBe(oldRefresh);
        (await MeAsync(client, second.GetProperty("accessToken").GetString())).StatusCode.Should().Be(HttpStatusCode.OK);

        var replay = await client.PostJsonAsync("/api/v1/auth/refresh", new { refreshToken = oldRefresh });
        replay.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await replay.JsonAsync()).GetProperty("code").GetString().Should().Be("auth.invalid_token");
        // The replay revoked the family: the newest token of that sign-in is dead too.
        (await client.PostJsonAsync("/api/v1/auth/refresh", new { refreshToken = newRefresh })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await AuditActionsAsync(app)).Should().Contain("auth.refresh").And.Contain("auth.refresh_reused");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_revoked_refresh_token_cannot_be_used(DatabaseProvider provider)
    {
        await using var app = await StartWithUserAsync(provider);
        var client = app.CreateClient();
        var refresh = (await (await SignInAsync(client, "Wang.Li", Password)).JsonAsync()).GetProperty("refreshToken").GetString();

        (await client.PostJsonAsync("/api/v1/auth/revoke", new { refreshToken = refresh })).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await client.PostJsonAsync("/api/v1/auth/refresh", new { refreshToken = refresh })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await AuditActionsAsync(app)).Should().Contain("auth.revoke");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task An_expired_or_tampered_access_token_is_refused(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var app = await StartWithUserAsync(provider, time);
        var client = app.CreateClient();
        var access = (await (await SignInAsync(client, "Wang.Li", Password)).JsonAsync()).GetProperty("accessToken").GetString()!;

        var middle = access.Length / 2;
        var tampered = access[..middle] + (access[middle] == 'A' ? 'B' : 'A') + access[(middle + 1)..];
        var refused = await MeAsync(client, tampered);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await refused.JsonAsync()).GetProperty("code").GetString().Should().Be("auth.unauthenticated");

        time.Advance(TimeSpan.FromMinutes(14));
        (await MeAsync(client, access)).StatusCode.Should().Be(HttpStatusCode.OK);
        time.Advance(TimeSpan.FromMinutes(2));
        (await MeAsync(client, access)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_disabled_user_cannot_sign_in_or_refresh(DatabaseProvider provider)
    {
        await using var app = await StartWithUserAsync(provider);
        var client = app.CreateClient();
        var refresh = (await (await SignInAsync(client, "Wang.Li", Password)).JsonAsync()).GetProperty("refreshToken").GetString();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<IUserAccounts>().DisableAsync("WANG.LI", Ct)).IsSuccess.Should().BeTrue();
        }

        (await (await SignInAsync(client, "Wang.Li", Password)).JsonAsync()).GetProperty("code").GetString().Should().Be("auth.invalid_credentials");
        (await client.PostJsonAsync("/api/v1/auth/refresh", new { refreshToken = refresh })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_password_policy_refuses_short_or_single_class_passwords(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<IUserAccounts>();
        var grant = new RoleGrant(Roles.Community, "150203003001");

        (await accounts.CreateAsync("short", grant, "Ab1", cancellationToken: Ct)).Error!.Fields!.Should().ContainKey("password");
        (await accounts.CreateAsync("oneclass", grant, "abcdefghijkl", cancellationToken: Ct)).Error!.Fields!.Should().ContainKey("password");
        (await accounts.CreateAsync("badrole", new RoleGrant("boss", "150203"), cancellationToken: Ct)).Error!.Fields!.Should().ContainKey("role");
        var generated = await accounts.CreateAsync("good.one", grant, cancellationToken: Ct);
        generated.Value.Password.Should().HaveLength(16);
        (await accounts.CreateAsync("GOOD.ONE", grant, cancellationToken: Ct)).Error!.Code.Should().Be("users.exists");
    }
}
