using System.Globalization;
using System.Text;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Identity.Audit;

/// <summary>
/// What auditors filter by. <see cref="Actor"/> and <see cref="Target"/> match exactly, or by prefix
/// when they end in <c>*</c>; <see cref="Action"/> likewise (<c>auth.*</c>); <see cref="Query"/> is a
/// substring of the actor, target or detail. <see cref="From"/> is inclusive, <see cref="To"/> exclusive.
/// </summary>
internal sealed record AuditFilter(string? Actor, string? Action, string? Target, DateTimeOffset? From, DateTimeOffset? To, string? Query)
{
    public const int MaxTextLength = 200;

    /// <summary>Validates the raw query values; <paramref name="localZone"/> reads instants without an offset as wall-clock times there (the page), null refuses them (the API).</summary>
    public static Result<AuditFilter> Parse(string? actor, string? action, string? target, string? from, string? to, string? q,
        TimeZoneInfo? localZone = null)
    {
        var errors = new FieldErrors();
        string? Text(string? value, string field)
        {
            var trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            errors.When(trimmed is { Length: > MaxTextLength }, field, $"{field} 不能超过 {MaxTextLength} 个字符");
            return trimmed;
        }
        DateTimeOffset? Instant(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }
            var parsed = ParseInstant(value.Trim(), localZone);
            errors.When(parsed is null, field, $"{field} 须为 ISO 8601 时刻，如 2026-11-23T08:00:00Z 或 2026-11-23T16:00:00+08:00");
            return parsed;
        }
        var filter = new AuditFilter(Text(actor, "actor"), Text(action, "action"), Text(target, "target"),
            Instant(from, "from"), Instant(to, "to"), Text(q, "q"));
        errors.When(filter.From is { } f && filter.To is { } t && f >= t, "to", "to 须晚于 from");
        return errors.ToError() is { } error ? error : filter;
    }

    /// <summary>An ISO 8601 instant with Z or an offset; without one, a wall-clock time in <paramref name="localZone"/> when given.</summary>
    public static DateTimeOffset? ParseInstant(string value, TimeZoneInfo? localZone)
    {
        var hasOffset = value.EndsWith('Z') || value.EndsWith('z')
            || (value.Length > 6 && (value[^6] is '+' or '-') && value[^3] == ':');
        if (hasOffset)
        {
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
                && value.Contains('T', StringComparison.OrdinalIgnoreCase)
                ? instant.ToUniversalTime()
                : null;
        }
        if (localZone is null
            || !DateTime.TryParseExact(value, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var wall))
        {
            return null;
        }
        var unspecified = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, localZone.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    /// <summary>The filter as query-string pairs (instants in ISO form), for links to the API and the export.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ToQuery()
    {
        if (Actor is not null) yield return new("actor", Actor);
        if (Action is not null) yield return new("action", Action);
        if (Target is not null) yield return new("target", Target);
        if (From is { } from) yield return new("from", from.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        if (To is { } to) yield return new("to", to.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        if (Query is not null) yield return new("q", Query);
    }

    public override string ToString() => string.Join(' ', ToQuery().Select(p => $"{p.Key}={p.Value}")) is { Length: > 0 } text ? text : "(all)";
}

/// <summary>Searches and exports the audit log for holders of <c>audit.read</c>. The log is not jurisdiction-scoped.</summary>
internal sealed class AuditSearch(CivicGridDbContext db, IAuditLog audit, ICaller caller)
{
    /// <summary>The largest page of the audit API.</summary>
    public const int MaxPageSize = 200;

    /// <summary>The most rows one export writes.</summary>
    public const int MaxExportRows = 100_000;

    public static readonly Error Forbidden = Error.Forbidden("audit.forbidden", "需要审计查阅权限（audit.read）");

    public static Result<PageRequest> Paging(int? page, int? pageSize)
    {
        var errors = new FieldErrors()
            .When(page is < 1, "page", "page 从 1 开始")
            .When(pageSize is < 1 or > MaxPageSize, "pageSize", $"pageSize 须在 1 到 {MaxPageSize} 之间");
        return errors.ToError() is { } error ? error : new PageRequest(page ?? 1, pageSize ?? PageRequest.DefaultPageSize);
    }

    /// <summary>A page of matching records, newest first.</summary>
    public async Task<Result<Paged<AuditRecordView>>> SearchAsync(AuditFilter filter, PageRequest paging, CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.AuditRead))
        {
            return Forbidden;
        }
        var query = Apply(db.Set<AuditRecord>().AsNoTracking(), filter);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(r => r.Sequence).Skip(paging.Skip).Take(paging.PageSize)
            .Select(r => new AuditRecordView(r.Sequence, r.At, r.Actor, r.Action, r.Target, r.Detail, r.Ip, r.TraceId))
            .ToListAsync(cancellationToken);
        return new Paged<AuditRecordView>(items, total, paging.Page, paging.PageSize);
    }

    /// <summary>
    /// Writes the <c>audit.export</c> record, then returns a writer of the matching records older
    /// than it (newest first, at most <see cref="MaxExportRows"/>) as CSV with a UTF-8 BOM.
    /// </summary>
    public async Task<Result<Func<Stream, Task>>> ExportAsync(AuditFilter filter, string? traceId, CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.AuditRead))
        {
            return Forbidden;
        }
        var receipt = await audit.AppendAsync(new AuditEntry(caller.Name, "audit.export", "audit_log",
            $"filter: {filter}; at most {MaxExportRows} rows", caller.Ip, traceId), cancellationToken);
        var upTo = receipt.Sequence;
        return new Func<Stream, Task>(async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024)
            {
                NewLine = "\r\n", // RFC 4180
            };
            await writer.WriteLineAsync("sequence,time,actor,action,target,detail,ip,traceId");
            var rows = Apply(db.Set<AuditRecord>().AsNoTracking(), filter).Where(r => r.Sequence < upTo)
                .OrderByDescending(r => r.Sequence).Take(MaxExportRows).AsAsyncEnumerable();
            var line = new StringBuilder();
            var n = 0;
            await foreach (var r in rows.WithCancellation(cancellationToken))
            {
                line.Clear()
                    .Append(r.Sequence.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(r.At.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)).Append(',');
                Cell(line, r.Actor).Append(',');
                Cell(line, r.Action).Append(',');
                Cell(line, r.Target).Append(',');
                Cell(line, r.Detail).Append(',');
                Cell(line, r.Ip).Append(',');
                Cell(line, r.TraceId);
                await writer.WriteLineAsync(line, cancellationToken);
                if (++n % 1000 == 0)
                {
                    await writer.FlushAsync(cancellationToken);
                }
            }
        });
    }

    /// <summary>
    /// One CSV cell: quoted when it holds a comma, quote or line break, and prefixed with an
    /// apostrophe when a spreadsheet would read it as a formula (attempted user names are logged).
    /// </summary>
    internal static StringBuilder Cell(StringBuilder line, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return line;
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"')
            : line.Append(value);
    }

    private static IQueryable<AuditRecord> Apply(IQueryable<AuditRecord> query, AuditFilter filter)
    {
        query = Match(query, filter.Actor, r => r.Actor == filter.Actor, p => r => r.Actor.StartsWith(p));
        query = Match(query, filter.Action, r => r.Action == filter.Action, p => r => r.Action.StartsWith(p));
        query = Match(query, filter.Target, r => r.Target == filter.Target, p => r => r.Target.StartsWith(p));
        if (filter.From is { } from)
        {
            query = query.Where(r => r.At >= from);
        }
        if (filter.To is { } to)
        {
            query = query.Where(r => r.At < to);
        }
        if (filter.Query is { } q)
        {
            query = query.Where(r => r.Actor.Contains(q) || r.Target.Contains(q) || (r.Detail != null && r.Detail.Contains(q)));
        }
        return query;
    }

    private static IQueryable<AuditRecord> Match(IQueryable<AuditRecord> query, string? value,
        System.Linq.Expressions.Expression<Func<AuditRecord, bool>> exact,
        Func<string, System.Linq.Expressions.Expression<Func<AuditRecord, bool>>> prefix) =>
        value switch
        {
            null => query,
            { Length: > 1 } when value.EndsWith('*') => query.Where(prefix(value[..^1])),
            _ => query.Where(exact),
        };
}
