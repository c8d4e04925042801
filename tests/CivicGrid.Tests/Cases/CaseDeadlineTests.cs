using System.Net;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Cases.Deadlines;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CivicGrid.Tests.Cases;

/// <summary>Stage deadlines in working time, their traffic lights, and the deadline job, on both databases.</summary>
public sealed class CaseDeadlineTests
{
    private const string Kundulun = "150203";

    // Friday 27 November 2026, 16:00 in Shanghai.
    private static readonly DateTimeOffset FridayFour = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) =>
        new DateTimeOffset(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    private static async Task<(CivicGridApp App, FakeTimeProvider Clock)> StartAsync(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(FridayFour);
        // The tests run the sweep themselves, at the instants they choose.
        var app = await CivicGridApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Cases:DeadlineSweep"] = "false" },
            services: s => s.AddSingleton<TimeProvider>(clock));
        return (app, clock);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_report_on_Friday_at_four_with_four_working_hours_is_due_on_Monday_and_turns_yellow_then_red_once(DatabaseProvider provider)
    {
        var (app, clock) = await StartAsync(provider);
        await using var _ = app;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            await db.Database.ExecuteSqlRawAsync("UPDATE case_categories SET \"AcceptHours\" = 4 WHERE \"Code\" = '0301'", Ct);
        }
        var (township, grid, lon, lat) = await PlaceAsync(app);
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var created = await (await worker.PostJsonAsync("/api/v1/cases",
            new { categoryCode = "0301", lon, lat, description = "垃圾堆放" })).JsonAsync();
        var id = created.GetProperty("id").GetString()!;
        created.GetProperty("dueAt").GetDateTimeOffset().Should().Be(Local(11, 30, 11), "1.5 hours on Friday, 2.5 on Monday from 08:30");
        created.GetProperty("light").GetString().Should().Be("green");

        var job = app.Services.GetRequiredService<CaseDeadlineJob>();
        (await job.RunOnceAsync(Ct)).Should().Be(new CaseDeadlineSweep(0, 0, 0));

        // 80% of 4 working hours = 3.2: 1.5 on Friday, 1.7 on Monday → 10:12.
        clock.SetUtcNow(Local(11, 30, 10, 11));
        (await LightAsync(app, township, id)).Should().Be("green");
        clock.SetUtcNow(Local(11, 30, 10, 12));
        (await LightAsync(app, township, id)).Should().Be("yellow");
        (await job.RunOnceAsync(Ct)).Warned.Should().Be(1);
        (await job.RunOnceAsync(Ct)).Should().Be(new CaseDeadlineSweep(0, 0, 0), "a warning is written once");

        clock.SetUtcNow(Local(11, 30, 11));
        (await LightAsync(app, township, id)).Should().Be("red");
        (await job.RunOnceAsync(Ct)).Should().Be(new CaseDeadlineSweep(0, 1, 0), "a reported case is not escalated");
        (await job.RunOnceAsync(Ct)).Should().Be(new CaseDeadlineSweep(0, 0, 0));

        var detail = await CaseAsync(app, township, id);
        var actions = detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        actions.Should().Equal("report_case", "deadline_warning", "deadline_overdue");
        detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt32()).Should().Equal(1, 2, 3);

        // Accepting starts the dispatch clock afresh (4 hours for 0301): green again.
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var accepted = await (await staff.PostJsonAsync($"/api/v1/cases/{id}/accept", new { })).JsonAsync();
        accepted.GetProperty("light").GetString().Should().Be("green");
        accepted.GetProperty("dueAt").GetDateTimeOffset().Should().Be(Local(11, 30, 16, 30), "11:00-12:00 and 13:30-16:30");

        // The seeded calendar in the database: across the make-up Saturday 14 February 2026 the clock runs.
        var calendar = await app.Services.GetRequiredService<WorkingCalendarSource>().GetAsync(Ct);
        calendar.Add(Local(2, 13, 16), TimeSpan.FromHours(4)).Should().Be(Local(2, 14, 11));
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task An_overdue_grid_level_case_is_escalated_to_the_township_exactly_once(DatabaseProvider provider)
    {
        var (app, clock) = await StartAsync(provider);
        await using var _ = app;
        var (township, grid, lon, lat) = await PlaceAsync(app);
        var id = await DispatchedCaseAsync(app, township, grid, lon, lat);

        // 0301 is handled at grid level within 24 working hours: long past after two weeks.
        clock.Advance(TimeSpan.FromDays(14));
        var job = app.Services.GetRequiredService<CaseDeadlineJob>();
        (await job.RunOnceAsync(Ct)).Should().Be(new CaseDeadlineSweep(1, 1, 1));
        (await job.RunOnceAsync(Ct)).Should().Be(new CaseDeadlineSweep(0, 0, 0));

        var detail = await CaseAsync(app, township, id);
        detail.GetProperty("state").GetString().Should().Be("accepted");
        detail.GetProperty("assignee").GetString().Should().Be(grid[..9]);
        detail.GetProperty("escalationLevel").GetInt32().Should().Be(1);
        detail.GetProperty("light").GetString().Should().Be("green", "the township's dispatch clock has just started");
        var timeline = detail.GetProperty("timeline").EnumerateArray().ToList();
        timeline.Select(e => e.GetProperty("action").GetString()).Should().Equal(
            "report_case", "accept", "dispatch", "deadline_warning", "deadline_overdue", "escalate");
        timeline[^1].GetProperty("actor").GetString().Should().Be("system");
        timeline[^1].GetProperty("fromState").GetString().Should().Be("dispatched");

        // The township lets its dispatch deadline pass too, then dispatches and lets handling run over:
        // marked overdue each time, never escalated again.
        clock.Advance(TimeSpan.FromDays(14));
        (await job.RunOnceAsync(Ct)).Should().Be(new CaseDeadlineSweep(1, 1, 0));
        var staff = await app.ClientAsAsync(Roles.Township, township);
        (await staff.PostJsonAsync($"/api/v1/cases/{id}/dispatch", new { assignee = "urban-management" })).StatusCode.Should().Be(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromDays(14));
        (await job.RunOnceAsync(Ct)).Should().Be(new CaseDeadlineSweep(1, 1, 0));
        var actions = (await CaseAsync(app, township, id)).GetProperty("timeline").EnumerateArray()
            .Select(e => e.GetProperty("action").GetString()).ToList();
        actions.Count(a => a == "escalate").Should().Be(1);
        actions.Count(a => a == "deadline_overdue").Should().Be(3);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Two_job_instances_at_once_escalate_each_case_once(DatabaseProvider provider)
    {
        var (app, clock) = await StartAsync(provider);
        await using var _ = app;
        var (township, grid, lon, lat) = await PlaceAsync(app);
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await DispatchedCaseAsync(app, township, grid, lon, lat));
        }
        clock.Advance(TimeSpan.FromDays(14));

        // Two instances, each with its own connections, as two processes would be.
        var jobs = Enumerable.Range(0, 2).Select(_ => ActivatorUtilities.CreateInstance<CaseDeadlineJob>(app.Services)).ToList();
        var sweeps = await Task.WhenAll(jobs.Concat(jobs).Select(j => Task.Run(() => j.RunOnceAsync(Ct), Ct)));
        sweeps.Sum(s => s.Warned).Should().Be(ids.Count);
        sweeps.Sum(s => s.Overdue).Should().Be(ids.Count);
        sweeps.Sum(s => s.Escalated).Should().Be(ids.Count);
        foreach (var id in ids)
        {
            var actions = (await CaseAsync(app, township, id)).GetProperty("timeline").EnumerateArray()
                .Select(e => e.GetProperty("action").GetString()).ToList();
            actions.Should().Equal("report_case", "accept", "dispatch", "deadline_warning", "deadline_overdue", "escalate");
        }
        foreach (var job in jobs)
        {
            job.Dispose();
        }
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task An_administrator_edits_a_years_holidays_and_others_may_not(DatabaseProvider provider)
    {
        var (app, _) = await StartAsync(provider);
        await using var __ = app;
        var admin = await app.AdminClientAsync();
        var year = await (await admin.GetPathAsync("/api/v1/case-holidays/2026")).JsonAsync();
        year.GetArrayLength().Should().Be(39);
        year.EnumerateArray().Should().Contain(d => d.GetProperty("date").GetString() == "2026-02-14"
            && d.GetProperty("kind").GetString() == "workday");

        var days = new[]
        {
            new { date = "2027-01-01", kind = "holiday", name = "元旦" },
            new { date = "2027-02-20", kind = "workday", name = "春节调休上班" },
        };
        var put = await admin.PutAsync(new Uri("/api/v1/case-holidays/2027", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(days), Ct);
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await admin.GetPathAsync("/api/v1/case-holidays/2027")).JsonAsync()).GetArrayLength().Should().Be(2);
        var calendar = await app.Services.GetRequiredService<WorkingCalendarSource>().GetAsync(Ct);
        calendar.IsWorkingDay(new DateOnly(2027, 2, 20)).Should().BeTrue();
        calendar.IsWorkingDay(new DateOnly(2027, 1, 1)).Should().BeFalse();

        var wrong = await admin.PutAsync(new Uri("/api/v1/case-holidays/2027", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new[] { new { date = "2028-01-01", kind = "party", name = "x" } }), Ct);
        wrong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await wrong.JsonAsync()).GetProperty("errors");
        errors.TryGetProperty("date", out var __d).Should().BeTrue();
        errors.TryGetProperty("kind", out var __k).Should().BeTrue();

        var staff = await app.ClientAsAsync(Roles.Township, "150203001");
        (await staff.GetPathAsync("/api/v1/case-holidays/2026")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private static async Task<string> DispatchedCaseAsync(CivicGridApp app, string township, string grid, double lon, double lat)
    {
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var created = await (await worker.PostJsonAsync("/api/v1/cases",
            new { categoryCode = "0301", lon, lat, description = "垃圾堆放" })).JsonAsync();
        var id = created.GetProperty("id").GetString()!;
        (await staff.PostJsonAsync($"/api/v1/cases/{id}/accept", new { })).StatusCode.Should().Be(HttpStatusCode.OK);
        var dispatched = await staff.PostJsonAsync($"/api/v1/cases/{id}/dispatch", new { assignee = $"t-{Roles.GridWorker}-{grid}" });
        dispatched.StatusCode.Should().Be(HttpStatusCode.OK);
        return id;
    }

    internal static async Task<(string Township, string Grid, double Lon, double Lat)> PlaceAsync(CivicGridApp app)
    {
        var admin = await app.AdminClientAsync(Kundulun);
        var township = (await (await admin.GetPathAsync($"/api/v1/divisions/{Kundulun}/children")).JsonAsync())
            .EnumerateArray().First().GetProperty("code").GetString()!;
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);
        return (township, grid, lon, lat);
    }

    private static async Task<JsonElement> CaseAsync(CivicGridApp app, string township, string id)
    {
        // Signed in afresh: the fake clock may have moved past an earlier token's lifetime.
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var response = await staff.GetPathAsync($"/api/v1/cases/{id}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    private static async Task<string?> LightAsync(CivicGridApp app, string township, string id) =>
        (await CaseAsync(app, township, id)).GetProperty("light").GetString();
}
