using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Cases.Deadlines;
using CivicGrid.Modules.Cases.Notices;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Notifications.Contracts;
using CivicGrid.Modules.Notifications.Sms;
using CivicGrid.Tests.Cases;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CivicGrid.Tests.Notifications;

/// <summary>The in-app inbox and text messages, fed by case dispatch and the deadline job, on both databases.</summary>
public sealed class NotificationTests
{
    private const string StaffPhone = "13904711234";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The SMS gateway: the one thing replaced, because a text leaves the system.</summary>
    private sealed class FakeSms : ISmsSender
    {
        public ConcurrentQueue<(string Phone, string Text)> Sent { get; } = new();

        public Task SendAsync(string phone, string text, CancellationToken cancellationToken = default)
        {
            Sent.Enqueue((phone, text));
            return Task.CompletedTask;
        }
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_dispatch_lands_in_the_assignees_inbox_only_and_he_marks_it_read(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (township, grid, lon, lat) = await CaseDeadlineTests.PlaceAsync(app);
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var (caseId, number) = await DispatchedCaseAsync(worker, staff, grid, lon, lat);

        var inbox = await (await worker.GetPathAsync("/api/v1/notifications")).JsonAsync();
        inbox.GetProperty("total").GetInt32().Should().Be(1);
        var notice = inbox.GetProperty("items")[0];
        notice.GetProperty("kind").GetString().Should().Be(CaseNotices.Dispatched);
        notice.GetProperty("title").GetString().Should().Contain(number);
        notice.GetProperty("link").GetString().Should().Be($"/cases/{caseId}");
        notice.GetProperty("readAt").ValueKind.Should().Be(JsonValueKind.Null);
        (await UnreadAsync(worker)).Should().Be(1);
        (await (await staff.GetPathAsync("/api/v1/notifications")).JsonAsync()).GetProperty("total").GetInt32().Should().Be(0, "only the assignee is told");

        // Someone else's notification does not exist for him.
        var noticeId = notice.GetProperty("id").GetString()!;
        (await staff.PostJsonAsync($"/api/v1/notifications/{noticeId}/read", new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await UnreadAsync(worker)).Should().Be(1);

        var read = await worker.PostJsonAsync($"/api/v1/notifications/{noticeId}/read", new { });
        read.StatusCode.Should().Be(HttpStatusCode.OK);
        (await read.JsonAsync()).GetProperty("readAt").ValueKind.Should().Be(JsonValueKind.String);
        (await UnreadAsync(worker)).Should().Be(0);
        (await (await worker.GetPathAsync("/api/v1/notifications?unread=true")).JsonAsync()).GetProperty("total").GetInt32().Should().Be(0);
        (await (await worker.GetPathAsync("/api/v1/notifications?unread=false")).JsonAsync()).GetProperty("total").GetInt32().Should().Be(1);
        (await (await worker.PostJsonAsync("/api/v1/notifications/read-all", new { })).JsonAsync()).GetProperty("unread").GetInt32().Should().Be(0);
        (await worker.GetPathAsync("/api/v1/notifications?pageSize=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_dispatch_to_a_unit_tells_the_users_handling_cases_there_or_the_departments_officers(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (township, grid, lon, lat) = await CaseDeadlineTests.PlaceAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<IUserAccounts>();
            (await accounts.CreateAsync("urban-officer", new RoleGrant(Roles.Department, township[..6], "urban-management"),
                CivicGridApp.TestPassword, cancellationToken: Ct)).IsSuccess.Should().BeTrue();
            (await accounts.CreateAsync("water-officer", new RoleGrant(Roles.Department, township[..6], "water"),
                CivicGridApp.TestPassword, cancellationToken: Ct)).IsSuccess.Should().BeTrue();
        }
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, township);
        foreach (var unit in new[] { grid, "urban-management" })
        {
            var created = await (await worker.PostJsonAsync("/api/v1/cases", new { categoryCode = "0301", lon, lat, description = "占道经营" })).JsonAsync();
            var id = created.GetProperty("id").GetString()!;
            (await staff.PostJsonAsync($"/api/v1/cases/{id}/accept", new { })).StatusCode.Should().Be(HttpStatusCode.OK);
            (await staff.PostJsonAsync($"/api/v1/cases/{id}/dispatch", new { assignee = unit })).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        // The grid's code: the grid's worker (and the demo's, granted there); the department: its officers only.
        (await UnreadAsync(worker)).Should().Be(1);
        (await UnreadAsync(await app.ClientAsAsync(Roles.Department, township[..6], "urban-officer"))).Should().Be(1);
        (await UnreadAsync(await app.ClientAsAsync(Roles.Department, township[..6], "water-officer"))).Should().Be(0);
        (await UnreadAsync(staff)).Should().Be(0);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_deadline_job_tells_each_step_once_even_when_rerun_and_texts_overdue_and_escalation(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        var sms = new FakeSms();
        await using var app = await CivicGridApp.StartAsync(provider,
            settings: new Dictionary<string, string?> { ["Cases:DeadlineSweep"] = "false", ["Notifications:SmsJob"] = "false" },
            services: s => s.AddSingleton<TimeProvider>(clock).AddSingleton<ISmsSender>(sms));
        var (township, grid, lon, lat) = await CaseDeadlineTests.PlaceAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<IUserAccounts>().CreateAsync("staff-with-phone",
                new RoleGrant(Roles.Township, township), CivicGridApp.TestPassword, phone: StaffPhone, cancellationToken: Ct);
            created.IsSuccess.Should().BeTrue(created.Error?.Message);
        }
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var staffWithPhone = await app.ClientAsAsync(Roles.Township, township, "staff-with-phone");
        var (caseId, number) = await DispatchedCaseAsync(worker, staff, grid, lon, lat);

        // Two weeks later the grid's handling is long overdue: yellow, red, and escalated to the township.
        clock.Advance(TimeSpan.FromDays(14));
        var job = app.Services.GetRequiredService<CaseDeadlineJob>();
        (await job.RunOnceAsync(Ct)).Should().Be(new CaseDeadlineSweep(1, 1, 1));
        (await job.RunOnceAsync(Ct)).Should().Be(new CaseDeadlineSweep(0, 0, 0));
        // Two weeks on, the tokens have expired: sign in again.
        worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        staff = await app.ClientAsAsync(Roles.Township, township);
        staffWithPhone = await app.ClientAsAsync(Roles.Township, township, "staff-with-phone");
        (await KindsAsync(worker)).Should().BeEquivalentTo([CaseNotices.Dispatched, CaseNotices.Warning, CaseNotices.Overdue]);
        (await KindsAsync(staffWithPhone)).Should().BeEquivalentTo([CaseNotices.Overdue, CaseNotices.Escalated]);

        // Told again for the same steps (a retried pass): nobody is told twice.
        var detail = await (await staff.GetPathAsync($"/api/v1/cases/{caseId}")).JsonAsync();
        var overdue = detail.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "deadline_overdue");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var notices = scope.ServiceProvider.GetRequiredService<CaseNotices>();
            (await notices.DeadlinesAsync([(Guid.Parse(caseId), number, grid, $"t-{Roles.GridWorker}-{grid}",
                overdue.GetProperty("sequence").GetInt32())], overdue: true, Ct)).Should().Be(0);
        }
        (await KindsAsync(worker)).Should().HaveCount(3);
        (await KindsAsync(staffWithPhone)).Should().HaveCount(2);

        // Texts: overdue and escalation only, to the township's staff who have a phone (the demo's too), once.
        var outbox = app.Services.GetRequiredService<SmsOutbox>();
        var sent = await outbox.RunOnceAsync(Ct);
        (await outbox.RunOnceAsync(Ct)).Should().Be(0);
        sms.Sent.Should().HaveCount(sent);
        sms.Sent.Should().OnlyContain(t => t.Text.Contains(number, StringComparison.Ordinal));
        var mine = sms.Sent.Where(t => t.Phone == StaffPhone).Select(t => t.Text).ToList();
        mine.Should().HaveCount(2);
        mine.Should().Contain(t => t.Contains("超期", StringComparison.Ordinal)).And.Contain(t => t.Contains("上报街镇", StringComparison.Ordinal));
        sms.Sent.Should().NotContain(t => t.Text.Contains("即将超期", StringComparison.Ordinal) || t.Text.Contains("新派遣事件", StringComparison.Ordinal));
    }

    private static async Task<int> UnreadAsync(HttpClient client) =>
        (await (await client.GetPathAsync("/api/v1/notifications/unread-count")).JsonAsync()).GetProperty("unread").GetInt32();

    private static async Task<List<string>> KindsAsync(HttpClient client) =>
        [.. (await (await client.GetPathAsync("/api/v1/notifications")).JsonAsync()).GetProperty("items").EnumerateArray()
            .Select(n => n.GetProperty("kind").GetString()!)];

    private static async Task<(string Id, string Number)> DispatchedCaseAsync(HttpClient worker, HttpClient staff, string grid, double lon, double lat)
    {
        var created = await (await worker.PostJsonAsync("/api/v1/cases", new { categoryCode = "0301", lon, lat, description = "垃圾堆放" })).JsonAsync();
        var id = created.GetProperty("id").GetString()!;
        (await staff.PostJsonAsync($"/api/v1/cases/{id}/accept", new { })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await staff.PostJsonAsync($"/api/v1/cases/{id}/dispatch", new { assignee = $"t-{Roles.GridWorker}-{grid}" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        return (id, created.GetProperty("number").GetString()!);
    }
}
