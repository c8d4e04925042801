using System.Net;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Identity;

/// <summary>The auditors' API on both databases: filters, paging, capability, the audited CSV export.</summary>
public sealed class AuditApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<CivicGridApp> StartWithRecordsAsync(DatabaseProvider provider)
    {
        var app = await CivicGridApp.StartAsync(provider, seed: false);
        var log = app.Services.GetRequiredService<IAuditLog>();
        for (var i = 1; i <= 6; i++)
        {
            await log.AppendAsync(new AuditEntry(i % 2 == 0 ? "li.na" : "=cmd|' /C calc'!A0", "registry.unmask", $"person:{i}",
                $"reason {i}, \"quoted\"", "10.0.0." + i), Ct);
        }
        return app;
    }

    private static async Task<List<JsonItem>> ItemsAsync(HttpClient client, string query)
    {
        var response = await client.GetPathAsync("/api/v1/audit" + query);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var body = await response.JsonAsync();
        return [.. body.GetProperty("items").EnumerateArray().Select(i => new JsonItem(
            i.GetProperty("sequence").GetInt64(), i.GetProperty("actor").GetString()!, i.GetProperty("action").GetString()!,
            i.GetProperty("target").GetString()!, i.GetProperty("time").GetDateTimeOffset()))];
    }

    private sealed record JsonItem(long Sequence, string Actor, string Action, string Target, DateTimeOffset Time);

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Auditors_search_newest_first_with_filters_and_paging(DatabaseProvider provider)
    {
        await using var app = await StartWithRecordsAsync(provider);
        var admin = await app.AdminClientAsync();

        var all = await ItemsAsync(admin, "");
        all.Select(i => i.Sequence).Should().BeInDescendingOrder();
        all.Should().Contain(i => i.Action == "auth.sign_in" && i.Actor == "t-admin-15");
        all.Should().Contain(i => i.Action == "users.create");

        (await ItemsAsync(admin, "?action=registry.unmask")).Should().HaveCount(6).And.OnlyContain(i => i.Action == "registry.unmask");
        (await ItemsAsync(admin, "?action=auth.*")).Should().NotBeEmpty().And.OnlyContain(i => i.Action.StartsWith("auth.", StringComparison.Ordinal));
        (await ItemsAsync(admin, "?actor=li.na")).Select(i => i.Target).Should().Equal("person:6", "person:4", "person:2");
        (await ItemsAsync(admin, "?target=person:5")).Should().ContainSingle();
        (await ItemsAsync(admin, "?q=reason%203")).Should().ContainSingle().Which.Target.Should().Be("person:3");

        var newest = all[0].Time;
        (await ItemsAsync(admin, $"?from={Uri.EscapeDataString(newest.AddMinutes(1).ToString("O"))}")).Should().BeEmpty();
        (await ItemsAsync(admin, $"?to={Uri.EscapeDataString(newest.AddMinutes(1).ToString("O"))}&action=registry.unmask")).Should().HaveCount(6);

        var paged = await admin.GetPathAsync("/api/v1/audit?action=registry.unmask&page=2&pageSize=4");
        var page2 = await paged.JsonAsync();
        page2.GetProperty("total").GetInt32().Should().Be(6);
        page2.GetProperty("page").GetInt32().Should().Be(2);
        page2.GetProperty("items").GetArrayLength().Should().Be(2);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Bad_filters_are_field_errors_and_a_grid_worker_is_forbidden(DatabaseProvider provider)
    {
        await using var app = await StartWithRecordsAsync(provider);
        var admin = await app.AdminClientAsync();

        var bad = await admin.GetPathAsync("/api/v1/audit?from=yesterday&to=2026-11-23T08:00:00&pageSize=201");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await bad.JsonAsync()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Should().BeEquivalentTo("from", "to", "pageSize");

        var reversed = await admin.GetPathAsync("/api/v1/audit?from=2026-11-23T08:00:00Z&to=2026-11-22T08:00:00Z");
        reversed.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var worker = await app.ClientAsAsync(Roles.GridWorker, "150203003001001");
        (await worker.GetPathAsync("/api/v1/audit")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await worker.GetPathAsync("/api/v1/audit/export")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var centre = await app.ClientAsAsync(Roles.Centre, "150203");
        (await centre.GetPathAsync("/api/v1/audit")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await app.CreateClient().GetPathAsync("/api/v1/audit")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_csv_export_has_a_bom_escapes_cells_and_is_itself_audited(DatabaseProvider provider)
    {
        await using var app = await StartWithRecordsAsync(provider);
        var admin = await app.AdminClientAsync();

        var response = await admin.GetPathAsync("/api/v1/audit/export?action=registry.unmask");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.FileName.Should().Contain("audit-");
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        bytes.Take(3).Should().Equal(0xEF, 0xBB, 0xBF);
        var lines = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd('\n')).ToList();
        lines[0].Should().Be("sequence,time,actor,action,target,detail,ip,traceId");
        lines.Should().HaveCount(7);
        lines[1].Should().StartWith("6,").And.Contain(",li.na,registry.unmask,person:6,\"reason 6, \"\"quoted\"\"\",10.0.0.6,");
        lines[2].Should().Contain(",'=cmd|' /C calc'!A0,", "a formula is defused for spreadsheets");

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var exports = await db.Database.SqlQueryRaw<string>(
            "SELECT \"Actor\" AS \"Value\" FROM audit_records WHERE \"Action\" = 'audit.export'").ToListAsync(Ct);
        exports.Should().Equal("t-admin-15");
        (await ItemsAsync(admin, "?action=audit.export")).Should().ContainSingle();

        (await admin.GetPathAsync("/api/v1/audit/export?from=nope")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
