using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Registry.Organizations;

/// <summary><c>/api/v1/organizations</c>, <c>/places</c>, <c>/components</c>: scoped lists with filters, read, create, replace.</summary>
internal static class LocatedRecordEndpoints
{
    public static RouteGroupBuilder MapLocatedRecordEndpoints(this RouteGroupBuilder api)
    {
        var organizations = api.MapGroup("/organizations").WithTags("Registry");
        organizations.MapGet("/", async (string? within, string? q, OrganizationKind? kind, int? page, int? pageSize, OrganizationRecords use,
                CancellationToken ct) =>
            (await use.ListAsync(within, q, kind is { } k ? rows => rows.Where(o => o.Kind == k) : null, page, pageSize, ct)).ToHttp())
            .Read<Paged<OrganizationView>>("Organizations (非公有制经济组织, 社会组织, 机关事业单位) within the caller's jurisdictions, phones masked: within, q (name or credit code), kind");
        MapRecord<OrganizationRecords, Organization, OrganizationInput, OrganizationView>(organizations, "organization");

        var places = api.MapGroup("/places").WithTags("Registry");
        places.MapGet("/", async (string? within, string? q, PlaceKind? kind, int? page, int? pageSize, PlaceRecords use, CancellationToken ct) =>
            (await use.ListAsync(within, q, kind is { } k ? rows => rows.Where(p => p.Kind == k) : null, page, pageSize, ct)).ToHttp())
            .Read<Paged<PlaceView>>("Key places (学校, 市场, 医院, 危化场所 …) within the caller's jurisdictions: within, q (name or responsible person), kind");
        MapRecord<PlaceRecords, Place, PlaceInput, PlaceView>(places, "key place");

        var components = api.MapGroup("/components").WithTags("Registry");
        components.MapGet("/", async (string? within, string? q, [FromQuery(Name = "class")] ComponentClass? componentClass, ComponentStatus? status, int? page, int? pageSize,
                ComponentRecords use, CancellationToken ct) =>
            (await use.ListAsync(within, q, rows => rows.Where(c => (componentClass == null || c.Class == componentClass) && (status == null || c.Status == status)),
                page, pageSize, ct)).ToHttp())
            .Read<Paged<ComponentView>>("Components (部件, GB/T 30428 classes) within the caller's jurisdictions: within, q (name, subclass or code), class, status");
        MapRecord<ComponentRecords, Component, ComponentInput, ComponentView>(components, "component");
        return api;
    }

    private static void MapRecord<TUse, T, TInput, TView>(RouteGroupBuilder group, string noun)
        where TUse : LocatedRecords<T, TInput, TView>
        where T : LocatedRecord
        where TInput : class, ILocatedInput
        where TView : ILocatedView
    {
        // As Delegate values: the route analyzer fails on handlers whose types are generic parameters.
        Delegate get = RecordHandlers<TUse, T, TInput, TView>.GetAsync;
        Delegate create = RecordHandlers<TUse, T, TInput, TView>.CreateAsync;
        Delegate update = RecordHandlers<TUse, T, TInput, TView>.UpdateAsync;
        group.MapGet("/{id:guid}", get)
            .Read<TView>($"One {noun}; outside the caller's jurisdictions 404");
        group.MapPost("/", create)
            .Write($"Register a {noun}: in the grid of its point (lon, lat) or the grid chosen (gridCode), within the caller's jurisdiction; field errors as ProblemDetails");
        group.MapPut("/{id:guid}", update)
            .Produces<TView>()
            .Write($"Replace a {noun}'s fields (every field of the body); the changes go to the field history")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static RouteHandlerBuilder Read<TResponse>(this RouteHandlerBuilder builder, string summary) =>
        builder.RequireCapability(Capabilities.RegistryRead)
            .WithSummary(summary)
            .Produces<TResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static RouteHandlerBuilder Write(this RouteHandlerBuilder builder, string summary) =>
        builder.RequireCapability(Capabilities.RegistryWrite)
            .WithSummary(summary)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
}

/// <summary>The handlers of one located record kind .</summary>
internal static class RecordHandlers<TUse, T, TInput, TView>
    where TUse : LocatedRecords<T, TInput, TView>
    where T : LocatedRecord
    where TInput : class, ILocatedInput
    where TView : ILocatedView
{
    public static async Task<IResult> GetAsync(Guid id, TUse use, CancellationToken ct) => (await use.GetAsync(id, ct)).ToHttp();

    public static async Task<Results<Created<TView>, ProblemHttpResult>> CreateAsync(TInput input, TUse use, HttpRequest request,
        CancellationToken ct)
    {
        var result = await use.CreateAsync(input, ct);
        return result.IsSuccess
            ? TypedResults.Created($"{request.PathBase}{request.Path.Value?.TrimEnd('/')}/{result.Value.Id}", result.Value)
            : result.Error!.ToProblem();
    }

    public static async Task<IResult> UpdateAsync(Guid id, TInput input, TUse use, CancellationToken ct) =>
        (await use.UpdateAsync(id, input, ct)).ToHttp();
}
