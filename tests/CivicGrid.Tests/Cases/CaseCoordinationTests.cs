using System.Net;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Cases.Deadlines;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CivicGrid.Tests.Cases;

/// <summary>吹哨报到, 督办, duplicates (nearby, merge, follow) and declined dispatches, on both databases.</summary>
public sealed class CaseCoordinationTests
{
    private const string Kundulun = "150203";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Monday 30 November 2026, 09:00 in Beijing: a working day.</summary>
    private static readonly DateTimeOffset MondayNine = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    private static async Task<(CivicGridApp App, FakeTimeProvider Clock, string Township, string Grid, double Lon, double Lat)> StartAsync(
        DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(MondayNine);
        var app = await CivicGridApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Cases:DeadlineSweep"] = "false" },
            services: s => s.AddSingleton<TimeProvider>(clock));
        var admin = await app.AdminClientAsync(Kundulun);
        var township = (await (await admin.GetPathAsync($"/api/v1/divisions/{Kundulun}/children")).JsonAsync())
            .EnumerateArray().First().GetProperty("code").GetString()!;
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);
        return (app, clock, township, grid, lon, lat);
    }

    private static async Task<string> ReportAsync(HttpClient client, double lon, double lat, string category = "0301")
    {
        var created = await client.PostJsonAsync("/api/v1/cases", new { categoryCode = category, lon, lat, description = "垃圾堆放" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await created.JsonAsync()).GetProperty("id").GetString()!;
    }

    private static IEnumerable<string> Actions(JsonElement detail) =>
        detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("action").GetString()!);

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_township_summons_departments_each_reports_in_and_one_that_does_not_is_marked_late_once(DatabaseProvider provider)
    {
        var (app, clock, township, grid, lon, lat) = await StartAsync(provider);
        await using var running = app;
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var urban = await app.ClientAsAsync(Roles.Department, Kundulun, department: "urban-management");
        var water = await app.ClientAsAsync(Roles.Department, Kundulun, department: "water");
        var id = await ReportAsync(worker, lon, lat);
        await CaseApiTests.ActAsync(staff, id, "accept", new { }, "accepted");

        (await worker.PostJsonAsync($"/api/v1/cases/{id}/summon", new { departments = new[] { "urban-management" } }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "a grid worker does not summon departments");
        var unknown = await staff.PostJsonAsync($"/api/v1/cases/{id}/summon", new { departments = new[] { "space-agency" } });
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.JsonAsync()).GetProperty("errors").TryGetProperty("departments", out _).Should().BeTrue();

        var summoned = await staff.PostJsonAsync($"/api/v1/cases/{id}/summon",
            new { departments = new[] { "urban-management", "housing" }, hours = 2, note = "占道经营与违建并存" });
        summoned.StatusCode.Should().Be(HttpStatusCode.OK);
        var detail = await summoned.JsonAsync();
        detail.GetProperty("state").GetString().Should().Be("accepted", "a summons does not move the case");
        Actions(detail).Should().EndWith("summon");

        // Only a summoned department reports in.
        var notSummoned = await water.PostJsonAsync($"/api/v1/cases/{id}/checkin", new { });
        notSummoned.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await notSummoned.JsonAsync()).GetProperty("code").GetString().Should().Be("cases.not_summoned");
        clock.Advance(TimeSpan.FromMinutes(40));
        urban = await app.ClientAsAsync(Roles.Department, Kundulun, department: "urban-management");
        var checkedIn = await urban.PostJsonAsync($"/api/v1/cases/{id}/checkin", new { note = "已到现场" });
        checkedIn.StatusCode.Should().Be(HttpStatusCode.OK);
        Actions(await checkedIn.JsonAsync()).Should().EndWith("checkin");
        (await urban.PostJsonAsync($"/api/v1/cases/{id}/checkin", new { })).StatusCode.Should().Be(HttpStatusCode.Forbidden, "once");

        // Housing never came: two working hours later the sweep marks it, once.
        var job = app.Services.GetRequiredService<CaseDeadlineJob>();
        await job.RunOnceAsync(Ct);
        clock.Advance(TimeSpan.FromHours(1.5));
        await job.RunOnceAsync(Ct);
        await job.RunOnceAsync(Ct);
        staff = await app.ClientAsAsync(Roles.Township, township); // signed in afresh: the clock moved past the token's lifetime
        var read = await (await staff.GetPathAsync($"/api/v1/cases/{id}")).JsonAsync();
        Actions(read).Count(a => a == "summons_overdue").Should().Be(1);
        var summons = (await (await staff.GetPathAsync($"/api/v1/cases/{id}/summons")).JsonAsync()).EnumerateArray()
            .ToDictionary(s => s.GetProperty("departmentCode").GetString()!);
        summons["urban-management"].GetProperty("checkedInAt").ValueKind.Should().NotBe(JsonValueKind.Null);
        summons["urban-management"].GetProperty("overdue").GetBoolean().Should().BeFalse();
        summons["housing"].GetProperty("overdue").GetBoolean().Should().BeTrue();
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_higher_level_supervises_and_an_assignee_declines_a_wrong_dispatch(DatabaseProvider provider)
    {
        var (app, _, township, grid, lon, lat) = await StartAsync(provider);
        await using var __ = app;
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var leader = await app.ClientAsAsync(Roles.Leader, Kundulun);
        var urban = await app.ClientAsAsync(Roles.Department, Kundulun, department: "urban-management");
        var id = await ReportAsync(worker, lon, lat);

        (await worker.PostJsonAsync($"/api/v1/cases/{id}/supervise", new { note = "抓紧" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await leader.PostJsonAsync($"/api/v1/cases/{id}/supervise", new { })).StatusCode.Should().Be(HttpStatusCode.BadRequest, "a note is required");
        var supervised = await leader.PostJsonAsync($"/api/v1/cases/{id}/supervise", new { note = "群众反映强烈，请三日内办结" });
        supervised.StatusCode.Should().Be(HttpStatusCode.OK);
        var timeline = (await supervised.JsonAsync()).GetProperty("timeline").EnumerateArray().Last();
        timeline.GetProperty("action").GetString().Should().Be("supervise");
        timeline.GetProperty("role").GetString().Should().Be("leader");
        timeline.GetProperty("note").GetString().Should().Contain("三日内办结");

        await CaseApiTests.ActAsync(staff, id, "accept", new { }, "accepted");
        await CaseApiTests.ActAsync(staff, id, "dispatch", new { assignee = "urban-management" }, "dispatched");
        (await urban.PostJsonAsync($"/api/v1/cases/{id}/decline", new { })).StatusCode.Should().Be(HttpStatusCode.BadRequest, "a reason is required");
        var declined = await CaseApiTests.ActAsync(urban, id, "decline", new { reason = "属物业管理范围" }, "accepted");
        declined.GetProperty("assignee").ValueKind.Should().Be(JsonValueKind.Null);
        await CaseApiTests.ActAsync(staff, id, "dispatch", new { assignee = "housing" }, "dispatched");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_second_report_nearby_is_offered_as_a_duplicate_merged_and_its_reporter_follows_the_first(DatabaseProvider provider)
    {
        var (app, _, township, grid, lon, lat) = await StartAsync(provider);
        await using var __ = app;
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var neighbour = await app.ClientAsAsync(Roles.GridWorker, grid, "t-neighbour");
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var first = await ReportAsync(worker, lon, lat);

        // 20 m away, same category: offered; another category or 500 m away: not.
        var near = lat + 20 / 111_320.0;
        var offered = (await (await neighbour.GetPathAsync(FormattableString.Invariant($"/api/v1/cases/nearby?categoryCode=0301&lon={lon}&lat={near}"))).JsonAsync())
            .EnumerateArray().ToList();
        offered.Should().ContainSingle().Which.GetProperty("id").GetString().Should().Be(first);
        offered[0].GetProperty("distanceMeters").GetDouble().Should().BeInRange(15, 25);
        (await (await neighbour.GetPathAsync(FormattableString.Invariant($"/api/v1/cases/nearby?categoryCode=0302&lon={lon}&lat={near}"))).JsonAsync())
            .GetArrayLength().Should().Be(0);
        (await (await neighbour.GetPathAsync(FormattableString.Invariant($"/api/v1/cases/nearby?categoryCode=0301&lon={lon}&lat={lat + 500 / 111_320.0}"))).JsonAsync())
            .GetArrayLength().Should().Be(0);
        (await neighbour.GetPathAsync("/api/v1/cases/nearby?categoryCode=9999&lon=1&lat=1")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // He reports anyway; the township merges his into the first.
        var second = await ReportAsync(neighbour, lon, near);
        (await worker.PostJsonAsync($"/api/v1/cases/{second}/merge", new { intoId = first })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await staff.PostJsonAsync($"/api/v1/cases/{second}/merge", new { intoId = second })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var merged = await CaseApiTests.ActAsync(staff, second, "merge", new { intoId = first, note = "同一处垃圾" }, "merged");
        merged.GetProperty("light").ValueKind.Should().Be(JsonValueKind.Null, "a merged case runs no clock");
        (await staff.PostJsonAsync($"/api/v1/cases/{second}/accept", new { })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var target = await (await staff.GetPathAsync($"/api/v1/cases/{first}")).JsonAsync();
        Actions(target).Should().EndWith("merged_in");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var firstId = Guid.Parse(first);
            var followers = await db.Set<CaseFollower>().IgnoreQueryFilters().Where(f => f.CaseId == firstId).Select(f => f.UserId).ToListAsync(Ct);
            followers.Should().ContainSingle("the reporter of the duplicate follows the case it repeats");
        }
        // The neighbour follows the first case now: following again changes nothing; he can stop.
        (await neighbour.PostJsonAsync($"/api/v1/cases/{first}/follow", new { })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await neighbour.DeleteAsync(new Uri($"/api/v1/cases/{first}/follow", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await neighbour.PostJsonAsync($"/api/v1/cases/{Guid.NewGuid()}/follow", new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
