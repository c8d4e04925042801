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

    private const int Batch = 500;

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
        if (warned + overdue > 0)
        {
            LogSwept(logger, warned, overdue, escalated);
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
                UPDATE cases SET "OverdueAt" = {at}, "LastSequence" = "LastSequence" + 1
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
        foreach (var c in claimed)
        {
            db.Add(new CaseEvent(c.Id, c.LastSequence, overdue ? Overdue : Warning, c.State, c.State, Actor, null,
                overdue ? "已超过办理时限（红灯）" : "即将超过办理时限（黄灯）", now));
        }
        await db.SaveChangesAsync(cancellationToken);

        // The notices go in the same transaction: a step is told exactly when it is written.
        var notices = scope.ServiceProvider.GetRequiredService<CaseNotices>();
        foreach (var c in claimed)
        {
            await notices.DeadlineAsync(c.Id, c.Number, c.GridCode, c.Assignee, c.LastSequence, overdue, cancellationToken);
        }
        var escalated = 0;
        if (overdue)
        {
            var gridFirst = await db.Set<CaseCategory>().AsNoTracking().Where(k => k.FirstLevel == HandlingLevels.Grid)
                .Select(k => k.Code).ToListAsync(cancellationToken);
            var deadlines = scope.ServiceProvider.GetRequiredService<CaseDeadlines>();
            foreach (var c in claimed.Where(c => c.EscalationLevel == 0 && gridFirst.Contains(c.CategoryCode)
                && c.State is CaseStates.Dispatched or CaseStates.Handling))
            {
                var sequence = await EscalateAsync(db, deadlines, c.Id, now, cancellationToken);
                await notices.EscalatedAsync(c.Id, c.Number, c.GridCode, sequence, cancellationToken);
                escalated++;
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return (claimed.Count, escalated);
    }

    /// <summary>网格呼叫 by rule: the overdue grid-level case goes to the township's queue, as the escalate action does.</summary>
    private static async Task<int> EscalateAsync(CivicGridDbContext db, CaseDeadlines deadlines, Guid id, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // This transaction holds the row since its UPDATE: nobody moves it meanwhile.
        var found = await db.Set<Case>().IgnoreQueryFilters().FirstAsync(c => c.Id == id, cancellationToken);
        var category = await db.Set<CaseCategory>().AsNoTracking().FirstAsync(k => k.Code == found.CategoryCode, cancellationToken);
        var fromState = found.State;
        var transition = CaseWorkflow.Transitions[CaseWorkflow.Escalate];
        db.Add(found.Transition(CaseWorkflow.Escalate, transition.To, Actor, null, "处置超时，自动上报街镇（网格呼叫）", now));
        CaseWorkflow.Escalated(found);
        await deadlines.EnterAsync(found, fromState, category, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return found.LastSequence;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case deadlines: {Warned} warning(s), {Overdue} overdue, {Escalated} escalated to the township")]
    private static partial void LogSwept(ILogger logger, int warned, int overdue, int escalated);

    [LoggerMessage(Level = LogLevel.Error, Message = "Case deadline sweep failed; it is retried at the next period")]
    private static partial void LogFailed(ILogger logger, Exception exception);
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
