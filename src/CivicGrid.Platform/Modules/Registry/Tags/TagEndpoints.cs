using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Registry.Tags;

/// <summary><c>/api/v1/registry/tags</c>: the person tag catalog.</summary>
internal static class TagEndpoints
{
    public static RouteGroupBuilder MapTagEndpoints(this RouteGroupBuilder api)
    {
        var tags = api.MapGroup("/registry/tags").WithTags("Registry");
        tags.MapGet("/", async (TagCatalog catalog, CancellationToken ct) => TypedResults.Ok(await catalog.ListAsync(ct)))
            .RequireCapability(Capabilities.RegistryRead)
            .WithSummary("The tag catalog (关爱对象, 社会救助, 居民类型 资源型/服务型/管理型 …): a person's tags must be active tags of it")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        tags.MapPost("/", async (TagInput input, TagCatalog catalog, CancellationToken ct) => (await catalog.SaveAsync(input, ct)).ToHttp())
            .RequireCapability(Capabilities.RegistryCatalog)
            .WithSummary("Add a tag, or change a tag's group or order, or retire it (active: false); audited")
            .Produces<TagView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }
}
