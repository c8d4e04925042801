using System.Diagnostics;
using System.Globalization;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Identity.Audit;

/// <summary><c>/api/v1/audit</c>: search and export the audit log (capability <c>audit.read</c>).</summary>
internal static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit").RequireCapability(Capabilities.AuditRead);

        audit.MapGet("/", async (string? actor, string? action, string? target, string? from, string? to, string? q,
                int? page, int? pageSize, AuditSearch search, CancellationToken ct) =>
            {
                var filter = AuditFilter.Parse(actor, action, target, from, to, q);
                var paging = AuditSearch.Paging(page, pageSize);
                if (Merge(filter.Error, paging.Error) is { } invalid)
                {
                    return invalid.ToProblem();
                }
                return (await search.SearchAsync(filter.Value, paging.Value, ct)).ToHttp();
            })
            .WithSummary("Search the audit log, newest first: actor, action and target match exactly or by prefix with a trailing *, q is a substring of actor, target or detail, from (inclusive) and to (exclusive) are ISO 8601 instants; pageSize ≤ 200")
            .Produces<Paged<AuditRecordView>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        audit.MapGet("/export", async Task<IResult> (string? actor, string? action, string? target, string? from, string? to, string? q,
                AuditSearch search, LocalTime time, HttpContext http, CancellationToken ct) =>
            {
                var filter = AuditFilter.Parse(actor, action, target, from, to, q);
                if (!filter.IsSuccess)
                {
                    return filter.Error!.ToProblem();
                }
                var export = await search.ExportAsync(filter.Value, Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier, ct);
                if (!export.IsSuccess)
                {
                    return export.Error!.ToProblem();
                }
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Stream(export.Value, "text/csv; charset=utf-8", $"audit-{time.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv");
            })
            .WithSummary("Export the matching records as CSV (UTF-8 with BOM, newest first, at most 100,000 rows); the export itself is written to the audit log as audit.export")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static Error? Merge(Error? first, Error? second)
    {
        if (first is null || second is null)
        {
            return first ?? second;
        }
        var fields = new Dictionary<string, string[]>(first.Fields ?? new Dictionary<string, string[]>(), StringComparer.Ordinal);
        foreach (var (field, messages) in second.Fields ?? new Dictionary<string, string[]>())
        {
            fields[field] = messages;
        }
        return first with { Fields = fields };
    }
}
