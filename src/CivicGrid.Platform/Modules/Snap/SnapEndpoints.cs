using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Web;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Snap.Moderation;
using CivicGrid.Modules.Snap.Posters;
using CivicGrid.Modules.Snap.Tracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace CivicGrid.Modules.Snap;

/// <summary>The body of the moderation steps.</summary>
public sealed record SnapModerationRequest(string? Reason = null);

/// <summary>
/// <c>/api/v1/snap</c>: QR codes and posters (snap.posters) and moderation (snap.moderate), for
/// staff of the place's jurisdiction; and, outside the API, the public photo of a tracking page.
/// </summary>
internal static class SnapEndpoints
{
    public static RouteGroupBuilder MapSnapEndpoints(this RouteGroupBuilder api)
    {
        var snap = api.MapGroup("/snap").WithTags("Snap");
        snap.MapGet("/qr/{key}.svg", async (string key, PrintPosters posters, CancellationToken ct) =>
                Svg(await posters.QrAsync(key, ct)))
            .RequireCapability(Capabilities.SnapPosters)
            .WithSummary("The QR code (SVG) of a community, grid (division code) or compound (`c` + its id): it opens /r/{key} at Snap:PublicBaseUrl; needs snap.posters over the place, 404 outside the caller's jurisdiction")
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .ProducesProblem(StatusCodes.Status404NotFound);
        snap.MapGet("/posters/{key}.svg", async (string key, PrintPosters posters, CancellationToken ct) =>
                Svg(await posters.PosterAsync(key, ct)))
            .RequireCapability(Capabilities.SnapPosters)
            .WithSummary("An A4 poster (SVG): what to report, the place, its QR code, the grid worker's name and masked phone, the platform's name")
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .ProducesProblem(StatusCodes.Status404NotFound);
        snap.MapGet("/posters/{code}/set", async (string code, PrintPosters posters, CancellationToken ct) =>
            {
                var set = await posters.SetAsync(code, ct);
                return set.IsSuccess ? Results.Content(set.Value, "text/html; charset=utf-8") : set.Error!.ToProblem();
            })
            .RequireCapability(Capabilities.SnapPosters)
            .WithSummary("Every poster of a division (itself, its communities and grids, their compounds; at most Snap:MaxPosters) as one printable HTML page, one A4 sheet each")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound);

        snap.MapGet("/cases/{caseId:guid}", async (Guid caseId, ModerateSnap moderate, CancellationToken ct) =>
                (await moderate.GetAsync(caseId, ct)).ToHttp())
            .RequireCapability(Capabilities.SnapModerate)
            .WithSummary("A 随手拍's moderation state: hidden, the redacted photos, whether the resident rated it")
            .Produces<SnapModerationView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        snap.MapPost("/cases/{caseId:guid}/hide", async (Guid caseId, [FromBody] SnapModerationRequest? body, ModerateSnap moderate,
                CancellationToken ct) => (await moderate.HideAsync(caseId, body?.Reason, ct)).ToHttp())
            .RequireCapability(Capabilities.SnapModerate)
            .WithSummary("Hide a 随手拍 from its public tracking page (the page then says it was hidden); `reason` required; on the case's timeline")
            .Produces<SnapModerationView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        snap.MapPost("/cases/{caseId:guid}/show", async (Guid caseId, [FromBody] SnapModerationRequest? body, ModerateSnap moderate,
                CancellationToken ct) => (await moderate.ShowAsync(caseId, body?.Reason, ct)).ToHttp())
            .RequireCapability(Capabilities.SnapModerate)
            .WithSummary("Show a hidden 随手拍 on its public tracking page again; on the case's timeline")
            .Produces<SnapModerationView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        snap.MapPost("/cases/{caseId:guid}/photos/{photoId:guid}/redact", async (Guid caseId, Guid photoId,
                [FromBody] SnapModerationRequest? body, ModerateSnap moderate, CancellationToken ct) =>
                (await moderate.RedactAsync(caseId, photoId, body?.Reason, ct)).ToHttp())
            .RequireCapability(Capabilities.SnapModerate)
            .WithSummary("Stop serving a photo of a 随手拍 publicly (it stays attached to the case for staff); `reason` required; on the case's timeline")
            .Produces<SnapModerationView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>The public photo of a tracking page: <c>/t/{code}/photos/{id}</c>, under the public rate limit.</summary>
    public static IEndpointRouteBuilder MapSnapPublicEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/t/{code}/photos/{photoId:guid}", async (string code, Guid photoId, SnapTracking tracking, HttpContext context,
                CancellationToken ct) =>
            {
                if (await tracking.PhotoAsync(code, photoId, ct) is not { } photo)
                {
                    return Results.NotFound();
                }
                // Not cached by shared caches, and not for long: a moderator may redact it.
                context.Response.Headers.CacheControl = "private, max-age=300";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return TypedResults.Stream(photo.Content, photo.ContentType, entityTag: new EntityTagHeaderValue($"\"{photo.Sha256}\""));
            })
            .RequireRateLimiting(RateLimits.Public)
            .AllowAnonymous()
            .ExcludeFromDescription();
        // The phone layout's A/A+ without JavaScript: remembers the text size in a cookie, then back.
        app.MapGet("/phone/font/{large:int}", (int large, string? returnUrl, HttpContext context, TimeProvider clock) =>
            {
                context.Response.Cookies.Append("cg-fs", large == 1 ? "1" : "0", new CookieOptions
                {
                    Expires = clock.GetUtcNow().AddYears(1),
                    IsEssential = true,
                    SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax,
                    Path = "/",
                });
                var target = returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
                    && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) ? returnUrl : "/r";
                return Results.LocalRedirect(target);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Svg(Result<string> result) =>
        result.IsSuccess ? Results.Content(result.Value, "image/svg+xml; charset=utf-8") : result.Error!.ToProblem();
}
