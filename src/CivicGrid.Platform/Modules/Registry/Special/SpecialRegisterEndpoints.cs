using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Registry.Special;

/// <summary>
/// <c>/api/v1/special-registers</c>: signed-in callers only, and within that 404 (never 403)
/// without <c>registry.special</c>, so the registers' existence is not given away. Reads audited.
/// </summary>
internal static class SpecialRegisterEndpoints
{
    public static RouteGroupBuilder MapSpecialRegisterEndpoints(this RouteGroupBuilder api)
    {
        var registers = api.MapGroup("/special-registers").WithTags("Registry")
            .RequireAuthorization(policy => policy.RequireAuthenticatedUser());

        registers.MapGet("/", async (SpecialRegisterKind? kind, string? within, int? page, int? pageSize, SpecialRegisters use,
                CancellationToken ct) =>
            (await use.ListAsync(kind, within, null, page, pageSize, ct)).ToHttp())
            .WithSummary("Special-population register entries within the caller's jurisdictions (registry.special; 404 without it); kind, within a division or grid; the read is audited")
            .Produces<Paged<SpecialRegisterView>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        registers.MapGet("/{id:guid}", async (Guid id, SpecialRegisters use, CancellationToken ct) => (await use.GetAsync(id, ct)).ToHttp())
            .WithSummary("One entry with its notes (registry.special; 404 without it or outside the caller's jurisdictions); the read is audited")
            .Produces<SpecialRegisterView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        registers.MapPost("/", async Task<Results<Created<SpecialRegisterView>, ProblemHttpResult>> (SpecialRegisterInput input,
                SpecialRegisters use, CancellationToken ct) =>
            {
                var result = await use.CreateAsync(input, ct);
                return result.IsSuccess
                    ? TypedResults.Created($"/api/v1/special-registers/{result.Value.Id}", result.Value)
                    : result.Error!.ToProblem();
            })
            .WithSummary("Put a person of the caller's jurisdiction on a register (registry.special); notes encrypted at rest; an open entry of the same kind is 409")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        registers.MapPut("/{id:guid}", async (Guid id, SpecialRegisterInput input, SpecialRegisters use, CancellationToken ct) =>
                (await use.UpdateAsync(id, input, ct)).ToHttp())
            .WithSummary("Replace an entry's fields (registry.special); audited with the names of the changed fields")
            .Produces<SpecialRegisterView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/persons/{id:guid}/special-registers", async (Guid id, int? page, int? pageSize, SpecialRegisters use,
                CancellationToken ct) =>
            (await use.OfPersonAsync(id, page, pageSize, ct)).ToHttp())
            .WithTags("Registry")
            .RequireAuthorization(policy => policy.RequireAuthenticatedUser())
            .WithSummary("A person's register entries (registry.special over his grid; 404 otherwise); the read is audited")
            .Produces<Paged<SpecialRegisterView>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }
}
