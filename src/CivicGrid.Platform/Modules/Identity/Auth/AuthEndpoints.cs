using System.Security.Claims;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Web;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Identity.Auth;

/// <summary>What <c>/auth/me</c> answers.</summary>
internal sealed record MeResponse(Guid UserId, string UserName, IReadOnlyList<RoleGrant> Roles, IReadOnlyList<string> Capabilities);

internal static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth");
        auth.MapPost("/token", async (SignInRequest body, SignIn signIn, HttpContext http, CancellationToken ct) =>
                (await signIn.HandleAsync(body, Ip(http), ct)).ToHttp())
            .WithSummary("Sign in with user name and password: an access token (15 min) and a refresh token")
            .Produces<TokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        auth.MapPost("/refresh", async (RefreshRequest body, RefreshSession refresh, HttpContext http, CancellationToken ct) =>
                (await refresh.HandleAsync(body, Ip(http), ct)).ToHttp())
            .WithSummary("Trade a refresh token for a new pair; the old one is revoked, and replaying it revokes the session")
            .Produces<TokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized)
            .AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        auth.MapPost("/revoke", async (RefreshRequest body, RevokeSession revoke, HttpContext http, CancellationToken ct) =>
            {
                await revoke.HandleAsync(body, Ip(http), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Sign out: revoke the refresh token and every token of its session")
            .AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        auth.MapGet("/me", Ok<MeResponse> (ClaimsPrincipal user) =>
            {
                var grants = user.Grants();
                var capabilities = grants.SelectMany(g => Capabilities.Grants.GetValueOrDefault(g.Role) ?? [])
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                return TypedResults.Ok(new MeResponse(
                    Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!), user.Identity!.Name!, grants, capabilities));
            })
            .WithSummary("The caller: user name, roles with their jurisdictions, capabilities")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }

    private static string? Ip(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();
}
