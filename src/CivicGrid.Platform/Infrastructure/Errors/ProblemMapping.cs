using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CivicGrid.Infrastructure.Errors;

/// <summary>
/// The one place where typed errors become ProblemDetails: validation → 400 with field errors,
/// not found → 404, conflict → 409, unauthenticated → 401, forbidden → 403. Every problem carries <c>code</c> and <c>traceId</c>.
/// </summary>
public static class ProblemMapping
{
    /// <summary>The extension key holding the stable error code.</summary>
    public const string CodeKey = "code";

    /// <summary>The extension key holding the trace id.</summary>
    public const string TraceIdKey = "traceId";

    /// <summary>Turns an error into an HTTP result.</summary>
    public static ProblemHttpResult ToProblem(this Error error)
    {
        var extensions = new Dictionary<string, object?> { [CodeKey] = error.Code };
        if (error.Kind == ErrorKind.Validation)
        {
            var validation = new HttpValidationProblemDetails(error.Fields ?? new Dictionary<string, string[]>())
            {
                Status = StatusCodes.Status400BadRequest,
                Title = error.Message,
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            };
            validation.Extensions[CodeKey] = error.Code;
            return TypedResults.Problem(validation);
        }

        var status = error.Kind switch
        {
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            ErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
            ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status400BadRequest,
        };
        return TypedResults.Problem(detail: error.Message, statusCode: status, extensions: extensions);
    }

    /// <summary>Either the value as 200 JSON or the error as a problem.</summary>
    public static IResult ToHttp<T>(this Result<T> result) =>
        result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error!.ToProblem();

    /// <summary>The default code for a status that no typed error explained.</summary>
    public static string DefaultCode(int status) => status switch
    {
        400 => "request.bad_request",
        401 => "auth.unauthenticated",
        403 => "auth.forbidden",
        404 => "route.not_found",
        405 => "request.method_not_allowed",
        406 => "request.not_acceptable",
        409 => "request.conflict",
        413 => "request.too_large",
        415 => "request.unsupported_media_type",
        429 => "request.rate_limited",
        503 => "server.unavailable",
        _ when status >= 500 => "server.unexpected",
        _ => "request.failed",
    };

    /// <summary>Adds <c>code</c> (if missing) and <c>traceId</c> to every problem the app writes.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Extensions.TryAdd(CodeKey, DefaultCode(status));
        problem.Extensions[TraceIdKey] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        problem.Instance ??= context.HttpContext.Request.Path;
        // Never leak internals: the exception is logged, not written.
        problem.Extensions.Remove("exception");
    }
}
