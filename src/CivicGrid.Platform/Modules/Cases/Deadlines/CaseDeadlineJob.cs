using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Jobs;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Notices;
using CivicGrid.Modules.Cases.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Cases.Deadlines;

/// <summary>What one sweep did.</summary>
internal sealed record CaseDeadlineSweep(int Warned, int Overdue, int Escalated);

/// <summary>
/// The deadline sweep (督办): once when the web host starts, then every <c>Cases:SweepEvery</c>
/// (default one minute). It writes a <c>deadline_warning</c> (黄灯) for each stage whose warning
/// instant has come and a <c>deadline_overdue</c> (红灯) for each stage past its deadline, and
/// escalates an overdue case still handled at grid level to the township (网格呼叫, as the
/// <c>escalate</c> action does, at most once: it is then one level up).
/// <para>
/// Each batch claims its rows with one conditional <c>UPDATE … WHERE "WarnedAt" IS NULL … RETURNING</c>
/// and writes their events and escalations in the same transaction. Only the rows an UPDATE changed
/// get an event, so a second instance against the same PostgreSQL (whose UPDATE waits for the
/// first's row locks, then re-checks the condition and skips them), a second run, or a restart
/// after a crash (the transaction rolled back: nothing claimed) never writes one twice. The due rows
/// come from partial indexes on the warning and due instants, so the open cases that are not due
/// are never read. Only a started host runs it; the command-line verbs never start it.
/// </para>
/// </summary>
internal sealed partial class CaseDeadlineJob(
    IServiceScopeFactory scopes, CaseDeadlineSettings settings, TimeProvider time, ILogger<CaseDeadlineJob> logger)
    : BackgroundService
{
    public const string Actor = "system";
    public const string Warning = "deadline_warning";
    public const string Overdue = "deadline_overdue";

    private const int Batch = 5000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Sweep)
        {
            return;
        }
        await PeriodicJob.RunAsync(RunOnceAsync, settings.SweepEvery, time, e => LogFailed(logger, e), stoppingToken);
    }

    /// <summary>One sweep at the current instant: warnings first, then overdue and escalations.</summary>
    public async Task<CaseDeadlineSweep> RunOnceAsync(CancellationToken cancellationToken)
    {
        // In UTC: SQLite compares the stored numbers, which encode the offset too.
        var now = time.GetUtcNow().ToUniversalTime();
        var warned = 0;
        var overdue = 0;
        var escalated = 0;
        int claimed;
        do
        {
            (claimed, _) = await BatchAsync(overdue: false, now, cancellationToken);
            warned += claimed;
        }
        while (claimed == Batch);
        do
        {
            int up;
            (claimed, up) = await BatchAsync(overdue: true, now, cancellationToken);
            overdue += claimed;
            escalated += up;
        }
        while (claimed == Batch);
        var late = 0;
        do
        {
            claimed = await SummonsBatchAsync(now, cancellationToken);
            late += claimed;
        }
        while (claimed == Batch);
        if (warned + overdue + late > 0)
        {
            LogSwept(logger, warned, overdue, escalated, late);
        }
        return new CaseDeadlineSweep(warned, overdue, escalated);
    }

    private async Task<(int Claimed, int Escalated)> BatchAsync(bool overdue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // SQLite keeps instants as orderable 64-bit numbers (see CivicGridDbContext); PostgreSQL as timestamptz.
        object at = db.Database.IsSqlite() ? new DateTimeOffsetToBinaryConverter().ConvertToProvider(now)! : now;
        var claimed = overdue
            ? await db.Database.SqlQuery<ClaimedCase>($"""
                UPDATE cases SET "OverdueAt" = {at}, "OverdueCount" = "OverdueCount" + 1, "LastSequence" = "LastSequence" + 1
                WHERE "Id" IN (SELECT "Id" FROM cases WHERE "OverdueAt" IS NULL AND "StageDueAt" <= {at} ORDER BY "StageDueAt" LIMIT {Batch})
                  AND "OverdueAt" IS NULL AND "StageDueAt" <= {at}
                RETURNING "Id", "LastSequence", "State", "CategoryCode", "EscalationLevel", "Number", "GridCode", "Assignee"
                """).ToListAsync(cancellationToken)
            : await db.Database.SqlQuery<ClaimedCase>($"""
                UPDATE cases SET "WarnedAt" = {at}, "LastSequence" = "LastSequence" + 1
                WHERE "Id" IN (SELECT "Id" FROM cases WHERE "WarnedAt" IS NULL AND "StageWarnAt" <= {at} ORDER BY "StageWarnAt" LIMIT {Batch})
                  AND "WarnedAt" IS NULL AND "StageWarnAt" <= {at}
                RETURNING "Id", "LastSequence", "State", "CategoryCode", "EscalationLevel", "Number", "GridCode", "Assignee"
                """).ToListAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return (0, 0);
        }
        // The events go in by COPY (PostgreSQL) or one prepared insert (SQLite), in this transaction.
        var note = overdue ? "已超过办理时限（红灯）" : "即将超过办理时限（黄灯）";
        await BulkWriter.InsertAsync(db, claimed.Select(c => new CaseEvent(c.Id, c.LastSequence, overdue ? Overdue : Warning,
            c.State, c.State, Actor, null, note, now)), cancellationToken);

        // The notices go in the same transaction: a step is told exactly when it is written.
        var notices = scope.ServiceProvider.GetRequiredService<CaseNotices>();
        await notices.DeadlinesAsync(claimed.Select(c => (c.Id, c.Number, c.GridCode, c.Assignee, c.LastSequence)), overdue, cancellationToken);
        var escalated = 0;
        if (overdue)
        {
            var categories = await scope.ServiceProvider.GetRequiredService<CaseCategoryCatalog>().AllAsync(cancellationToken);
            var due = claimed.Where(c => c.EscalationLevel == 0 && categories[c.CategoryCode].FirstLevel == HandlingLevels.Grid
                && c.State is CaseStates.Dispatched or CaseStates.Handling).Select(c => c.Id).ToList();
            if (due.Count > 0)
            {
                escalated = await EscalateAsync(db, scope.ServiceProvider.GetRequiredService<CaseDeadlines>(), notices, categories, due,
                    now, cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return (claimed.Count, escalated);
    }

    /// <summary>
    /// Marks the summonses (吹哨) whose department did not report in by the deadline, once each, with
    /// an event on the case; claimed by one conditional UPDATE as the stages are.
    /// </summary>
    private async Task<int> SummonsBatchAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        object at = db.Database.IsSqlite() ? new DateTimeOffsetToBinaryConverter().ConvertToProvider(now)! : now;
        var claimed = await db.Database.SqlQuery<ClaimedSummons>($"""
            UPDATE case_summons SET "OverdueAt" = {at}
            WHERE "Id" IN (SELECT "Id" FROM case_summons WHERE "CheckedInAt" IS NULL AND "OverdueAt" IS NULL AND "DueAt" <= {at} ORDER BY "DueAt" LIMIT {Batch})
              AND "CheckedInAt" IS NULL AND "OverdueAt" IS NULL
            RETURNING "CaseId", "DepartmentCode"
            """).ToListAsync(cancellationToken);
        foreach (var group in claimed.GroupBy(c => c.CaseId))
        {
            var found = await db.Set<Case>().IgnoreQueryFilters().FirstAsync(c => c.Id == group.Key, cancellationToken);
            db.Add(found.Note("summons_overdue", found.State, Actor, null,
                $"{string.Join("、", group.Select(g => g.DepartmentCode))} 未在时限内报到", now));
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed.Count;
    }

    /// <summary>网格呼叫 by rule: the overdue grid-level cases go to their township's queue, as the escalate action does.</summary>
    private static async Task<int> EscalateAsync(CivicGridDbContext db, CaseDeadlines deadlines, CaseNotices notices,
        IReadOnlyDictionary<string, CaseCategory> categories, List<Guid> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var transition = CaseWorkflow.Transitions[CaseWorkflow.Escalate];
        var count = 0;
        foreach (var chunk in ids.Chunk(1000))
        {
            // This transaction holds the rows since its UPDATE: nobody moves them meanwhile.
            var found = await db.Set<Case>().IgnoreQueryFilters().Where(c => chunk.Contains(c.Id)).ToListAsync(cancellationToken);
            foreach (var c in found)
            {
                var fromState = c.State;
                db.Add(c.Transition(CaseWorkflow.Escalate, transition.To, Actor, null, "处置超时，自动上报街镇（网格呼叫）", now));
                CaseWorkflow.Escalated(c);
                await deadlines.EnterAsync(c, fromState, categories[c.CategoryCode], now, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
            await notices.EscalatedManyAsync(found.Select(c => (c.Id, c.Number, c.GridCode, c.LastSequence)), cancellationToken);
            db.ChangeTracker.Clear();
            count += found.Count;
        }
        return count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case deadlines: {Warned} warning(s), {Overdue} overdue, {Escalated} escalated to the township, {Late} summons(es) not answered in time")]
    private static partial void LogSwept(ILogger logger, int warned, int overdue, int escalated, int late);

    [LoggerMessage(Level = LogLevel.Error, Message = "Case deadline sweep failed; it is retried at the next period")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary>A summons the sweep's UPDATE claimed.</summary>
internal sealed class ClaimedSummons
{
    public Guid CaseId { get; set; }

    public string DepartmentCode { get; set; } = string.Empty;
}

/// <summary>A row the sweep's UPDATE claimed (read by <c>SqlQuery</c>).</summary>
internal sealed class ClaimedCase
{
    public Guid Id { get; set; }

    public int LastSequence { get; set; }

    public string State { get; set; } = string.Empty;

    public string CategoryCode { get; set; } = string.Empty;

    public int EscalationLevel { get; set; }

    public string Number { get; set; } = string.Empty;

    public string GridCode { get; set; } = string.Empty;

    public string? Assignee { get; set; }
}
