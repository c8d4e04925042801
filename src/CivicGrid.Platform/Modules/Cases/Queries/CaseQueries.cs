using System.Collections.Concurrent;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Deadlines;
using CivicGrid.Modules.Cases.Domain;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Cases.Queries;

/// <summary>Reads of cases and categories; cases come through the jurisdiction filter only.</summary>
internal sealed class CaseQueries(CivicGridDbContext db, TimeProvider clock, CaseCategoryCatalog categories, CaseDetailReads grouped)
{
    public async Task<IReadOnlyList<CaseCategoryView>> CategoriesAsync(CancellationToken cancellationToken) =>
        await db.Set<CaseCategory>().AsNoTracking().OrderBy(c => c.SortOrder)
            .Select(c => new CaseCategoryView(c.Code, c.ParentCode, c.Name, c.FirstLevel, c.DepartmentCode,
                c.AcceptHours, c.DispatchHours, c.HandleHours, c.VerifyHours, c.SelfClose))
            .ToListAsync(cancellationToken);

    public async Task<Result<CaseDetail>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        // The most read thing: the case and its timeline in one query. On PostgreSQL the reads
        // waiting at once share that query (CaseDetailReads), and the caller's jurisdiction filter is
        // applied to what comes back; otherwise the filter applies in the query, as everywhere.
        var found = grouped.AppliesTo(db)
            ? await grouped.ReadAsync(id, cancellationToken) is { } read && db.InScope(read.Case.GridCode) ? read : null
            : await ById(db)(db, id, cancellationToken);
        if (found is null)
        {
            return NotFound(id);
        }
        var category = await categories.GetAsync(found.Case.CategoryCode, cancellationToken);
        return DetailOf(found.Case, category.Name, [.. found.Timeline.Select(ViewOf)], clock.GetUtcNow());
    }

    public async Task<Result<Paged<CaseSummary>>> ListAsync(string? state, string? within, int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        var paging = PageRequest.From(page, pageSize);
        var errors = new FieldErrors()
            .When(state is not null && !CaseStates.All.Contains(state), "state", $"state 须为 {string.Join("、", CaseStates.All)} 之一")
            .When(within is not null && (within.Length is 0 or > 18 || !within.All(char.IsAsciiDigit)), "within", "within 应为区划或网格代码");
        if (!paging.IsSuccess)
        {
            return paging.Error!;
        }
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }

        var query = db.Set<Case>().AsNoTracking();
        if (state is not null)
        {
            query = query.Where(c => c.State == state);
        }
        if (within is not null)
        {
            // A range on the code, as the scope filter does: [within, within+1).
            var upper = CivicGridDbContext.UpperBound(within);
            query = query.Where(c => string.Compare(c.GridCode, within) >= 0 && string.Compare(c.GridCode, upper) < 0);
        }
        var total = await query.CountAsync(cancellationToken);
        var p = paging.Value;
        var items = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Skip(p.Skip).Take(p.PageSize)
            .Select(c => new
            {
                Case = new CaseSummary(c.Id, c.Number, c.CategoryCode, c.State, c.GridCode, c.Description, c.Channel,
                c.Assignee, c.CreatedAt, c.UpdatedAt, c.StageDueAt, null),
                c.StageWarnAt
            })
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var lit = items.Select(i => i.Case with { Light = DeadlineLights.Of(i.StageWarnAt, i.Case.DueAt, now) }).ToList();
        return new Paged<CaseSummary>(lit, total, p.Page, p.PageSize);
    }

    // Compiled once per provider: a compiled query keeps the SQL of the first context that runs it,
    // and one process may hold both providers' models (the tests do). Saves translating the LINQ
    // tree on every read, a tenth of a detail read's time.
    private static readonly ConcurrentDictionary<string, Func<CivicGridDbContext, Guid, CancellationToken, Task<CaseWithTimeline?>>>
        CompiledById = new(StringComparer.Ordinal);

    private static Func<CivicGridDbContext, Guid, CancellationToken, Task<CaseWithTimeline?>> ById(CivicGridDbContext db) =>
        CompiledById.GetOrAdd(db.Database.ProviderName ?? "", static _ => EF.CompileAsyncQuery(
            (CivicGridDbContext context, Guid id, CancellationToken _) => context.Set<Case>().AsNoTracking()
                .Where(c => c.Id == id)
                .Select(c => new CaseWithTimeline(c, context.Set<CaseEvent>().Where(e => e.CaseId == c.Id).OrderBy(e => e.Sequence).ToList()))
                .FirstOrDefault()));

    public static Error NotFound(Guid id) => Error.NotFound("cases.not_found", $"事件 {id} 不存在");

    /// <summary>The detail of a case already read (through the filter, or by its creator), its timeline read now.</summary>
    public static async Task<CaseDetail> DetailAsync(CivicGridDbContext db, Case c, string categoryName, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var events = await db.Set<CaseEvent>().AsNoTracking().Where(e => e.CaseId == c.Id).OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
        return DetailOf(c, categoryName, [.. events.Select(ViewOf)], now);
    }

    /// <summary>The detail of a case whose timeline is in hand.</summary>
    public static CaseDetail DetailOf(Case c, string categoryName, IReadOnlyList<CaseEventView> timeline, DateTimeOffset now)
    {
        var photos = CaseEvent.Ids(c.PhotoIds);
        return new CaseDetail(c.Id, c.Number, c.CategoryCode, categoryName, c.State, c.Lon, c.Lat, c.GridCode, c.Description,
            c.Channel, c.ReporterName, photos, c.Assignee, c.Satisfaction, c.CreatedAt, c.UpdatedAt,
            c.StageStartedAt, c.StageDueAt, DeadlineLights.Of(c.StageWarnAt, c.StageDueAt, now), c.EscalationLevel, timeline);
    }

    /// <summary>One event as the timeline shows it.</summary>
    public static CaseEventView ViewOf(CaseEvent e) =>
        new(e.Sequence, e.Action, e.FromState, e.ToState, e.Actor, e.Role, e.Note, e.At, CaseEvent.Ids(e.PhotoIds));
}

/// <summary>A case read with its timeline in one query.</summary>
internal sealed record CaseWithTimeline(Case Case, List<CaseEvent> Timeline);
