using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Files.Storage;
using CivicGrid.Modules.Files.Upload;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace CivicGrid.Modules.Files;

/// <summary><c>/api/v1/files</c>: upload a photo or PDF, read it back, read an image's thumbnail.</summary>
internal static class FileEndpoints
{
    // Files never change under an id: a client may keep them, but only for itself (they are people's data).
    private const string CacheControl = "private, max-age=31536000, immutable";

    public static RouteGroupBuilder MapFileEndpoints(this RouteGroupBuilder api)
    {
        var settings = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<FilesSettings>();
        var files = api.MapGroup("/files").WithTags("Files");
        files.MapPost("/", async Task<IResult> (HttpRequest request, FileStore store, CancellationToken ct) =>
            {
                var file = request.HasFormContentType ? (await request.ReadFormAsync(ct)).Files.GetFile(FileStore.Field) : null;
                var result = await store.UploadAsync(file, ct);
                return result.IsSuccess
                    ? TypedResults.Created($"/api/v1/files/{result.Value.Id}", result.Value)
                    : result.Error!.ToProblem();
            })
            .RequireCapability(Capabilities.CasesReport)
            // Bearer calls need no token; cookie calls are checked by CookieApiAntiforgery (X-CSRF-TOKEN).
            .DisableAntiforgery()
            // The multipart envelope around the largest file; the file itself is checked against Files:MaxMegabytes.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(settings.MaxBytes + 1024 * 1024))
            .Accepts<IFormFile>("multipart/form-data")
            .WithSummary("Upload a photo (JPEG, PNG, WebP, GIF) or a PDF as the multipart field `file`, at most Files:MaxMegabytes (default 10); the type is read from the bytes, a fake or broken image is 400; needs cases.report")
            .Produces<FileView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        files.MapGet("/{id:guid}", async (Guid id, FileStore store, HttpContext context, CancellationToken ct) =>
                Serve(await store.ReadAsync(id, ct), id, context))
            .WithSummary("A file's bytes with its sniffed Content-Type: images inline, PDFs as attachment; ETag is the SHA-256. Readable by its uploader, or by whoever sees the case it is attached to; otherwise 404")
            .ProducesProblem(StatusCodes.Status404NotFound);

        files.MapGet("/{id:guid}/thumbnail", async (Guid id, FileStore store, HttpContext context, CancellationToken ct) =>
                Serve(await store.ThumbnailAsync(id, ct), id, context))
            .WithSummary("An image's thumbnail (JPEG, long side at most 320 px), made once and kept; same access as the file")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static IResult Serve(Result<FileContent> result, Guid id, HttpContext context)
    {
        if (!result.IsSuccess)
        {
            return result.Error!.ToProblem();
        }
        var file = result.Value;
        var headers = context.Response.Headers;
        headers.CacheControl = CacheControl;
        headers.XContentTypeOptions = "nosniff";
        if (file.Inline)
        {
            headers.ContentDisposition = "inline";
        }
        return TypedResults.Stream(file.Content, file.ContentType, fileDownloadName: file.Inline ? null : $"{id}.pdf",
            entityTag: new EntityTagHeaderValue($"\"{file.Sha256}\""));
    }
}
