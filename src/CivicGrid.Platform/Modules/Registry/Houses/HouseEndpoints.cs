using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Registry.Houses;

/// <summary>
/// <c>/api/v1/compounds</c>, <c>/buildings</c>, <c>/houses</c>, <c>/households</c>, <c>/residences</c>,
/// <c>/visits</c> and <c>/persons/{id}/residences</c>: the places people live in, scoped by their grid.
/// </summary>
internal static class HouseEndpoints
{
    public static RouteGroupBuilder MapHouseEndpoints(this RouteGroupBuilder api)
    {
        var compounds = api.MapGroup("/compounds").WithTags("Registry");
        compounds.MapGet("/", async (string? within, string? q, int? page, int? pageSize, HouseDirectory houses, CancellationToken ct) =>
                (await houses.ListCompoundsAsync(within, q, page, pageSize, ct)).ToHttp())
            .Read<Paged<CompoundView>>("List compounds (小区) within the caller's jurisdictions; q matches the name or address");
        compounds.MapGet("/{id:guid}", async (Guid id, HouseDirectory houses, CancellationToken ct) => (await houses.GetCompoundAsync(id, ct)).ToHttp())
            .Read<CompoundView>("One compound with its counts of buildings and houses");
        compounds.MapPost("/", async (CompoundInput input, HouseDirectory houses, CancellationToken ct) =>
                Created(await houses.SaveCompoundAsync(null, input, ct), c => $"/api/v1/compounds/{c.Id}"))
            .Write<CompoundView>("Register a compound in a grid, chosen (gridCode) or found from its point (lon, lat)");
        compounds.MapPut("/{id:guid}", async (Guid id, CompoundInput input, HouseDirectory houses, CancellationToken ct) =>
                (await houses.SaveCompoundAsync(id, input, ct)).ToHttp())
            .Write<CompoundView>("Replace a compound's fields");

        var buildings = api.MapGroup("/buildings").WithTags("Registry");
        buildings.MapGet("/", async (string? within, Guid? compoundId, int? page, int? pageSize, HouseDirectory houses, CancellationToken ct) =>
                (await houses.ListBuildingsAsync(within, compoundId, page, pageSize, ct)).ToHttp())
            .Read<Paged<BuildingView>>("List buildings (楼栋) with their units, within the caller's jurisdictions or of a compound");
        buildings.MapGet("/{id:guid}", async (Guid id, HouseDirectory houses, CancellationToken ct) => (await houses.GetBuildingAsync(id, ct)).ToHttp())
            .Read<BuildingView>("One building with its units (单元)");
        buildings.MapPost("/", async (BuildingInput input, HouseDirectory houses, CancellationToken ct) =>
                Created(await houses.SaveBuildingAsync(null, input, ct), b => $"/api/v1/buildings/{b.Id}"))
            .Write<BuildingView>("Register a building, in a compound or alone, with its units; the grid defaults to the compound's");
        buildings.MapPut("/{id:guid}", async (Guid id, BuildingInput input, HouseDirectory houses, CancellationToken ct) =>
                (await houses.SaveBuildingAsync(id, input, ct)).ToHttp())
            .Write<BuildingView>("Replace a building's fields; units named that it lacks are added");

        var houseGroup = api.MapGroup("/houses").WithTags("Registry");
        houseGroup.MapGet("/", async (string? within, string? q, HouseUse? use, Guid? compoundId, Guid? buildingId, int? page, int? pageSize,
                HouseDirectory houses, CancellationToken ct) =>
                (await houses.ListHousesAsync(within, q, use, compoundId, buildingId, page, pageSize, ct)).ToHttp())
            .Read<Paged<HouseView>>("List houses (房屋) within a division or grid; q matches the room, address, compound or building name");
        houseGroup.MapGet("/{id:guid}", async (Guid id, HouseDirectory houses, CancellationToken ct) => (await houses.GetHouseAsync(id, ct)).ToHttp())
            .Read<HouseDetail>("One house with its households, current and past residents (masked) and latest visits");
        houseGroup.MapPost("/", async (HouseInput input, HouseDirectory houses, CancellationToken ct) =>
                Created(await houses.SaveHouseAsync(null, input, ct), h => $"/api/v1/houses/{h.Id}"))
            .Write<HouseView>("Register a house: a flat in a building (unit, floor, room) or a bungalow (room and address); use, area");
        houseGroup.MapPut("/{id:guid}", async (Guid id, HouseInput input, HouseDirectory houses, CancellationToken ct) =>
                (await houses.SaveHouseAsync(id, input, ct)).ToHttp())
            .Write<HouseView>("Replace a house's fields");
        houseGroup.MapDelete("/{id:guid}", async (Guid id, HouseDirectory houses, CancellationToken ct) =>
                (await houses.DeleteHouseAsync(id, ct)) is { IsSuccess: false } failed ? failed.Error!.ToProblem() : Results.NoContent())
            .Write<object>("Delete a house registered by mistake; one with residents, households or visits keeps its history (409)");
        houseGroup.MapPost("/{id:guid}/residents", async (Guid id, MoveInInput input, ResidenceBook book, CancellationToken ct) =>
                Created(await book.MoveInAsync(id, input, ct), r => $"/api/v1/persons/{r.PersonId}/residences"))
            .Write<ResidentView>("Move a person in (owner, tenant, lives here, registered here) from a day (default today)");

        api.MapPost("/residences/{id:guid}/move-out", async (Guid id, MoveOutInput? input, ResidenceBook book, CancellationToken ct) =>
                (await book.MoveOutAsync(id, input, ct)).ToHttp())
            .WithTags("Registry")
            .Write<ResidentView>("Move a resident out on a day (default today): the link is closed, never deleted");
        api.MapGet("/persons/{id:guid}/residences", async (Guid id, ResidenceBook book, CancellationToken ct) =>
                (await book.OfPersonAsync(id, ct)).ToHttp())
            .WithTags("Registry")
            .Read<IReadOnlyList<ResidentView>>("Where a person lives and lived: his residence links, current first");

        var households = api.MapGroup("/households").WithTags("Registry");
        households.MapGet("/", async (string? within, Guid? houseId, int? page, int? pageSize, ResidenceBook book, CancellationToken ct) =>
                (await book.ListHouseholdsAsync(within, houseId, page, pageSize, ct)).ToHttp())
            .Read<Paged<HouseholdView>>("List households (户) within a division or grid, or of a house");
        households.MapGet("/{id:guid}", async (Guid id, ResidenceBook book, CancellationToken ct) => (await book.GetHouseholdAsync(id, ct)).ToHttp())
            .Read<HouseholdDetail>("One household and the persons living in its house (masked)");
        households.MapPost("/", async (HouseholdInput input, ResidenceBook book, CancellationToken ct) =>
                Created(await book.SaveHouseholdAsync(null, input, ct), h => $"/api/v1/households/{h.Id}"))
            .Write<HouseholdView>("Register a household in a house: registered (户籍户, 户号) or living (居住户), its head");
        households.MapPut("/{id:guid}", async (Guid id, HouseholdInput input, ResidenceBook book, CancellationToken ct) =>
                (await book.SaveHouseholdAsync(id, input, ct)).ToHttp())
            .Write<HouseholdView>("Replace a household's fields");

        var visits = api.MapGroup("/visits").WithTags("Registry");
        visits.MapPost("/", async (VisitInput input, [FromHeader(Name = "Idempotency-Key")] string? key, VisitLog log, CancellationToken ct) =>
            {
                var result = await log.RecordAsync(input, key, ct);
                if (!result.IsSuccess)
                {
                    return result.Error!.ToProblem();
                }
                var visit = result.Value.Visit;
                return result.Value.Created ? Results.Created($"/api/v1/visits?houseId={visit.HouseId}", visit) : Results.Ok(visit);
            })
            .Write<VisitView>("Log a visit (走访) to a household or house: notes, quick edits of its residents (phone, address, tags), new persons; an Idempotency-Key retry returns the first visit (200), the same key with another body is 409");
        visits.MapGet("/", async (string? within, DateTimeOffset? from, DateTimeOffset? to, Guid? houseId, int? page, int? pageSize, VisitLog log,
                CancellationToken ct) => (await log.ListAsync(within, from, to, houseId, page, pageSize, ct)).ToHttp())
            .Read<Paged<VisitView>>("The visit log within a division or grid, from (inclusive) to (exclusive), newest first");
        return api;
    }

    private static IResult Created<T>(Result<T> result, Func<T, string> location) =>
        result.IsSuccess ? Results.Created(location(result.Value), result.Value) : result.Error!.ToProblem();

    private static RouteHandlerBuilder Read<T>(this RouteHandlerBuilder builder, string summary) =>
        builder.RequireCapability(Capabilities.RegistryRead)
            .WithSummary(summary)
            .Produces<T>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static RouteHandlerBuilder Write<T>(this RouteHandlerBuilder builder, string summary) =>
        builder.RequireCapability(Capabilities.RegistryWrite)
            .WithSummary(summary)
            .Produces<T>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
