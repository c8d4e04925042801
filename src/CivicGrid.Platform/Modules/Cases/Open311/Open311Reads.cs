using System.Globalization;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Cases.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace CivicGrid.Modules.Cases.Open311;

/// <summary>
/// <c>Open311:PublicGroups</c>: the 大类 whose 小类 are Open311 services and whose cases the public
/// reads show (default 03 环境卫生, 04 市容秩序, 05 公共设施: things in the street). Disputes,
/// safety, welfare and public-security cases concern people and are never published (docs/adr/0011).
/// <c>Open311:Contact</c>: the discovery document's contact line.
/// </summary>
internal sealed record Open311Settings(IReadOnlySet<string> PublicGroups, string Contact)
{
    public const string DefaultPublicGroups = "03,04,05";

    public static Open311Settings From(IConfiguration configuration) => new(
        (configuration["Open311:PublicGroups"] is { Length: > 0 } groups ? groups : DefaultPublicGroups)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
        configuration["Open311:Contact"] ?? string.Empty);
}

/// <summary>An Open311 service: a 小类 of a public 大类.</summary>
internal sealed record Open311Service(string Code, string Name, string Group, string? Department);

/// <summary>
/// The public reads of GeoReport v2 (services, requests, a request, a token, and FixMyStreet's
/// <c>servicerequestupdates</c>). Anonymous by the spec, so they read past the jurisdiction filter,
/// but only cases of public services and only fields that name no one: never the reporter, never a
/// staff note or actor, and a rejected case's description is withheld.
/// </summary>
internal sealed class Open311Reads(CivicGridDbContext db, Open311Settings settings, LocalTime time)
{
    /// <summary>The spec's default window and longest span of <c>start_date</c>..<c>end_date</c>.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(90);

    /// <summary>The most requests (or updates) one answer carries.</summary>
    public const int MaxResults = 1000;

    private static readonly string[] ClosedStates = [CaseStates.Closed, CaseStates.FollowedUp, CaseStates.Rejected];

    public async Task<IReadOnlyList<Open311Service>> ServicesAsync(CancellationToken cancellationToken)
    {
        var all = await db.Set<CaseCategory>().AsNoTracking().OrderBy(c => c.SortOrder).ToListAsync(cancellationToken);
        var groups = all.Where(c => c.ParentCode is null && settings.PublicGroups.Contains(c.Code)).ToDictionary(c => c.Code, c => c.Name);
        return [.. all.Where(c => c.ParentCode is { } parent && groups.ContainsKey(parent))
            .Select(c => new Open311Service(c.Code, c.Name, groups[c.ParentCode!], c.DepartmentCode))];
    }

    public async Task<Open311Service?> ServiceAsync(string code, CancellationToken cancellationToken) =>
        (await ServicesAsync(cancellationToken)).FirstOrDefault(s => s.Code == code);

    /// <summary>GET requests: by <c>service_request_id</c> (comma list; the other filters then do not apply) or by window, service codes and status.</summary>
    public async Task<Result<IReadOnlyList<Open311Object>>> RequestsAsync(string? ids, string? serviceCodes, string? status,
        string? startDate, string? endDate, CancellationToken cancellationToken)
    {
        var services = await ServicesAsync(cancellationToken);
        var query = Published(services);
        if (List(ids) is { Count: > 0 } numbers)
        {
            query = query.Where(c => numbers.Contains(c.Number));
        }
        else
        {
            var statuses = List(status);
            var errors = new FieldErrors()
                .When(statuses.Any(s => s is not ("open" or "closed")), "status", "status 须为 open 或 closed（可逗号分隔）");
            var window = WindowOf(startDate, endDate, errors);
            if (errors.ToError("open311.invalid", "查询条件无效") is { } invalid)
            {
                return invalid;
            }
            var (from, to) = window!.Value;
            query = query.Where(c => c.CreatedAt >= from && c.CreatedAt <= to);
            if (List(serviceCodes) is { Count: > 0 } codes)
            {
                query = query.Where(c => codes.Contains(c.CategoryCode));
            }
            if (statuses.Distinct().Count() == 1)
            {
                query = statuses[0] == "closed"
                    ? query.Where(c => ClosedStates.Contains(c.State))
                    : query.Where(c => !ClosedStates.Contains(c.State));
            }
        }
        var cases = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(MaxResults).ToListAsync(cancellationToken);
        return cases.Select(c => RequestOf(c, services)).ToList();
    }

    /// <summary>GET requests/{id}: one request by its case number.</summary>
    public async Task<Result<IReadOnlyList<Open311Object>>> RequestAsync(string number, CancellationToken cancellationToken)
    {
        var services = await ServicesAsync(cancellationToken);
        var found = await Published(services).FirstOrDefaultAsync(c => c.Number == number, cancellationToken);
        return found is null ? RequestNotFound(number) : new[] { RequestOf(found, services) };
    }

    /// <summary>GET tokens/{token}: the token is the case's id, handed out by POST; it answers with the case number.</summary>
    public async Task<Result<IReadOnlyList<Open311Object>>> TokenAsync(string token, CancellationToken cancellationToken)
    {
        var services = await ServicesAsync(cancellationToken);
        var number = Guid.TryParse(token, out var id)
            ? await Published(services).Where(c => c.Id == id).Select(c => c.Number).FirstOrDefaultAsync(cancellationToken)
            : null;
        return number is null
            ? Error.NotFound("open311.token_not_found", $"token {token} 不存在")
            : new[] { new Open311Object(("service_request_id", number), ("token", token)) };
    }

    /// <summary>
    /// GET servicerequestupdates (FixMyStreet's extension): each step of a published case's timeline
    /// in the window, oldest first. The description is the step's fixed wording, never the staff's note.
    /// </summary>
    public async Task<Result<IReadOnlyList<Open311Object>>> UpdatesAsync(string? startDate, string? endDate, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var window = WindowOf(startDate, endDate, errors);
        if (errors.ToError("open311.invalid", "查询条件无效") is { } invalid)
        {
            return invalid;
        }
        var (since, until) = window!.Value;
        var services = await ServicesAsync(cancellationToken);
        var updates = await (
                from e in db.Set<CaseEvent>().AsNoTracking()
                join c in Published(services) on e.CaseId equals c.Id
                where e.At >= since && e.At <= until
                orderby e.At, e.Id
                select new { e.Id, c.Number, e.ToState, e.At })
            .Take(MaxResults).ToListAsync(cancellationToken);
        return updates.Select(u => new Open311Object(
            ("update_id", u.Id.ToString(CultureInfo.InvariantCulture)),
            ("service_request_id", u.Number),
            ("status", UpdateStatus(u.ToState)),
            ("updated_datetime", Format(u.At)),
            ("description", StatusNotes(u.ToState)),
            ("media_url", null),
            ("external_status_code", u.ToState))).ToList();
    }

    public static Error RequestNotFound(string number) => Error.NotFound("open311.request_not_found", $"服务请求 {number} 不存在");

    /// <summary>The spec's status: closed once the case is closed, followed up or rejected; open before.</summary>
    public static string Status(string state) => ClosedStates.Contains(state) ? "closed" : "open";

    /// <summary>FixMyStreet's extended statuses for an update.</summary>
    private static string UpdateStatus(string state) => state switch
    {
        CaseStates.Reported => "open",
        CaseStates.Accepted => "investigating",
        CaseStates.Dispatched => "action_scheduled",
        CaseStates.Handling or CaseStates.ReportedBack => "in_progress",
        CaseStates.Verified or CaseStates.Closed or CaseStates.FollowedUp => "fixed",
        _ => "closed",
    };

    /// <summary>The public wording of a state: the only status text the public reads carry.</summary>
    private static string StatusNotes(string state) => state switch
    {
        CaseStates.Reported => "已收到，待受理",
        CaseStates.Accepted => "已受理立案",
        CaseStates.Dispatched => "已派遣处置单位",
        CaseStates.Handling => "处置中",
        CaseStates.ReportedBack => "处置结果已反馈，待核查",
        CaseStates.Verified => "已核查，待结案",
        CaseStates.Closed => "已结案",
        CaseStates.FollowedUp => "已结案并回访",
        CaseStates.Rejected => "不予受理",
        _ => state,
    };

    private IQueryable<Case> Published(IReadOnlyList<Open311Service> services)
    {
        var codes = services.Select(s => s.Code).ToList();
        // Public by the spec: past the jurisdiction filter, limited to public services.
        return db.Set<Case>().IgnoreQueryFilters().AsNoTracking().Where(c => codes.Contains(c.CategoryCode));
    }

    private Open311Object RequestOf(Case c, IReadOnlyList<Open311Service> services)
    {
        var service = services.First(s => s.Code == c.CategoryCode);
        return new Open311Object(
            ("service_request_id", c.Number),
            ("status", Status(c.State)),
            ("status_notes", StatusNotes(c.State)),
            ("service_name", service.Name),
            ("service_code", service.Code),
            ("description", c.State == CaseStates.Rejected ? null : c.Description),
            ("agency_responsible", service.Department),
            ("service_notice", null),
            ("requested_datetime", Format(c.CreatedAt)),
            ("updated_datetime", Format(c.UpdatedAt)),
            ("expected_datetime", null),
            ("address", null),
            ("address_id", null),
            ("zipcode", null),
            ("lat", c.Lat),
            ("long", c.Lon),
            ("media_url", null));
    }

    /// <summary>W3C date-time in the configured zone, with its offset.</summary>
    private string Format(DateTimeOffset instant) =>
        time.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// The spec's window: the last 90 days by default; one bound alone reaches 90 days from it; both
    /// may span at most 90 days. Bounds are W3C date-times (an offset or Z; without one, the configured zone).
    /// </summary>
    private (DateTimeOffset From, DateTimeOffset To)? WindowOf(string? startDate, string? endDate, FieldErrors errors)
    {
        var start = Parse(startDate, "start_date", errors);
        var end = Parse(endDate, "end_date", errors);
        if (startDate is { Length: > 0 } && start is null || endDate is { Length: > 0 } && end is null)
        {
            return null;
        }
        var to = end ?? (start is { } s ? s + Window : time.UtcNow);
        var from = start ?? to - Window;
        errors.When(from > to, "start_date", "start_date 不能晚于 end_date")
            .When(to - from > Window, "end_date", "start_date 与 end_date 相隔不能超过 90 天");
        return (from.ToUniversalTime(), to.ToUniversalTime());
    }

    private DateTimeOffset? Parse(string? value, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed)
            && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind, out var plain))
        {
            // No offset given: the time is the configured zone's.
            return plain.Kind == DateTimeKind.Unspecified
                ? new DateTimeOffset(plain, time.Zone.GetUtcOffset(plain))
                : parsed;
        }
        errors.Add(field, $"{field} 须为 W3C 日期时间，如 2026-11-05T08:15:30+08:00");
        return null;
    }

    private static List<string> List(string? commaSeparated) =>
        [.. (commaSeparated ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
