using System.Globalization;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace CivicGrid.Modules.Cases.Queries;

/// <summary>
/// The 综合评价 figures of one group of cases (GB/T 30428's loop measures). Rates are shares from 0
/// to 1 (null when nothing to divide by), times average minutes.
/// <list type="bullet">
/// <item>受理数 <c>Received</c>: reported in the period; 立案数 <c>Accepted</c>.</item>
/// <item>按时立案率: accepted within the accept deadline, of the accepted.</item>
/// <item>准确派遣率: dispatched cases never declined as "not ours", of the dispatched.</item>
/// <item>处置率: reported back, of the dispatched; 按期处置率: reported back within the handling deadline, of those.</item>
/// <item>结案率: closed, of the accepted; 按期结案率: closed without any stage overdue, of the closed.</item>
/// <item>返工率: returned for rework at least once, of the reported back.</item>
/// <item>满意率: satisfied or fairly satisfied, of the followed up.</item>
/// </list>
/// </summary>
public sealed record CaseFigures(string Key, string Name, int Received, int Accepted, int Dispatched, int Handled, int Closed,
    int FollowedUp, double? AcceptedOnTimeRate, double? AccurateDispatchRate, double? HandledRate, double? HandledOnTimeRate,
    double? ClosedRate, double? ClosedOnTimeRate, double? ReworkRate, double? SatisfactionRate,
    double? AverageAcceptMinutes, double? AverageHandleMinutes, double? AverageCloseMinutes);

/// <summary>The evaluation of a division for a period: the whole, and one row per group.</summary>
public sealed record CaseEvaluationReport(string Within, string WithinName, string By, DateOnly From, DateOnly To,
    CaseFigures Total, IReadOnlyList<CaseFigures> Rows);

/// <summary>
/// <c>GET /api/v1/case-evaluation</c>: the figures of the cases reported within a division (or grid)
/// in a period, in total and grouped by the divisions one level down (drill-down to the grid), the
/// department or person that handled them, or the category. One grouped scan of the counters each
/// case keeps as it moves (<see cref="Case.Transition"/>), through the jurisdiction filter.
/// </summary>
internal sealed class CaseEvaluation(CivicGridDbContext db, ICaller caller, LocalTime time, IDivisionDirectory divisions,
    CaseCategoryCatalog categories, IConfiguration configuration)
{
    /// <summary>
    /// PostgreSQL's parallel workers for the evaluation's scan (<c>Cases:EvaluationParallelWorkers</c>,
    /// default 0). On two cores a parallel plan is slower: each worker is a new process that first maps
    /// the shared buffers it reads (a year of a township: p95 340 ms with two workers, 130-150 ms
    /// without, bench/RESULTS.md). A larger server may allow some.
    /// </summary>
    private int ParallelWorkers => configuration.GetValue("Cases:EvaluationParallelWorkers", 0);

    public static readonly IReadOnlyList<string> Groupings = ["division", "department", "person", "category"];

    public async Task<Result<CaseEvaluationReport>> HandleAsync(string? within, DateOnly? from, DateOnly? to, string? by,
        CancellationToken cancellationToken)
    {
        within ??= caller.Grants.FirstOrDefault()?.JurisdictionCode;
        by ??= "division";
        var today = time.Today;
        var (start, end) = (from ?? new DateOnly(today.Year, 1, 1), to ?? today);
        var invalid = new FieldErrors()
            .When(within is null || within.Length is 0 or > 18 || !within.All(char.IsAsciiDigit), "within", "within 应为区划或网格代码")
            .When(!Groupings.Contains(by), "by", $"by 须为 {string.Join("、", Groupings)} 之一")
            .When(end < start, "to", "结束日期不能早于开始日期")
            .When(end.DayNumber - start.DayNumber > 366 * 5, "to", "统计区间最长五年")
            .ToError();
        if (invalid is not null)
        {
            return invalid;
        }
        var place = await divisions.FindAsync(within!, cancellationToken);
        if (place is null && !caller.IsSystem)
        {
            return Error.NotFound("divisions.not_found", $"区划 {within} 不存在");
        }
        if (!caller.Can(Capabilities.DashboardRead, within!))
        {
            return Error.Forbidden("cases.evaluation_forbidden", "您无权查看该区划的评价");
        }

        var (fromInstant, toInstant) = (time.StartOfDay(start), time.StartOfDay(end.AddDays(1)));
        var upper = CivicGridDbContext.UpperBound(within!);
        var cases = db.Set<Case>().AsNoTracking()
            .Where(c => string.Compare(c.GridCode, within) >= 0 && string.Compare(c.GridCode, upper) < 0
                && c.CreatedAt >= fromInstant && c.CreatedAt < toInstant);

        var (rows, total) = await InOneSnapshotAsync(async () =>
        {
            List<Counts> rows;
            switch (by)
            {
                case "division":
                    var length = DivisionCode.ChildLengthOf(within!) is { } l && l <= 15 ? l : 0;
                    rows = length == 0
                        ? await Figures(cases.GroupBy(c => c.GridCode)).ToListAsync(cancellationToken)
                        : await Figures(cases.GroupBy(c => c.GridCode.Substring(0, length))).ToListAsync(cancellationToken);
                    break;
                case "department":
                    rows = await Figures(cases.Where(c => c.DispatchCount > 0).GroupBy(c => c.Assignee ?? "-")).ToListAsync(cancellationToken);
                    break;
                case "person":
                    rows = await Figures(cases.Where(c => c.HandledBy != null).GroupBy(c => c.HandledBy!)).ToListAsync(cancellationToken);
                    break;
                default:
                    rows = await Figures(cases.GroupBy(c => c.CategoryCode)).ToListAsync(cancellationToken);
                    break;
            }

            // By division or category the rows share out every case: the total is their sum, not a second
            // scan. By department or person they hold only the dispatched or handled cases: scan the whole.
            Counts? total;
            if (by is "division" or "category")
            {
                total = Counts.Sum(within!, rows);
            }
            else
            {
                // Every case in the range shares the prefix: one group.
                var prefix = within!.Length;
                total = (await Figures(cases.GroupBy(c => c.GridCode.Substring(0, prefix))).ToListAsync(cancellationToken)).FirstOrDefault();
            }
            return (rows, total);
        }, cancellationToken);
        var names = await NamesAsync(by, within!, cancellationToken);
        var report = new CaseEvaluationReport(within!, place?.Name ?? within!, by, start, end,
            Of(total ?? new Counts { Key = within! }, place?.Name ?? within!),
            [.. rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => Of(r, names.GetValueOrDefault(r.Key, r.Key)))]);
        return report;
    }

    /// <summary>
    /// On PostgreSQL, runs the evaluation's queries in one repeatable-read transaction (the rows and the
    /// total see the same cases), planned for their parameters, with at most <see cref="ParallelWorkers"/> workers.
    /// </summary>
    private async Task<T> InOneSnapshotAsync<T>(Func<Task<T>> queries, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null || !db.Database.IsNpgsql())
        {
            return await queries();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var workers = ParallelWorkers.ToString(CultureInfo.InvariantCulture);
        // Planned for the values at hand: the statement is prepared (Npgsql's auto-prepare), and after five
        // runs PostgreSQL would keep a generic plan that guesses a few rows for a grid-code range and sorts
        // a year of cases on disk (340 ms against 125 ms).
        await db.Database.ExecuteSqlAsync(
            $"SELECT set_config('max_parallel_workers_per_gather', {workers}, true), set_config('plan_cache_mode', 'force_custom_plan', true)",
            cancellationToken);
        var result = await queries();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task<IReadOnlyDictionary<string, string>> NamesAsync(string by, string within, CancellationToken cancellationToken)
    {
        if (by == "division")
        {
            return (await divisions.ChildrenAsync(within, cancellationToken)).ToDictionary(d => d.Code, d => d.Name, StringComparer.Ordinal);
        }
        if (by == "category")
        {
            return (await categories.AllAsync(cancellationToken)).ToDictionary(c => c.Key, c => c.Value.Name, StringComparer.Ordinal);
        }
        return new Dictionary<string, string>();
    }

    /// <summary>The counts of each group, as one SQL aggregate.</summary>
    private static IQueryable<Counts> Figures(IQueryable<IGrouping<string, Case>> groups) =>
        groups.Select(g => new Counts
        {
            Key = g.Key,
            Received = g.Count(),
            Accepted = g.Count(c => c.AcceptedAt != null),
            AcceptedOnTime = g.Count(c => c.AcceptedOnTime == true),
            Dispatched = g.Count(c => c.DispatchCount > 0),
            Declined = g.Count(c => c.DeclineCount > 0),
            Handled = g.Count(c => c.ReportedBackAt != null),
            HandledOnTime = g.Count(c => c.HandledOnTime == true),
            Reworked = g.Count(c => c.ReturnCount > 0),
            Closed = g.Count(c => c.ClosedAt != null),
            ClosedOnTime = g.Count(c => c.ClosedAt != null && c.OverdueCount == 0),
            FollowedUp = g.Count(c => c.Satisfaction != null),
            Satisfied = g.Count(c => c.Satisfaction == "satisfied" || c.Satisfaction == "fairly_satisfied"),
            AcceptMinutes = g.Average(c => (double?)c.AcceptMinutes),
            HandleMinutes = g.Average(c => (double?)c.HandleMinutes),
            CloseMinutes = g.Average(c => (double?)c.CloseMinutes),
        });

    private static CaseFigures Of(Counts c, string name)
    {
        static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
        static double? Round(double? minutes) => minutes is { } m ? Math.Round(m, 1) : null;
        return new CaseFigures(c.Key, name, c.Received, c.Accepted, c.Dispatched, c.Handled, c.Closed, c.FollowedUp,
            Rate(c.AcceptedOnTime, c.Accepted), Rate(c.Dispatched - c.Declined, c.Dispatched), Rate(c.Handled, c.Dispatched),
            Rate(c.HandledOnTime, c.Handled), Rate(c.Closed, c.Accepted), Rate(c.ClosedOnTime, c.Closed), Rate(c.Reworked, c.Handled),
            Rate(c.Satisfied, c.FollowedUp), Round(c.AcceptMinutes), Round(c.HandleMinutes), Round(c.CloseMinutes));
    }

    /// <summary>The raw counts of one group (an SQL projection).</summary>
    private sealed class Counts
    {
        public string Key { get; set; } = string.Empty;
        public int Received { get; set; }
        public int Accepted { get; set; }
        public int AcceptedOnTime { get; set; }
        public int Dispatched { get; set; }
        public int Declined { get; set; }
        public int Handled { get; set; }
        public int HandledOnTime { get; set; }
        public int Reworked { get; set; }
        public int Closed { get; set; }
        public int ClosedOnTime { get; set; }
        public int FollowedUp { get; set; }
        public int Satisfied { get; set; }
        public double? AcceptMinutes { get; set; }
        public double? HandleMinutes { get; set; }
        public double? CloseMinutes { get; set; }

        /// <summary>
        /// The counts of groups that share out the cases. The averages are weighted by the cases they
        /// are over: a case has its accept, handle and close minutes exactly when it was accepted,
        /// reported back and closed (<see cref="Case.Transition"/> sets them together).
        /// </summary>
        public static Counts Sum(string key, IReadOnlyList<Counts> rows)
        {
            static double? Weighted(IEnumerable<(double? Average, int Count)> parts)
            {
                var (sum, count) = parts.Where(p => p.Average is not null && p.Count > 0)
                    .Aggregate((Sum: 0.0, Count: 0), (a, p) => (a.Sum + p.Average!.Value * p.Count, a.Count + p.Count));
                return count == 0 ? null : sum / count;
            }
            return new Counts
            {
                Key = key,
                Received = rows.Sum(r => r.Received),
                Accepted = rows.Sum(r => r.Accepted),
                AcceptedOnTime = rows.Sum(r => r.AcceptedOnTime),
                Dispatched = rows.Sum(r => r.Dispatched),
                Declined = rows.Sum(r => r.Declined),
                Handled = rows.Sum(r => r.Handled),
                HandledOnTime = rows.Sum(r => r.HandledOnTime),
                Reworked = rows.Sum(r => r.Reworked),
                Closed = rows.Sum(r => r.Closed),
                ClosedOnTime = rows.Sum(r => r.ClosedOnTime),
                FollowedUp = rows.Sum(r => r.FollowedUp),
                Satisfied = rows.Sum(r => r.Satisfied),
                AcceptMinutes = Weighted(rows.Select(r => (r.AcceptMinutes, r.Accepted))),
                HandleMinutes = Weighted(rows.Select(r => (r.HandleMinutes, r.Handled))),
                CloseMinutes = Weighted(rows.Select(r => (r.CloseMinutes, r.Closed))),
            };
        }
    }
}

/// <summary>Formats the figures for pages and exports.</summary>
internal static class CaseFiguresFormat
{
    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    public static string Hours(double? minutes) => minutes is { } m ? (m / 60).ToString("0.0", CultureInfo.InvariantCulture) : "—";
}
