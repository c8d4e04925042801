using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Infrastructure.Errors;

/// <summary>
/// Turns what escaped an endpoint into a problem: a request the framework could not read
/// (malformed JSON, wrong content type, unbindable parameter) becomes a 4xx that says where it
/// broke; anything else is unexpected, logged with its stack, and answered 500 without one.
/// Pages (not <c>/api</c>) fall through to the Chinese error page.
/// </summary>
internal sealed partial class GlobalExceptionHandler(IProblemDetailsService problems, ILogger<GlobalExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => MalformedJson(json),
            BadHttpRequestException bad => FromBadRequest(bad),
            _ => null,
        };

        if (problem is null)
        {
            var path = OriginalPath(httpContext);
            LogUnexpected(logger, exception, httpContext.Request.Method, path);
            if (!ApiPaths.IsApi(path))
            {
                return false;
            }
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "服务器内部错误",
                Detail = "处理请求时发生了意外错误，已记录。请凭 traceId 联系管理员。",
            };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        problem.Instance = OriginalPath(httpContext);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
        });
    }

    // The middleware has already pointed Request.Path at the error page when handlers run.
    private static string OriginalPath(HttpContext context) =>
        context.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? context.Request.Path;

    private static ProblemDetails MalformedJson(JsonException json)
    {
        var where = $"path {json.Path ?? "$"}, line {(json.LineNumber ?? 0) + 1}, byte {(json.BytePositionInLine ?? 0) + 1}";
        var problem = new ValidationProblemDetails(new Dictionary<string, string[]>
        {
            [string.IsNullOrEmpty(json.Path) ? "$" : json.Path] = [$"JSON 无法解析 ({where})"],
        })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "请求体不是有效的 JSON",
            Detail = $"The request body is not valid JSON at {where}.",
        };
        problem.Extensions[ProblemMapping.CodeKey] = "request.malformed_json";
        return problem;
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return Coded(new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "不支持的内容类型",
                Detail = "This endpoint expects application/json.",
            }, "request.unsupported_media_type");
        }

        var match = BindFailure().Match(bad.Message);
        if (bad.StatusCode == StatusCodes.Status400BadRequest && match.Success)
        {
            var field = match.Groups["name"].Value;
            return Coded(new ValidationProblemDetails(new Dictionary<string, string[]>
            {
                [field] = [$"无法把 \"{match.Groups["value"].Value}\" 读作{Describe(match.Groups["type"].Value)}"],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "参数格式有误",
            }, "request.validation_failed");
        }

        return Coded(new ProblemDetails { Status = bad.StatusCode, Title = "请求无效", Detail = bad.Message },
            ProblemMapping.DefaultCode(bad.StatusCode));
    }

    // "Nullable<double>" means nothing to a caller; name the expected kind of value instead.
    private static string Describe(string type)
    {
        var inner = type.StartsWith("Nullable<", StringComparison.Ordinal) ? type[9..^1] : type;
        return inner switch
        {
            "int" or "Int32" or "long" or "Int64" => "整数",
            "double" or "Double" or "decimal" or "Decimal" or "float" or "Single" => "数字",
            "DateTimeOffset" or "DateTime" => "时间（ISO 8601，如 2026-11-22T08:00:00+08:00）",
            "DateOnly" => "日期（如 2026-11-22）",
            "bool" or "Boolean" => "true 或 false",
            "Guid" => "GUID",
            _ => $" {inner}",
        };
    }

    private static ProblemDetails Coded(ProblemDetails problem, string code)
    {
        problem.Extensions[ProblemMapping.CodeKey] = code;
        return problem;
    }

    // "Failed to bind parameter "int page" from "abc"."
    [GeneratedRegex("""parameter "(?<type>[^ "]+) (?<name>[^ "]+)" from "(?<value>[^"]*)""")]
    private static partial Regex BindFailure();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}

/// <summary>Which requests belong to the JSON API (problems) rather than the pages (HTML).</summary>
public static class ApiPaths
{
    /// <summary>True for <c>/api/...</c>, <c>/open311/...</c> and <c>/health</c>.</summary>
    public static bool IsApi(HttpRequest request) => IsApi(request.Path);

    /// <summary>True for <c>/api/...</c>, <c>/open311/...</c> and <c>/health</c>.</summary>
    public static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/open311", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
}
