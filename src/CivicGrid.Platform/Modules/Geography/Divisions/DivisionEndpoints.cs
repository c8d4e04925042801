using System.IO.Compression;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Geography.Divisions;

internal static class DivisionEndpoints
{
    /// <summary>Upload limit for a zipped set of division tables.</summary>
    private const long MaxImportBytes = 64L * 1024 * 1024;

    public static RouteGroupBuilder MapDivisionEndpoints(this RouteGroupBuilder api)
    {
        var divisions = api.MapGroup("/divisions").WithTags("Geography");

        divisions.MapGet("/", async (string? parent, DivisionLevel? level, string? q, int? page, int? pageSize,
                DivisionQueries queries, CancellationToken ct) =>
            (await queries.ListAsync(parent, level, q, page, pageSize, ct)).ToHttp())
            .WithSummary("List divisions, paged: filter by parent code, level, name")
            .Produces<CivicGrid.Infrastructure.Api.Paged<DivisionSummary>>()
            .ProducesValidationProblem();

        divisions.MapGet("/{code}", async (string code, DivisionQueries queries, CancellationToken ct) =>
            (await queries.GetAsync(code, ct)).ToHttp())
            .WithSummary("One division with its ancestry and child count")
            .Produces<DivisionDetails>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        divisions.MapGet("/{code}/children", async (string code, DivisionQueries queries, CancellationToken ct) =>
            (await queries.ChildrenAsync(code, ct)).ToHttp())
            .WithSummary("All children of a division")
            .Produces<IReadOnlyList<DivisionSummary>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        divisions.MapPost("/", async Task<Results<Created<DivisionSummary>, ProblemHttpResult>> (
                CreateDivisionRequest request, CreateDivision useCase, CancellationToken ct) =>
            {
                var result = await useCase.HandleAsync(request, ct);
                return result.IsSuccess
                    ? TypedResults.Created($"/api/v1/divisions/{result.Value.Code}", result.Value)
                    : result.Error!.ToProblem();
            })
            .RequireCapability(Capabilities.GeoEdit)
            .WithSummary("Add a division or grid under an existing parent")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        divisions.MapPost("/import", async Task<Results<Ok<DivisionImportReport>, ProblemHttpResult>> (
                HttpRequest request, IDivisionDirectory directory, CancellationToken ct) =>
            {
                if (request.ContentType is not ("application/zip" or "application/x-zip-compressed" or "application/octet-stream"))
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                        title: "不支持的内容类型", detail: "Send the division tables as a zip (Content-Type: application/zip).",
                        extensions: new Dictionary<string, object?> { [ProblemMapping.CodeKey] = "request.unsupported_media_type" });
                }
                if (request.ContentLength > MaxImportBytes)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "文件过大",
                        extensions: new Dictionary<string, object?> { [ProblemMapping.CodeKey] = "request.too_large" });
                }
                using var buffer = new MemoryStream();
                await request.Body.CopyToAsync(buffer, ct);
                buffer.Position = 0;
                ZipArchive archive;
                try
                {
                    archive = new ZipArchive(buffer, ZipArchiveMode.Read);
                }
                catch (InvalidDataException)
                {
                    return new FieldErrors().Add("file", "不是有效的 zip 文件").ToError()!.ToProblem();
                }
                using (archive)
                {
                    return TypedResults.Ok(await directory.ImportAsync(new ZipDivisionTables(archive), ct));
                }
            })
            .RequireCapability(Capabilities.GeoImport)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxImportBytes))
            .WithSummary("Import division tables (provinces.csv … villages.csv) from a zip; idempotent, row-level report")
            .Accepts<IFormFile>("application/zip")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        return divisions;
    }
}
