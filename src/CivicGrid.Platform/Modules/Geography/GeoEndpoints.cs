using System.Text.Json;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Boundaries;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Locate;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Geography;

internal static class GeoEndpoints
{
    private const string GeoJson = "application/geo+json";
    private const long MaxGeoJsonBytes = 200L * 1024 * 1024;

    public static RouteGroupBuilder MapGeoEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/geo/locate", async (double? lon, double? lat, DateTimeOffset? at, LocatePoint useCase, CancellationToken ct) =>
                (await useCase.HandleAsync(lon, lat, at, ct)).ToHttp())
            .WithTags("Geography")
            .WithSummary("Which grid, community, township, county, city and province a WGS-84 point lies in (now, or at a past instant with `at`)")
            .Produces<GeoLocation>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var divisions = api.MapGroup("/divisions").WithTags("Geography");
        divisions.MapGet("/{code}/boundary", async (string code, DateTimeOffset? at, double? simplify, BoundaryQueries queries, CancellationToken ct) =>
                GeoJsonResult(await queries.BoundaryAsync(code, at, simplify, ct)))
            .WithSummary("The boundary of a division or grid as a GeoJSON Feature (current, or valid at `at`); `simplify` in metres")
            .Produces<object>(contentType: GeoJson)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        divisions.MapGet("/{code}/children/boundaries", async (string code, double? simplify, BoundaryQueries queries, CancellationToken ct) =>
                GeoJsonResult(await queries.ChildrenAsync(code, simplify, ct)))
            .WithSummary("The children of a division that are drawn on the map, as a GeoJSON FeatureCollection with child counts and a label point [lon, lat] for each name")
            .Produces<object>(contentType: GeoJson)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        divisions.MapPut("/{code}/boundary", async (string code, JsonElement geometry, EditBoundary useCase, CancellationToken ct) =>
                (await useCase.HandleAsync(code, geometry, ct)).ToHttp())
            .WithSummary("Draw or redraw the boundary of a grid or division (GeoJSON geometry or Feature); the old one is kept as history")
            .RequireCapability(Capabilities.GeoEdit)
            .Produces<BoundaryEdited>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/grids", async (string? within, double? simplify, BoundaryQueries queries, CancellationToken ct) =>
                GeoJsonResult(await queries.GridsWithinAsync(within, simplify, ct)))
            .WithTags("Geography")
            .WithSummary("Every grid under a division code as one RFC 7946 FeatureCollection (refused above Geo:MaxFeatures)")
            .Produces<object>(contentType: GeoJson)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/boundaries/import", (HttpRequest request, string? alias, ImportBoundaries useCase, CancellationToken ct) =>
                ImportAsync(request, alias, BoundaryImportMode.Divisions, useCase, ct))
            .WithTags("Geography")
            .RequireCapability(Capabilities.GeoImport)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxGeoJsonBytes))
            .WithSummary("Import division boundaries from a GeoJSON FeatureCollection (feature id = division code); `alias=OLD:NEW,…` maps changed codes")
            .Accepts<object>(GeoJson, "application/json")
            .Produces<BoundaryImportReport>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapPost("/grids/import", (HttpRequest request, ImportBoundaries useCase, CancellationToken ct) =>
                ImportAsync(request, null, BoundaryImportMode.Grids, useCase, ct))
            .WithTags("Geography")
            .RequireCapability(Capabilities.GeoImport)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxGeoJsonBytes))
            .WithSummary("Import grids and micro-grids from a GeoJSON FeatureCollection (id = 15/18-digit code, properties.name)")
            .Accepts<object>(GeoJson, "application/json")
            .Produces<BoundaryImportReport>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        return api;
    }

    private static IResult GeoJsonResult(Result<byte[]> result) =>
        result.IsSuccess ? Results.Bytes(result.Value, GeoJson) : result.Error!.ToProblem();

    private static async Task<IResult> ImportAsync(HttpRequest request, string? alias, BoundaryImportMode mode,
        ImportBoundaries useCase, CancellationToken ct)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType is not (GeoJson or "application/json"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "不支持的内容类型",
                detail: "Send GeoJSON (Content-Type: application/geo+json or application/json).",
                extensions: new Dictionary<string, object?> { [ProblemMapping.CodeKey] = "request.unsupported_media_type" });
        }
        if (request.ContentLength > MaxGeoJsonBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "文件过大",
                extensions: new Dictionary<string, object?> { [ProblemMapping.CodeKey] = "request.too_large" });
        }
        var aliases = ParseAliases(alias, ':');
        if (!aliases.IsSuccess)
        {
            return aliases.Error!.ToProblem();
        }
        return (await useCase.HandleAsync(request.Body, mode == BoundaryImportMode.Grids ? "import:api-grids" : "import:api",
            mode, aliases.Value, ct)).ToHttp();
    }

    /// <summary>Parses <c>OLD:NEW,OLD:NEW</c> (API) or <c>OLD=NEW</c> (CLI) alias lists.</summary>
    public static Result<IReadOnlyDictionary<string, string>> ParseAliases(string? text, char separator)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return map;
        }
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(separator, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || DivisionCode.LevelOf(parts[0]) is null || DivisionCode.LevelOf(parts[1]) is null)
            {
                return new FieldErrors().Add("alias", $"别名 \"{pair}\" 应为 旧代码{separator}新代码").ToError()!;
            }
            map[parts[0]] = parts[1];
        }
        return map;
    }
}
