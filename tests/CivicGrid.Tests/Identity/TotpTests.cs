using System.Globalization;
using System.Net;
using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Auth;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Users;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CivicGrid.Tests.Identity;

/// <summary>RFC 6238 codes and RFC 4648 base32, without a database.</summary>
public sealed class TotpAlgorithmTests
{
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void The_sha1_vectors_of_rfc_6238_hold_in_eight_and_six_digits(long unixSeconds, string eight)
    {
        var step = Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));
        Totp.Compute(RfcSecret, step, 8).Should().Be(eight);
        Totp.Compute(RfcSecret, step).Should().Be(eight[2..]);
    }

    [Fact]
    public void T59_gives_287082_and_base32_follows_rfc_4648()
    {
        Totp.Compute(RfcSecret, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(59))).Should().Be("287082");
        Totp.ToBase32(Encoding.ASCII.GetBytes("foobar")).Should().Be("MZXW6YTBOI");
        Totp.ToBase32(RfcSecret).Should().Be("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        Totp.FromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").Should().Equal(RfcSecret);
        Totp.Grouped("GEZDGNBVGY3TQOJQ").Should().Be("GEZD GNBV GY3T QOJQ");
        Totp.KeyUri("wang.li", "GEZD").Should().Be("otpauth://totp/CivicGrid:wang.li?secret=GEZD&issuer=CivicGrid&algorithm=SHA1&digits=6&period=30");
        Totp.Normalize("287 082").Should().Be("287082");
        Totp.Normalize("28708").Should().BeNull();
    }
}

/// <summary>The second factor on both databases: enrolment, the token endpoint with and without a code, reuse, lockout, required roles.</summary>
public sealed class TotpSignInTests
{
    private const string Password = "Grid-worker-2026";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(CivicGridApp App, Guid UserId)> StartWithUserAsync(DatabaseProvider provider, TimeProvider time,
        IDictionary<string, string?>? settings = null)
    {
        var app = await CivicGridApp.StartAsync(provider, seed: false, settings: settings, services: s => s.AddSingleton(time));
        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<IUserAccounts>()
            .CreateAsync("Zhao.Min", new RoleGrant(Roles.GridWorker, "150203003001001"), Password, cancellationToken: Ct);
        created.IsSuccess.Should().BeTrue(created.Error?.Message);
        var id = await scope.ServiceProvider.GetRequiredService<CivicGridDbContext>().Set<User>()
            .Where(u => u.UserName == "Zhao.Min").Select(u => u.Id).SingleAsync(Ct);
        return (app, id);
    }

    private static async Task<byte[]> EnrolAsync(CivicGridApp app, Guid userId, TimeProvider time)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<TotpAccounts>();
        var status = await accounts.StatusAsync(userId, Ct);
        status!.EnabledAt.Should().BeNull();
        status.Secret.Should().MatchRegex("^[A-Z2-7]{32}$");
        status.KeyUri.Should().StartWith("otpauth://totp/CivicGrid:Zhao.Min?secret=" + status.Secret);
        var secret = Totp.FromBase32(status.Secret!);
        (await accounts.EnableAsync(userId, Other(Code(secret, time)), null, Ct)).IsSuccess.Should().BeFalse();
        (await accounts.EnableAsync(userId, Code(secret, time), null, Ct)).IsSuccess.Should().BeTrue();
        return secret;
    }

    private static string Code(byte[] secret, TimeProvider time, int stepOffset = 0) =>
        Totp.Compute(secret, Totp.StepAt(time.GetUtcNow()) + stepOffset);

    private static string Other(string code) =>
        ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    private static async Task<(HttpStatusCode Status, string? Code)> TokenAsync(HttpClient client, string password, string? otp)
    {
        var response = await client.PostJsonAsync("/api/v1/auth/token", otp is null
            ? (object)new { userName = "Zhao.Min", password }
            : new { userName = "Zhao.Min", password, otp });
        var body = await response.JsonAsync();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            body.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("accessToken", "refreshToken", "expiresIn");
            return (response.StatusCode, null);
        }
        return (response.StatusCode, body.GetProperty("code").GetString());
    }

    private static async Task<List<string>> AuditActionsAsync(CivicGridApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await db.Database.SqlQueryRaw<string>("SELECT \"Action\" AS \"Value\" FROM audit_records ORDER BY \"Sequence\"").ToListAsync(Ct);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_totp_user_needs_a_fresh_code_at_the_token_endpoint_and_wrong_codes_lock(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T02:00:10Z", CultureInfo.InvariantCulture));
        var (app, userId) = await StartWithUserAsync(provider, time);
        await using var _ = app;
        var client = app.CreateClient();
        var secret = await EnrolAsync(app, userId, time);

        (await TokenAsync(client, Password, null)).Should().Be((HttpStatusCode.Unauthorized, "auth.otp_required"));
        (await TokenAsync(client, Password, Code(secret, time))).Should().Be((HttpStatusCode.Unauthorized, "auth.otp_invalid"),
            "the code confirmed the enrolment and cannot be used again");

        time.Advance(TimeSpan.FromSeconds(30));
        (await TokenAsync(client, Password, Other(Code(secret, time)))).Should().Be((HttpStatusCode.Unauthorized, "auth.otp_invalid"));
        (await TokenAsync(client, "Wrong-password-1", Code(secret, time))).Should().Be((HttpStatusCode.Unauthorized, "auth.invalid_credentials"));
        (await TokenAsync(client, Password, Code(secret, time))).Should().Be((HttpStatusCode.OK, (string?)null));
        (await TokenAsync(client, Password, Code(secret, time))).Should().Be((HttpStatusCode.Unauthorized, "auth.otp_invalid"), "reuse");
        (await TokenAsync(client, Password, Code(secret, time, 1))).Should().Be((HttpStatusCode.OK, (string?)null), "one step ahead is tolerated");

        time.Advance(TimeSpan.FromSeconds(90));
        (await TokenAsync(client, Password, Code(secret, time, -2))).Code.Should().Be("auth.otp_invalid", "two steps old is too old");
        for (var i = 0; i < 4; i++)
        {
            (await TokenAsync(client, Password, Other(Code(secret, time)))).Code.Should().Be("auth.otp_invalid");
        }
        (await TokenAsync(client, Password, Code(secret, time))).Code.Should().Be("auth.locked_out", "wrong codes count toward the lockout");

        var actions = await AuditActionsAsync(app);
        actions.Should().Contain("auth.totp_enabled").And.Contain("auth.locked_out");

        time.Advance(TimeSpan.FromMinutes(16));
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<TotpAccounts>();
        (await accounts.DisableAsync(userId, Code(secret, time), null, Ct)).IsSuccess.Should().BeTrue();
        (await AuditActionsAsync(app)).Should().Contain("auth.totp_disabled");
        (await TokenAsync(client, Password, null)).Should().Be((HttpStatusCode.OK, (string?)null));
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task An_operator_removes_a_lost_second_factor_and_ends_the_users_sessions(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T02:00:10Z", CultureInfo.InvariantCulture));
        var (app, userId) = await StartWithUserAsync(provider, time);
        await using var _ = app;
        var client = app.CreateClient();
        var secret = await EnrolAsync(app, userId, time);
        time.Advance(TimeSpan.FromSeconds(30));
        var signIn = await client.PostJsonAsync("/api/v1/auth/token", new { userName = "Zhao.Min", password = Password, otp = Code(secret, time) });
        var refreshToken = (await signIn.JsonAsync()).GetProperty("refreshToken").GetString();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<IUserAccounts>();
            (await accounts.ResetTotpAsync("zhao.min", Ct)).IsSuccess.Should().BeTrue();
            (await accounts.ResetTotpAsync("zhao.min", Ct)).Error!.Code.Should().Be("users.no_totp");
            (await accounts.ResetTotpAsync("nobody", Ct)).Error!.Code.Should().Be("users.not_found");
        }

        (await client.PostJsonAsync("/api/v1/auth/refresh", new { refreshToken })).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "the sessions of the lost phone's owner end with it");
        (await TokenAsync(client, Password, null)).Should().Be((HttpStatusCode.OK, (string?)null), "the password alone signs in again");
        (await AuditActionsAsync(app)).Should().Contain("users.reset_totp");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_role_that_requires_totp_cannot_get_a_token_before_enrolling(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T02:00:10Z", CultureInfo.InvariantCulture));
        var (app, userId) = await StartWithUserAsync(provider, time,
            new Dictionary<string, string?> { ["Identity:RequireTotpForRoles"] = "admin, grid-worker" });
        await using var _ = app;
        var client = app.CreateClient();

        (await TokenAsync(client, Password, null)).Should().Be((HttpStatusCode.Unauthorized, "auth.otp_enrolment_required"));
        var secret = await EnrolAsync(app, userId, time);
        time.Advance(TimeSpan.FromSeconds(30));
        (await TokenAsync(client, Password, Code(secret, time))).Should().Be((HttpStatusCode.OK, (string?)null));

        await using var scope = app.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<TotpAccounts>().DisableAsync(userId, Code(secret, time, 1), null, Ct))
            .Error!.Code.Should().Be("auth.otp_required_for_role");
    }
}
