using System.Text.Json;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Registry.Import;

/// <summary><c>/api/v1/imports</c>: person ledger upload (dry run or commit), progress, rejected rows; <c>/api/v1/persons/export.xlsx</c>.</summary>
internal static class ImportEndpoints
{
    /// <summary>The largest ledger accepted (a 100 MB CSV streams; the upload is buffered to disk by ASP.NET Core).</summary>
    public const long MaxLedgerBytes = 200L * 1024 * 1024;

    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static RouteGroupBuilder MapImportEndpoints(this RouteGroupBuilder api)
    {
        var imports = api.MapGroup("/imports").WithTags("Registry");

        imports.MapPost("/persons", async Task<IResult> (HttpRequest request, bool? dryRun, string? within, string? sheet, PersonImporter importer,
                CancellationToken ct) =>
            {
                if (!request.HasFormContentType)
                {
                    return new FieldErrors().Add("file", "须以 multipart/form-data 上传文件（字段 file）").ToError()!.ToProblem();
                }
                var form = await request.ReadFormAsync(ct);
                if (form.Files.GetFile("file") is not { Length: > 0 } upload)
                {
                    return new FieldErrors().Add("file", "须上传台账文件（.xlsx 或 .csv）").ToError()!.ToProblem();
                }
                Dictionary<string, string>? mapping = null;
                if (form["mapping"].ToString() is { Length: > 0 } json)
                {
                    try
                    {
                        mapping = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
                    }
                    catch (JsonException)
                    {
                        return new FieldErrors().Add("mapping", "mapping 须为 JSON 对象 {\"表头\": \"字段\"}").ToError()!.ToProblem();
                    }
                }
                Guid? id = Guid.TryParse(form["importId"].ToString(), out var chosen) ? chosen : null;
                await using var stream = upload.OpenReadStream();
                var result = await importer.ImportAsync(stream,
                    new LedgerImportOptions(Path.GetFileName(upload.FileName), dryRun ?? false, mapping, sheet, within, Id: id), ct);
                return result.ToHttp();
            })
            .RequireCapability(Capabilities.RegistryWrite)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxLedgerBytes))
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestFormLimitsAttribute { MultipartBodyLengthLimit = MaxLedgerBytes })
            .WithSummary("Import a person ledger (.xlsx or .csv, UTF-8 or GB18030; multipart field file, optional mapping JSON {header: field}); upsert by ID number; dryRun=true validates and previews without writing; every bad row is reported with row, column and reason and its rejects are downloadable")
            .Produces<LedgerImportReport>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        imports.MapGet("/{id:guid}", async (Guid id, PersonImporter importer, CancellationToken ct) =>
                (await importer.ProgressAsync(id, ct)).ToHttp())
            .RequireCapability(Capabilities.RegistryWrite)
            .WithSummary("The progress of one of the caller's imports (rows processed, counts, status)")
            .Produces<ImportProgress>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        imports.MapGet("/{id:guid}/rejects.xlsx", async Task<IResult> (Guid id, PersonImporter importer, CancellationToken ct) =>
            {
                var result = await importer.RejectsAsync(id, ct);
                return result.IsSuccess
                    ? Results.File(result.Value, XlsxType, $"rejects-{id}.xlsx")
                    : result.Error!.ToProblem();
            })
            .RequireCapability(Capabilities.RegistryWrite)
            .WithSummary("The rejected rows of one of the caller's imports as .xlsx: the original columns, the row number and the reason")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/persons/export.xlsx", async Task<IResult> (string? within, string? q, string? tag, PersonExport export, CancellationToken ct) =>
            {
                var result = await export.ExportAsync(within, q, tag, ct);
                return result.IsSuccess ? Results.File(result.Value, XlsxType, "persons.xlsx") : result.Error!.ToProblem();
            })
            .RequireCapability(Capabilities.RegistryRead)
            .WithTags("Registry")
            .WithSummary("Export the persons within the caller's jurisdictions (filtered like the list) as .xlsx, numbers masked; audited");

        return api;
    }
}
