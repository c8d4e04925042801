using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Registry.History;

/// <summary><c>/api/v1/registry/history</c>: the field-level history of registry records.</summary>
internal static class HistoryEndpoints
{
    public static RouteGroupBuilder MapHistoryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/registry/history", async (Guid? recordId, string? within, int? page, int? pageSize, RegistryHistory history,
                CancellationToken ct) =>
            (await history.ListAsync(recordId, within, page, pageSize, ct)).ToHttp())
            .WithTags("Registry")
            .RequireCapability(Capabilities.RegistryRead)
            .WithSummary("Field changes of registry records within the caller's jurisdictions, newest first: who, when, field, old and new value (protected fields: changed, no value); recordId one record, within a division or grid")
            .Produces<Paged<RegistryChangeView>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
