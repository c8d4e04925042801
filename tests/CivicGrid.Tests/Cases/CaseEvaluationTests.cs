using System.Net;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CivicGrid.Tests.Cases;

/// <summary>综合评价: the figures of a known set of cases, per division and down to the grid, on both databases.</summary>
public sealed class CaseEvaluationTests
{
    private const string Kundulun = "150203";

    /// <summary>Monday 30 November 2026, 09:00 in Beijing.</summary>
    private static readonly DateTimeOffset MondayNine = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_figures_count_what_happened_to_each_case_and_drill_down_to_the_grid(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(MondayNine);
        var settings = new Dictionary<string, string?>
        {
            ["Cases:DeadlineSweep"] = "false",
            ["Identity:AccessTokenMinutes"] = "100000", // the fake clock moves days; the clients stay signed in
        };
        await using var app = await CivicGridApp.StartAsync(provider, settings: settings, services: s => s.AddSingleton<TimeProvider>(clock));
        var admin = await app.AdminClientAsync(Kundulun);
        var townships = (await (await admin.GetPathAsync($"/api/v1/divisions/{Kundulun}/children")).JsonAsync())
            .EnumerateArray().Select(t => t.GetProperty("code").GetString()!).ToList();
        var (township, other) = (townships[0], townships[1]);
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, township);

        async Task<string> ReportAsync()
        {
            var created = await worker.PostJsonAsync("/api/v1/cases", new { categoryCode = "0301", lon, lat, description = "垃圾堆放" });
            created.StatusCode.Should().Be(HttpStatusCode.Created);
            return (await created.JsonAsync()).GetProperty("id").GetString()!;
        }
        Task Act(HttpClient client, string id, string action, object body, string state) => CaseApiTests.ActAsync(client, id, action, body, state);
        var assignee = $"t-{Roles.GridWorker}-{grid}";

        // 1: the whole loop on time, satisfied.
        var one = await ReportAsync();
        await Act(staff, one, "accept", new { }, "accepted");
        await Act(staff, one, "dispatch", new { assignee }, "dispatched");
        clock.Advance(TimeSpan.FromMinutes(30));
        await Act(worker, one, "report", new { note = "已清理" }, "reported_back");
        await Act(worker, one, "verify", new { }, "verified");
        await Act(staff, one, "close", new { }, "closed");
        await Act(worker, one, "followup", new { satisfaction = "satisfied" }, "followed_up");
        // 2: returned once for rework, then closed; dissatisfied.
        var two = await ReportAsync();
        await Act(staff, two, "accept", new { }, "accepted");
        await Act(staff, two, "dispatch", new { assignee }, "dispatched");
        await Act(worker, two, "report", new { note = "已清理" }, "reported_back");
        await Act(staff, two, "return", new { reason = "仍有残留" }, "dispatched");
        await Act(worker, two, "report", new { note = "残留已清理" }, "reported_back");
        await Act(worker, two, "verify", new { }, "verified");
        await Act(staff, two, "close", new { }, "closed");
        await Act(worker, two, "followup", new { satisfaction = "dissatisfied" }, "followed_up");
        // 3: dispatched to the wrong unit, declined; 4: accepted three working days late; 5: rejected.
        var three = await ReportAsync();
        await Act(staff, three, "accept", new { }, "accepted");
        await Act(staff, three, "dispatch", new { assignee = "urban-management" }, "dispatched");
        var urban = await app.ClientAsAsync(Roles.Department, Kundulun, department: "urban-management");
        await Act(urban, three, "decline", new { reason = "不属本部门" }, "accepted");
        var four = await ReportAsync();
        clock.Advance(TimeSpan.FromDays(3));
        await Act(staff, four, "accept", new { }, "accepted");
        var five = await ReportAsync();
        await Act(staff, five, "reject", new { reason = "重复上报" }, "rejected");

        var leader = await app.ClientAsAsync(Roles.Leader, Kundulun);
        var report = await (await leader.GetPathAsync($"/api/v1/case-evaluation?within={Kundulun}&from=2026-11-01&to=2026-12-31")).JsonAsync();
        var total = report.GetProperty("total");
        total.GetProperty("received").GetInt32().Should().Be(5);
        total.GetProperty("accepted").GetInt32().Should().Be(4);
        total.GetProperty("acceptedOnTimeRate").GetDouble().Should().Be(0.75, "the fourth was accepted late");
        total.GetProperty("dispatched").GetInt32().Should().Be(3);
        total.GetProperty("accurateDispatchRate").GetDouble().Should().BeApproximately(2 / 3.0, 0.0001, "one dispatch was declined");
        total.GetProperty("handled").GetInt32().Should().Be(2);
        total.GetProperty("handledRate").GetDouble().Should().BeApproximately(2 / 3.0, 0.0001);
        total.GetProperty("closedRate").GetDouble().Should().Be(0.5, "two of the four accepted are closed");
        total.GetProperty("reworkRate").GetDouble().Should().Be(0.5);
        total.GetProperty("satisfactionRate").GetDouble().Should().Be(0.5);
        total.GetProperty("averageHandleMinutes").GetDouble().Should().Be(15, "30 minutes and 0 minutes");

        // By division: the township's row holds all five; the other township has none.
        var rows = report.GetProperty("rows").EnumerateArray().ToList();
        rows.Should().ContainSingle(r => r.GetProperty("key").GetString() == township)
            .Which.GetProperty("received").GetInt32().Should().Be(5);
        rows.Should().NotContain(r => r.GetProperty("key").GetString() == other);
        // Drill down to the grid.
        var community = grid[..12];
        var down = await (await leader.GetPathAsync($"/api/v1/case-evaluation?within={community}&from=2026-11-01&to=2026-12-31")).JsonAsync();
        down.GetProperty("rows").EnumerateArray().Should().ContainSingle().Which.GetProperty("key").GetString().Should().Be(grid);
        var byPerson = await (await leader.GetPathAsync($"/api/v1/case-evaluation?within={Kundulun}&by=person&from=2026-11-01&to=2026-12-31")).JsonAsync();
        byPerson.GetProperty("rows").EnumerateArray().Should().ContainSingle().Which.GetProperty("handled").GetInt32().Should().Be(2);

        // Bad input, other jurisdictions, roles without dashboard.read.
        (await leader.GetPathAsync($"/api/v1/case-evaluation?within={Kundulun}&by=mood")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await leader.GetPathAsync($"/api/v1/case-evaluation?within={Kundulun}&from=2026-12-01&to=2026-11-01")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var otherStaff = await app.ClientAsAsync(Roles.Township, other);
        (await otherStaff.GetPathAsync($"/api/v1/case-evaluation?within={township}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var otherWorker = await app.ClientAsAsync(Roles.GridWorker, grid, "t-other-worker");
        (await otherWorker.GetPathAsync($"/api/v1/case-evaluation?within={grid}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
