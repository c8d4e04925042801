using System.Globalization;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Audit;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CivicGrid.Tests.Identity;

/// <summary>Audit retention on both databases: old records pruned behind an anchor, the chain still verifiable, tampering still found.</summary>
public sealed class AuditRetentionTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<CivicGridApp> StartAsync(DatabaseProvider provider, FakeTimeProvider time) =>
        CivicGridApp.StartAsync(provider, seed: false, services: s => s.AddSingleton<TimeProvider>(time));

    private static async Task<List<AuditReceipt>> AppendAsync(CivicGridApp app, int count, string action = "registry.unmask")
    {
        var log = app.Services.GetRequiredService<IAuditLog>();
        var receipts = new List<AuditReceipt>();
        for (var i = 0; i < count; i++)
        {
            receipts.Add(await log.AppendAsync(new AuditEntry("li.na", action, $"person:{i}"), Ct));
        }
        return receipts;
    }

    private static async Task<T> QueryAsync<T>(CivicGridApp app, Func<CivicGridDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CivicGridDbContext>());
    }

    private static async Task ExecuteAsync(CivicGridApp app, string sql) => await QueryAsync(app, async db =>
    {
#pragma warning disable EF1002 // Test-only SQL written by the test itself.
        (await db.Database.ExecuteSqlRawAsync(sql, Ct)).Should().Be(1, sql);
#pragma warning restore EF1002
        return 0;
    });

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Records_older_than_the_retention_are_pruned_behind_an_anchor_and_the_chain_still_verifies(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(T0);
        await using var app = await StartAsync(provider, time);
        var job = app.Services.GetRequiredService<AuditRetentionJob>();
        var log = app.Services.GetRequiredService<IAuditLog>();
        var old = await AppendAsync(app, 5);
        time.Advance(TimeSpan.FromDays(100));
        var kept = await AppendAsync(app, 3);
        time.Advance(TimeSpan.FromDays(270)); // T0 + 370 days: the first five are past the default 365

        await job.RunOnceAsync(Ct);

        var anchors = await QueryAsync(app, db => db.Set<AuditAnchor>().AsNoTracking().ToListAsync(Ct));
        anchors.Should().ContainSingle();
        anchors[0].PrunedThroughSequence.Should().Be(5);
        anchors[0].PrunedThroughHash.Should().Be(old[^1].Hash);
        anchors[0].RecordsPruned.Should().Be(5);
        var sequences = await QueryAsync(app, db => db.Set<AuditRecord>().Select(r => r.Sequence).OrderBy(s => s).ToListAsync(Ct));
        sequences.Should().Equal(6, 7, 8, 9);
        (await QueryAsync(app, db => db.Set<AuditRecord>().SingleAsync(r => r.Sequence == 9, Ct))).Action.Should().Be("audit.prune");

        var verified = await log.VerifyAsync(Ct);
        verified.IsIntact.Should().BeTrue(verified.Reason);
        verified.Records.Should().Be(4);
        verified.AnchoredThrough.Should().Be(5);

        // Idempotent: nothing more is due.
        (await job.RunOnceAsync(Ct)).Pruned.Should().Be(0);
        (await QueryAsync(app, db => db.Set<AuditAnchor>().CountAsync(Ct))).Should().Be(1);

        // Everything due, the chain continues from the second anchor.
        time.Advance(TimeSpan.FromDays(1000));
        await job.RunOnceAsync(Ct);
        (await QueryAsync(app, db => db.Set<AuditAnchor>().CountAsync(Ct))).Should().Be(2);
        var next = await log.AppendAsync(new AuditEntry("li.na", "auth.sign_in", "user:1"), Ct);
        next.Sequence.Should().Be(kept[^1].Sequence + 3, "after the first prune record and the second pass's prune record");
        (await log.VerifyAsync(Ct)).IsIntact.Should().BeTrue();
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Deleting_the_record_after_the_anchor_or_editing_the_anchor_is_named_and_stops_pruning(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(T0);
        await using var app = await StartAsync(provider, time);
        var job = app.Services.GetRequiredService<AuditRetentionJob>();
        var log = app.Services.GetRequiredService<IAuditLog>();
        await AppendAsync(app, 4);
        time.Advance(TimeSpan.FromDays(200));
        var kept = await AppendAsync(app, 3);
        time.Advance(TimeSpan.FromDays(200));
        (await job.RunOnceAsync(Ct)).Pruned.Should().BeInRange(0, 4, "the hosted job may have pruned first when the clock moved");
        (await log.VerifyAsync(Ct)).IsIntact.Should().BeTrue();

        await ExecuteAsync(app, "DELETE FROM audit_records WHERE \"Sequence\" = 5");
        var deleted = await log.VerifyAsync(Ct);
        deleted.IsIntact.Should().BeFalse();
        deleted.BrokenSequence.Should().Be(6);
        deleted.BrokenId.Should().Be(kept[1].Id);
        deleted.Reason.Should().Contain("deleted");

        time.Advance(TimeSpan.FromDays(400));
        var refused = await job.RunOnceAsync(Ct);
        refused.Pruned.Should().Be(0);
        refused.Refused.Should().Contain("#6");

        await ExecuteAsync(app, "UPDATE audit_anchors SET \"RecordsPruned\" = 1 WHERE \"Id\" = 1");
        var edited = await log.VerifyAsync(Ct);
        edited.IsIntact.Should().BeFalse();
        edited.BrokenAnchor.Should().Be(1);
        edited.Reason.Should().Contain("anchor #1").And.Contain("edited");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_audit_prune_verb_prints_how_many_it_pruned(DatabaseProvider provider)
    {
        // Written in 2020: far past any retention by the real clock the command-line process reads.
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2020-01-01T00:00:00Z", CultureInfo.InvariantCulture));
        await using var app = await StartAsync(provider, time);
        await AppendAsync(app, 3);

        var pruned = await CivicGridProcess.RunAsync(app.Provider, app.ConnectionString, "audit", "prune");
        pruned.Exit.Should().Be(0, pruned.Err);
        pruned.Out.Should().Contain("pruned 3 audit records older than 365 days");

        var verified = await CivicGridProcess.RunAsync(app.Provider, app.ConnectionString, "audit", "verify");
        verified.Exit.Should().Be(0, verified.Err);
        verified.Out.Should().Contain("audit chain intact: 1 records after the retention anchor at #3");
    }

    [Fact]
    public async Task A_retention_below_180_days_is_refused_at_start()
    {
        var start = () => CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false,
            settings: new Dictionary<string, string?> { ["Audit:RetentionDays"] = "90" });

        var thrown = await start.Should().ThrowAsync<Exception>();
        var messages = string.Join(" | ", Flatten(thrown.Which).Select(e => e.Message));
        messages.Should().Contain("Audit:RetentionDays is 90").And.Contain("at least 180 days");
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
