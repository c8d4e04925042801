using System.Net;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Identity;

/// <summary>A user may hold several roles in up to four jurisdictions; each grant and revoke is audited.</summary>
public sealed class RoleGrantTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_second_township_widens_what_the_user_sees_and_a_fifth_jurisdiction_is_refused(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var before = await app.ClientAsAsync(Roles.Township, "150203001", "two-townships");
        (await before.GetPathAsync("/api/v1/divisions/150203003")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<IUserAccounts>();
            (await accounts.GrantAsync("two-townships", new RoleGrant(Roles.Township, "150203003"), Ct)).IsSuccess.Should().BeTrue();
            (await accounts.GrantAsync("two-townships", new RoleGrant(Roles.Township, "150203003"), Ct)).Error!.Code.Should().Be("users.role_exists");
            // A grant inside a held jurisdiction adds no new one.
            (await accounts.GrantAsync("two-townships", new RoleGrant(Roles.GridHead, "150203003001001"), Ct)).IsSuccess.Should().BeTrue();
            (await accounts.GrantAsync("two-townships", new RoleGrant(Roles.Township, "150203004"), Ct)).IsSuccess.Should().BeTrue();
            (await accounts.GrantAsync("two-townships", new RoleGrant(Roles.Township, "150203005"), Ct)).IsSuccess.Should().BeTrue();
            var fifth = await accounts.GrantAsync("two-townships", new RoleGrant(Roles.Township, "150203006"), Ct);
            fifth.Error!.Code.Should().Be("users.too_many_jurisdictions");
            (await accounts.RevokeAsync("two-townships", new RoleGrant(Roles.Township, "150203005"), Ct)).IsSuccess.Should().BeTrue();
            (await accounts.RevokeAsync("nobody-here", new RoleGrant(Roles.Township, "150203005"), Ct)).Error!.Code.Should().Be("users.not_found");
        }

        // The new grants ride in the next token.
        var after = await app.ClientAsAsync(Roles.Township, "150203001", "two-townships");
        (await after.GetPathAsync("/api/v1/divisions/150203003")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await after.GetPathAsync("/api/v1/divisions/150203005")).StatusCode.Should().Be(HttpStatusCode.NotFound, "that grant was revoked");
        var me = await (await after.GetPathAsync("/api/v1/auth/me")).JsonAsync();
        me.GetProperty("roles").GetArrayLength().Should().Be(4);

        var admin = await app.AdminClientAsync("150203");
        var audit = await (await admin.GetPathAsync("/api/v1/audit?action=users.*&pageSize=50")).JsonAsync();
        var actions = audit.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()).ToList();
        actions.Count(a => a == "users.grant").Should().Be(4);
        actions.Count(a => a == "users.revoke").Should().Be(1);
    }

    [Fact]
    public async Task The_command_line_grants_and_revokes_and_refuses_the_last_role()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        var add = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, app.ConnectionString,
            "users", "add", "li.si", "--role", "community", "--jurisdiction", "150203001019");
        add.Exit.Should().Be(0, add.Err);
        var grant = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, app.ConnectionString,
            "users", "grant", "li.si", "--role", "grid-head", "--jurisdiction", "150203001020001");
        grant.Exit.Should().Be(0, grant.Err);
        grant.Out.Should().Contain("now holds grid-head in 150203001020001");
        var revoke = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, app.ConnectionString,
            "users", "revoke", "li.si", "--role", "community", "--jurisdiction", "150203001019");
        revoke.Exit.Should().Be(0, revoke.Err);
        var last = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, app.ConnectionString,
            "users", "revoke", "li.si", "--role", "grid-head", "--jurisdiction", "150203001020001");
        last.Exit.Should().Be(1);
        last.Err.Should().Contain("唯一的角色");
    }
}
