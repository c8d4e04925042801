using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Cases.Deadlines;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Cases.Intake;

/// <summary>
/// <see cref="IPublicCases"/>: the intake is <see cref="ReportCase"/> itself (one path), the
/// reads strip what the public may not see (actors, roles, notes, the reporter).
/// </summary>
internal sealed class PublicCases(CivicGridDbContext db, ReportCase reportCase, CaseCategoryCatalog categories,
    CaseDeadlines deadlines, PublicCategoryUses uses, TimeProvider clock) : IPublicCases
{
    public IReadOnlyList<string> Satisfactions => CaseWorkflow.Satisfactions;

    public async Task<Result<PublicIntakeResult>> ReportAsync(PublicCaseReport report, string? idempotencyKey,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var reported = await reportCase.HandleAsync(new ReportCaseRequest(report.CategoryCode, report.Lon, report.Lat,
            report.Description, report.PhotoIds, report.Channel, ReporterPhone: report.ReporterPhone), idempotencyKey, cancellationToken);
        if (!reported.IsSuccess)
        {
            return reported.Error!;
        }
        var c = reported.Value.Case;
        return new PublicIntakeResult(c.Id, c.Number, c.GridCode, reported.Value.Created);
    }

    public async Task<PublicCaseView?> ViewAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        var found = await db.Set<Case>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (found is null)
        {
            return null;
        }
        var steps = await db.Set<CaseEvent>().AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Sequence)
            .Select(e => new { e.Sequence, e.FromState, e.ToState, e.At }).ToListAsync(cancellationToken);
        // The states the case entered, each once in a row: notes and moderation that change no state are staff matters.
        var timeline = steps.Where(e => e.Sequence == 1 || e.FromState != e.ToState)
            .Select(e => new PublicCaseStep(e.ToState, e.At)).ToList();
        var category = await categories.GetAsync(found.CategoryCode, cancellationToken);
        return new PublicCaseView(found.Id, found.Number, category.Name, found.State, found.GridCode, found.CreatedAt, timeline,
            CaseEvent.Ids(found.PhotoIds), found.Satisfaction);
    }

    public async Task<Result<string>> RateAsync(Guid caseId, string satisfaction, string actor, CancellationToken cancellationToken = default)
    {
        if (!CaseWorkflow.Satisfactions.Contains(satisfaction))
        {
            return new FieldErrors().Add("satisfaction", $"satisfaction 须为 {string.Join("、", CaseWorkflow.Satisfactions)} 之一").ToError()!;
        }
        var found = await db.Set<Case>().IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (found is null)
        {
            return Error.NotFound("cases.not_found", "事件不存在");
        }
        if (found.State != CaseStates.Closed)
        {
            return Error.Conflict("cases.not_closed", "事件办结后才能评价");
        }
        var now = clock.GetUtcNow();
        db.Add(found.Transition(CaseWorkflow.FollowUp, CaseStates.FollowedUp, actor, null, $"{satisfaction} 报告人评价", now));
        found.Rate(satisfaction);
        await deadlines.EnterAsync(found, CaseStates.Closed, await categories.GetAsync(found.CategoryCode, cancellationToken), now,
            cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Error.Conflict("cases.concurrency", "该事件刚被他人处理，请刷新后重试");
        }
        return satisfaction;
    }

    public async Task NoteAsync(Guid caseId, string action, string actor, string? role, string? note, CancellationToken cancellationToken = default)
    {
        var found = await db.Set<Case>().IgnoreQueryFilters().FirstAsync(c => c.Id == caseId, cancellationToken);
        db.Add(found.Note(action, found.State, actor, role, note, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PublicCategory>> CategoriesAsync(CancellationToken cancellationToken = default)
    {
        var all = await categories.AllAsync(cancellationToken);
        var counts = await uses.CountsAsync(cancellationToken);
        return [.. all.Values.Where(c => c.ParentCode is not null)
            .Select(c => new PublicCategory(c.Code, c.Name, all.GetValueOrDefault(c.ParentCode!)?.Name ?? string.Empty,
                counts.GetValueOrDefault(c.Code)))
            .OrderByDescending(c => c.Uses).ThenBy(c => c.Code, StringComparer.Ordinal)];
    }
}

/// <summary>How often each 小类 was reported in the last 90 days, counted at most every ten minutes.</summary>
internal sealed class PublicCategoryUses(IServiceScopeFactory scopes, TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(90);

    private readonly Cached<Dictionary<string, int>> _cached = new(clock, TimeSpan.FromMinutes(10));

    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken) =>
        await _cached.GetAsync(async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var since = clock.GetUtcNow() - Window;
            return await db.Set<Case>().IgnoreQueryFilters().AsNoTracking().Where(c => c.CreatedAt >= since)
                .GroupBy(c => c.CategoryCode).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, ct);
        }, cancellationToken);
}
