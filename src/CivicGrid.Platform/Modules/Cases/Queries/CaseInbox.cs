using System.Linq.Expressions;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Deadlines;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Cases.Queries;

/// <summary>Which cases a list shows: the caller's own to-do (<see cref="Mine"/>), everything he sees, or the overdue.</summary>
public static class CaseQueues
{
    /// <summary>
    /// What waits for the caller's roles: township and centre (cases.dispatch) the cases to accept,
    /// dispatch or close and the overdue; grid workers, grid heads and community staff the cases
    /// dispatched to them, to verify, to follow up, and those they reported still open; a department
    /// the cases dispatched to it.
    /// </summary>
    public const string Mine = "mine";

    /// <summary>Every case within the caller's jurisdictions.</summary>
    public const string All = "all";

    /// <summary>Cases whose stage is past its deadline (红灯).</summary>
    public const string Overdue = "overdue";

    public static readonly IReadOnlyList<string> Every = [Mine, All, Overdue];
}

/// <summary>The filter of the case list.</summary>
internal sealed record CaseFilter(string? Queue = null, string? State = null, string? Within = null, string? Light = null,
    string? Category = null, string? Text = null, int? Page = null, int? PageSize = null);

/// <summary>A case in the list, with its point for the map.</summary>
public sealed record CaseRow(CaseSummary Case, double Lon, double Lat);

/// <summary>
/// The case list of the pages: a queue (<see cref="CaseQueues"/>) narrowed by state, area, traffic
/// light, category and text, paged; all through the jurisdiction filter.
/// </summary>
internal sealed class CaseInbox(CivicGridDbContext db, ICaller caller, TimeProvider clock)
{
    public const int MaxText = 100;

    /// <summary>At most this many points go on the map of a list.</summary>
    public const int MaxMapPoints = 1000;

    private static readonly string[] DispatcherStates = [CaseStates.Reported, CaseStates.Accepted, CaseStates.Verified];
    private static readonly string[] HandlerStates = [CaseStates.ReportedBack, CaseStates.Closed];
    private static readonly string[] AtWork = [CaseStates.Dispatched, CaseStates.Handling];

    public async Task<Result<Paged<CaseRow>>> ListAsync(CaseFilter filter, CancellationToken cancellationToken)
    {
        var query = Filtered(filter, out var paging);
        if (!query.IsSuccess)
        {
            return query.Error!;
        }
        var cases = query.Value;
        var total = await cases.CountAsync(cancellationToken);
        var p = paging;
        // The to-do list puts what is due soonest first; the others the newest.
        var ordered = filter.Queue is null or CaseQueues.Mine
            ? cases.OrderBy(c => c.StageDueAt == null).ThenBy(c => c.StageDueAt).ThenByDescending(c => c.CreatedAt)
            : cases.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id);
        var rows = await RowsAsync(ordered.Skip(p.Skip).Take(p.PageSize), cancellationToken);
        return new Paged<CaseRow>(rows, total, p.Page, p.PageSize);
    }

    /// <summary>The points of the filtered list (newest first, at most <see cref="MaxMapPoints"/>), for its map.</summary>
    public async Task<Result<IReadOnlyList<CaseRow>>> PointsAsync(CaseFilter filter, CancellationToken cancellationToken)
    {
        var query = Filtered(filter, out _);
        if (!query.IsSuccess)
        {
            return query.Error!;
        }
        return await RowsAsync(query.Value.OrderByDescending(c => c.CreatedAt).Take(MaxMapPoints), cancellationToken);
    }

    private async Task<List<CaseRow>> RowsAsync(IQueryable<Case> cases, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await cases
            .Select(c => new
            {
                Row = new CaseRow(new CaseSummary(c.Id, c.Number, c.CategoryCode, c.State, c.GridCode, c.Description, c.Channel,
                    c.Assignee, c.CreatedAt, c.UpdatedAt, c.StageDueAt, null), c.Lon, c.Lat),
                c.StageWarnAt,
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => r.Row with { Case = r.Row.Case with { Light = DeadlineLights.Of(r.StageWarnAt, r.Row.Case.DueAt, now) } })];
    }

    private Result<IQueryable<Case>> Filtered(CaseFilter filter, out PageRequest paging)
    {
        var pageRequest = PageRequest.From(filter.Page, filter.PageSize);
        paging = pageRequest.IsSuccess ? pageRequest.Value : default;
        var text = filter.Text?.Trim();
        var errors = new FieldErrors()
            .When(filter.Queue is not null && !CaseQueues.Every.Contains(filter.Queue), "queue", $"queue 须为 {string.Join("、", CaseQueues.Every)} 之一")
            .When(filter.State is not null && !CaseStates.All.Contains(filter.State), "state", $"state 须为 {string.Join("、", CaseStates.All)} 之一")
            .When(filter.Within is not null && (filter.Within.Length is 0 or > 18 || !filter.Within.All(char.IsAsciiDigit)), "within", "within 应为区划或网格代码")
            .When(filter.Light is not null && filter.Light is not (DeadlineLights.Green or DeadlineLights.Yellow or DeadlineLights.Red), "light",
                "light 须为 green、yellow、red 之一")
            .When(filter.Category is not null && (filter.Category.Length is 0 or > 16 || !filter.Category.All(char.IsAsciiDigit)), "category", "category 应为事件类别代码")
            .When(text is { Length: > MaxText }, "q", $"搜索词最多 {MaxText} 字");
        foreach (var (field, messages) in pageRequest.Error?.Fields ?? new Dictionary<string, string[]>())
        {
            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }

        var now = clock.GetUtcNow();
        var query = db.Set<Case>().AsNoTracking();
        query = filter.Queue switch
        {
            CaseQueues.All => query,
            CaseQueues.Overdue => query.Where(c => c.StageDueAt != null && c.StageDueAt <= now),
            _ => query.Where(MineOf(now)),
        };
        if (filter.State is { } state)
        {
            query = query.Where(c => c.State == state);
        }
        if (filter.Within is { } within)
        {
            query = query.Where(InArea(within));
        }
        query = filter.Light switch
        {
            DeadlineLights.Red => query.Where(c => c.StageDueAt != null && c.StageDueAt <= now),
            DeadlineLights.Yellow => query.Where(c => c.StageDueAt != null && c.StageDueAt > now && c.StageWarnAt != null && c.StageWarnAt <= now),
            DeadlineLights.Green => query.Where(c => c.StageDueAt != null && c.StageDueAt > now && (c.StageWarnAt == null || c.StageWarnAt > now)),
            _ => query,
        };
        if (filter.Category is { } category)
        {
            // A 大类 takes in its 小类: their codes start with its code.
            query = query.Where(c => c.CategoryCode.StartsWith(category));
        }
        if (text is { Length: > 0 })
        {
            query = query.Where(c => c.Number.Contains(text) || c.Description.Contains(text));
        }
        return Result<IQueryable<Case>>.Success(query);
    }

    /// <summary>The caller's to-do, as one predicate: the union over his role grants, each over its own area.</summary>
    private Expression<Func<Case, bool>> MineOf(DateTimeOffset now)
    {
        var me = caller.Name;
        var myId = caller.UserId;
        Expression<Func<Case, bool>>? mine = null;
        foreach (var grant in caller.Grants)
        {
            var area = InArea(grant.JurisdictionCode);
            if (Capabilities.RoleHas(grant.Role, Capabilities.CasesDispatch))
            {
                // Deciding and routing; the work on the ground is the handlers' to-do, even where a dispatcher may do it too.
                mine = Or(mine, And(area, c => DispatcherStates.Contains(c.State) || (c.StageDueAt != null && c.StageDueAt <= now)));
            }
            else if (grant.Role == Roles.Department)
            {
                var department = grant.DepartmentCode ?? me;
                mine = Or(mine, And(area, c => (c.Assignee == department || c.Assignee == me) && AtWork.Contains(c.State)));
            }
            else if (Capabilities.RoleHas(grant.Role, Capabilities.CasesHandle))
            {
                // A resident's 随手拍 in his area waits for him to look at it too (small matters stay in the grid).
                mine = Or(mine, And(area, c => HandlerStates.Contains(c.State) || (c.Assignee == me && AtWork.Contains(c.State))
                    || (c.Channel == CaseChannels.Snap && c.State == CaseStates.Reported)));
            }
            if (myId is { } id && Capabilities.RoleHas(grant.Role, Capabilities.CasesReport))
            {
                mine = Or(mine, And(area, c => c.ReporterUserId == id && CaseStates.Open.Contains(c.State)));
            }
        }
        return mine ?? (c => false);
    }

    /// <summary>A division or grid and everything under it, as the code range [code, code+1) the scope filter uses.</summary>
    private static Expression<Func<Case, bool>> InArea(string code)
    {
        var upper = CivicGridDbContext.UpperBound(code);
        return c => string.Compare(c.GridCode, code) >= 0 && string.Compare(c.GridCode, upper) < 0;
    }

    private static Expression<Func<Case, bool>> And(Expression<Func<Case, bool>> left, Expression<Func<Case, bool>> right) =>
        Combine(left, right, Expression.AndAlso);

    private static Expression<Func<Case, bool>> Or(Expression<Func<Case, bool>>? left, Expression<Func<Case, bool>> right) =>
        left is null ? right : Combine(left, right, Expression.OrElse);

    private static Expression<Func<Case, bool>> Combine(Expression<Func<Case, bool>> left, Expression<Func<Case, bool>> right,
        Func<Expression, Expression, BinaryExpression> join)
    {
        var parameter = left.Parameters[0];
        var body = new Rebind(right.Parameters[0], parameter).Visit(right.Body);
        return Expression.Lambda<Func<Case, bool>>(join(left.Body, body), parameter);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
