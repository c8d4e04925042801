using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Web;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Cases.Open311;

/// <summary>
/// Open311 GeoReport v2 at <c>/open311/v2</c>, every method in <c>.json</c> and <c>.xml</c>, plus
/// service discovery and FixMyStreet's <c>servicerequestupdates</c>. Outside <c>/api/v1</c>: reads
/// are anonymous by the spec (under the public rate limit); POST requests signs with an
/// <c>api_key</c> of an open311 client. <c>jurisdiction_id</c> is accepted and ignored (one
/// jurisdiction per installation). service_request_id is the case number (docs/adr/0011).
/// </summary>
internal static class Open311Endpoints
{
    public const string Root = "/open311/v2";
    public const string Specification = "http://wiki.open311.org/GeoReport_v2";
    private const string Changeset = "2026-11-23T00:00:00+08:00";

    public static IEndpointRouteBuilder MapOpen311Endpoints(this IEndpointRouteBuilder app)
    {
        // Documented by the spec and the discovery file, not in the /api OpenAPI document.
        var open311 = app.MapGroup(Root).RequireRateLimiting(RateLimits.Public).ExcludeFromDescription();

        open311.MapGet("/discovery.{format}", (string format, HttpContext http, Open311Settings settings) =>
            Reply(format, () => new Open311Object(
                ("changeset", Changeset),
                ("contact", settings.Contact),
                ("key_service", "API keys are issued by the operator: users add NAME --role open311 --jurisdiction CODE (or users key NAME)"),
                ("endpoints", new Open311List("endpoints", "endpoint",
                [
                    new Open311Object(
                        ("specification", Specification),
                        ("url", $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{Root}"),
                        ("changeset", Changeset),
                        ("type", "production"),
                        ("formats", new Open311List("formats", "format", ["text/xml", "application/json"]))),
                ]))), "discovery"));

        open311.MapGet("/services.{format}", async (string format, Open311Reads reads, CancellationToken ct) =>
            !Open311Reply.IsFormat(format) ? UnknownFormat(format) : new Open311Reply(format, new Open311List("services", "service",
            [
                .. (await reads.ServicesAsync(ct)).Select(s => new Open311Object(
                    ("service_code", s.Code),
                    ("service_name", s.Name),
                    ("description", $"{s.Group}：{s.Name}"),
                    ("metadata", false),
                    ("type", "realtime"),
                    ("keywords", s.Group),
                    ("group", s.Group))),
            ])));

        open311.MapGet("/services/{code}.{format}", async (string code, string format, Open311Reads reads, CancellationToken ct) =>
            !Open311Reply.IsFormat(format) ? UnknownFormat(format)
            : await reads.ServiceAsync(code, ct) is null ? Open311Reply.Errors(format, StatusCodes.Status404NotFound, $"服务 {code} 不存在")
            // Our services ask nothing beyond the standard fields: no attributes.
            : new Open311Reply(format, new Open311Object(("service_code", code), ("attributes", new Open311List("attributes", "attribute", []))),
                xmlRoot: "service_definition"));

        open311.MapPost("/requests.{format}", async (string format, HttpContext http, IApiKeys keys, IServiceScopeFactory scopes,
            CancellationToken ct) =>
        {
            if (!Open311Reply.IsFormat(format))
            {
                return UnknownFormat(format);
            }
            if (!http.Request.HasFormContentType)
            {
                return Open311Reply.Errors(format, StatusCodes.Status400BadRequest, "请以表单 (application/x-www-form-urlencoded) 提交");
            }
            var form = await http.Request.ReadFormAsync(ct);
            if (await keys.AuthenticateAsync(form["api_key"].ToString(), ct) is not { } client)
            {
                return Open311Reply.Errors(format, StatusCodes.Status403Forbidden, "api_key 无效或缺失，无法创建服务请求");
            }
            // The use case runs as the key's client: a scope whose caller is read after the key signed it in.
            http.User = client;
            await using var scope = scopes.CreateAsyncScope();
            var created = await scope.ServiceProvider.GetRequiredService<Open311Intake>().HandleAsync(form, ct);
            return Reply(format, created, c => new Open311List("service_requests", "request",
                [new Open311Object(("service_request_id", c.ServiceRequestId), ("token", c.Token), ("service_notice", null), ("account_id", null))]));
        });

        open311.MapGet("/requests.{format}", async (string format, string? service_request_id, string? service_code, string? status,
                string? start_date, string? end_date, Open311Reads reads, CancellationToken ct) =>
            !Open311Reply.IsFormat(format) ? UnknownFormat(format)
            : Reply(format, await reads.RequestsAsync(service_request_id, service_code, status, start_date, end_date, ct), Requests));

        open311.MapGet("/requests/{id}.{format}", async (string id, string format, Open311Reads reads, CancellationToken ct) =>
            !Open311Reply.IsFormat(format) ? UnknownFormat(format) : Reply(format, await reads.RequestAsync(id, ct), Requests));

        open311.MapGet("/tokens/{token}.{format}", async (string token, string format, Open311Reads reads, CancellationToken ct) =>
            !Open311Reply.IsFormat(format) ? UnknownFormat(format) : Reply(format, await reads.TokenAsync(token, ct), Requests));

        open311.MapGet("/servicerequestupdates.{format}", async (string format, string? start_date, string? end_date, Open311Reads reads,
                CancellationToken ct) =>
            !Open311Reply.IsFormat(format) ? UnknownFormat(format)
            : Reply(format, await reads.UpdatesAsync(start_date, end_date, ct),
                updates => new Open311List("service_requests_updates", "request_update", [.. updates])));
        return app;
    }

    private static Open311List Requests(IReadOnlyList<Open311Object> requests) => new("service_requests", "request", [.. requests]);

    private static IResult Reply(string format, Func<Open311Object> document, string xmlRoot) =>
        Open311Reply.IsFormat(format) ? new Open311Reply(format, document(), xmlRoot: xmlRoot) : UnknownFormat(format);

    /// <summary>A use case's result in the spec's shape: the value, or its error as the spec's error list.</summary>
    private static IResult Reply<T>(string format, Result<T> result, Func<T, Open311List> document)
    {
        if (result.IsSuccess)
        {
            return new Open311Reply(format, document(result.Value));
        }
        var error = result.Error!;
        var status = error.Kind switch
        {
            ErrorKind.Validation => StatusCodes.Status400BadRequest,
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status403Forbidden,
        };
        var descriptions = error.Fields is { Count: > 0 } fields
            ? fields.SelectMany(f => f.Value.Select(message => $"{f.Key}: {message}"))
            : [error.Message];
        return Open311Reply.Errors(format, status, descriptions);
    }

    private static Open311Reply UnknownFormat(string format) =>
        Open311Reply.Errors(Open311Reply.Json, StatusCodes.Status404NotFound, $"格式 {format} 不受支持：请用 .json 或 .xml");
}
