using System.Diagnostics;
using System.Security.Claims;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Identity.Users;

/// <summary>
/// <c>/api/v1/users</c>: staff users within the caller's <c>users.manage</c> jurisdictions, phones masked,
/// and the audited unmask of one user's phone.
/// </summary>
internal static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization();

        users.MapGet("/", async (string? q, string? phone, int? page, int? pageSize, ClaimsPrincipal caller,
                UserDirectory directory, CancellationToken ct) =>
            (await directory.ListAsync(caller, q, phone, page, pageSize, ct)).ToHttp())
            .WithSummary("List users within the caller's jurisdictions, paged: q matches the user or display name, phone finds an exact number; phones are masked")
            .Produces<Paged<UserSummary>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        users.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal caller, UserDirectory directory, CancellationToken ct) =>
            (await directory.GetAsync(caller, id, ct)).ToHttp())
            .WithSummary("One user, phone masked; a user outside the caller's jurisdictions is 404")
            .Produces<UserSummary>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPost("/{id:guid}/unmask", async (Guid id, UnmaskRequest body, ClaimsPrincipal caller, UserDirectory directory,
                HttpContext http, CancellationToken ct) =>
            {
                var result = await directory.UnmaskAsync(caller, id, body, http.Connection.RemoteIpAddress?.ToString(),
                    Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier, ct);
                // A clear value must not linger in a browser or proxy cache.
                http.Response.Headers.CacheControl = "no-store";
                return result.ToHttp();
            })
            .WithSummary("See a user's clear phone once, stating why (at least 4 characters); the look is written to the audit log")
            .Produces<UnmaskedField>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }
}
