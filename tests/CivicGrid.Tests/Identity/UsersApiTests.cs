using System.Net;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Identity;

/// <summary>
/// <c>/api/v1/users</c> on both databases: phones masked, scoped to the caller's users.manage
/// jurisdictions (403 without any, 404 outside), and the audited unmask.
/// </summary>
public sealed class UsersApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<(string Actor, string Target, string? Detail, string? TraceId)>> UnmaskRecordsAsync(CivicGridApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var rows = await db.Database.SqlQueryRaw<AuditRow>(
                "SELECT \"Actor\", \"Target\", \"Detail\", \"TraceId\" FROM audit_records WHERE \"Action\" = 'users.unmask' ORDER BY \"Sequence\"")
            .ToListAsync(Ct);
        return [.. rows.Select(r => (r.Actor, r.Target, r.Detail, r.TraceId))];
    }

    private sealed class AuditRow
    {
        public string Actor { get; init; } = "";

        public string Target { get; init; } = "";

        public string? Detail { get; init; }

        public string? TraceId { get; init; }
    }

    private static async Task<string> IdOfAsync(HttpClient admin, string userName)
    {
        var page = await (await admin.GetPathAsync($"/api/v1/users?q={userName}")).JsonAsync();
        return page.GetProperty("items").EnumerateArray().Single(u => u.GetProperty("userName").GetString() == userName)
            .GetProperty("id").GetString()!;
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_list_and_one_user_show_phones_masked_and_only_users_within_the_callers_jurisdiction(DatabaseProvider provider)
    {
        await using var app = await PeopleData.StartWithStaffAsync(provider);
        var admin = await PeopleData.SignedInClientAsync(app, "kd.admin");

        var response = await admin.GetPathAsync("/api/v1/users");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync(Ct);
        text.Should().NotContain(PeopleData.Phone).And.NotContain("13904725678");
        var page = JsonDocument.Parse(text).RootElement;
        page.GetProperty("total").GetInt32().Should().Be(2, "the township user in 150204 is outside the admin's 150203");
        page.GetProperty("page").GetInt32().Should().Be(1);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        items.Select(u => u.GetProperty("userName").GetString()).Should().Equal("kd.admin", "kd.worker");
        var worker = items[1];
        worker.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("id", "userName", "displayName", "isDisabled", "roles", "phone");
        worker.GetProperty("phone").GetString().Should().Be("138****1234");
        worker.GetProperty("isDisabled").GetBoolean().Should().BeFalse();
        var role = worker.GetProperty("roles")[0];
        role.GetProperty("role").GetString().Should().Be("grid-worker");
        role.GetProperty("jurisdictionCode").GetString().Should().Be("150203003001001");
        items[0].GetProperty("phone").ValueKind.Should().Be(JsonValueKind.Null);

        // Exact lookup by blind index, whatever the formatting; q matches names case-insensitively.
        var byPhone = await (await admin.GetPathAsync("/api/v1/users?phone=%2B86%20138%200471%201234")).JsonAsync();
        byPhone.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("userName").GetString()).Should().Equal("kd.worker");
        var otherPhone = await (await admin.GetPathAsync("/api/v1/users?phone=13904725678")).JsonAsync();
        otherPhone.GetProperty("total").GetInt32().Should().Be(0, "a phone outside the caller's jurisdiction finds nothing");
        var byName = await (await admin.GetPathAsync("/api/v1/users?q=WORK&pageSize=1")).JsonAsync();
        byName.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("userName").GetString()).Should().Equal("kd.worker");
        var badPhone = await admin.GetPathAsync("/api/v1/users?phone=12345");
        badPhone.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await badPhone.JsonAsync()).GetProperty("errors").TryGetProperty("phone", out _).Should().BeTrue();
        (await admin.GetPathAsync("/api/v1/users?pageSize=501")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var one = await admin.GetPathAsync($"/api/v1/users/{worker.GetProperty("id").GetString()}");
        one.StatusCode.Should().Be(HttpStatusCode.OK);
        (await one.JsonAsync()).GetProperty("phone").GetString().Should().Be("138****1234");

        // The township user exists, in 150204: to this admin it is exactly as absent as a made-up id.
        await using var scope = app.Services.CreateAsyncScope();
        var outsider = await scope.ServiceProvider.GetRequiredService<CivicGridDbContext>().Database
            .SqlQueryRaw<Guid>("SELECT \"Id\" AS \"Value\" FROM users WHERE \"UserName\" = 'qs.township'").SingleAsync(Ct);
        var hidden = await admin.GetPathAsync($"/api/v1/users/{outsider}");
        var missing = await admin.GetPathAsync($"/api/v1/users/{Guid.CreateVersion7()}");
        hidden.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await hidden.JsonAsync()).GetProperty("code").GetString().Should().Be("users.not_found");
        (await admin.PostJsonAsync($"/api/v1/users/{outsider}/unmask", new { field = "phone", reason = "核实身份信息" }))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_caller_without_users_manage_gets_403_and_an_anonymous_one_401(DatabaseProvider provider)
    {
        await using var app = await PeopleData.StartWithStaffAsync(provider);
        var worker = await PeopleData.SignedInClientAsync(app, "kd.worker");
        var admin = await PeopleData.SignedInClientAsync(app, "kd.admin");
        var id = await IdOfAsync(admin, "kd.worker");

        var list = await worker.GetPathAsync("/api/v1/users");
        list.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await list.JsonAsync()).GetProperty("code").GetString().Should().Be("users.forbidden");
        (await worker.GetPathAsync($"/api/v1/users/{id}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await worker.PostJsonAsync($"/api/v1/users/{id}/unmask", new { field = "phone", reason = "查看自己的号码" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var anonymous = app.CreateClient();
        var refused = await anonymous.GetPathAsync("/api/v1/users");
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await refused.JsonAsync()).GetProperty("code").GetString().Should().Be("auth.unauthenticated");
        (await anonymous.GetPathAsync($"/api/v1/users/{id}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.PostJsonAsync($"/api/v1/users/{id}/unmask", new { field = "phone", reason = "核实身份信息" }))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await UnmaskRecordsAsync(app)).Should().BeEmpty();
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Unmask_needs_a_reason_returns_the_clear_phone_and_audits_it_masked(DatabaseProvider provider)
    {
        await using var app = await PeopleData.StartWithStaffAsync(provider);
        var admin = await PeopleData.SignedInClientAsync(app, "kd.admin");
        var id = await IdOfAsync(admin, "kd.worker");
        var url = $"/api/v1/users/{id}/unmask";

        foreach (var body in new object[] { new { field = "phone" }, new { field = "phone", reason = "看看" }, new { field = "phone", reason = "   " } })
        {
            var refused = await admin.PostJsonAsync(url, body);
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await refused.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _).Should().BeTrue();
        }
        var wrongField = await admin.PostJsonAsync(url, new { field = "password", reason = "核实身份信息" });
        wrongField.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await wrongField.JsonAsync()).GetProperty("errors").TryGetProperty("field", out _).Should().BeTrue();
        (await UnmaskRecordsAsync(app)).Should().BeEmpty("nothing was shown");

        // A number typed into the reason is masked before it reaches the chain as well.
        var shown = await admin.PostJsonAsync(url, new { field = "phone", reason = "回访工单，来电 13804711234 核实" });
        shown.StatusCode.Should().Be(HttpStatusCode.OK);
        shown.Headers.CacheControl!.NoStore.Should().BeTrue();
        var value = await shown.JsonAsync();
        value.GetProperty("field").GetString().Should().Be("phone");
        value.GetProperty("value").GetString().Should().Be(PeopleData.Phone);

        var record = (await UnmaskRecordsAsync(app)).Should().ContainSingle().Subject;
        record.Actor.Should().Be("kd.admin");
        record.Target.Should().Be($"user:{id}");
        record.TraceId.Should().NotBeNullOrEmpty();
        record.Detail.Should().NotContain(PeopleData.Phone).And.Contain("138****1234").And.Contain("回访工单").And.Contain("phone");
        using var detail = JsonDocument.Parse(record.Detail!);
        detail.RootElement.GetProperty("field").GetString().Should().Be("phone");
        detail.RootElement.GetProperty("value").GetString().Should().Be("138****1234");

        // The list still masks: one unmask shows the value once, it does not open the user.
        (await (await admin.GetPathAsync($"/api/v1/users/{id}")).JsonAsync()).GetProperty("phone").GetString().Should().Be("138****1234");
    }
}
