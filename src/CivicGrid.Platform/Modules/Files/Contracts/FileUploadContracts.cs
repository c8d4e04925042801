using CivicGrid.Infrastructure.Errors;
using Microsoft.AspNetCore.Http;

namespace CivicGrid.Modules.Files.Contracts;

/// <summary>A file just stored: its id, sniffed type, size and SHA-256.</summary>
public sealed record UploadedFile(Guid Id, string ContentType, long Size, string Sha256);

/// <summary>An attached file's bytes, for a module that serves it on its own terms (a public tracking page).</summary>
public sealed record AttachedFileContent(Stream Content, string ContentType, string Sha256);

/// <summary>
/// The Files module's upload path for other modules' forms: the same checks as <c>POST /api/v1/files</c>
/// (type sniffed from the bytes, an image must decode, at most <c>Files:MaxMegabytes</c>; errors on
/// the field <c>file</c>), stored as the current caller's upload, and the system's read of a file
/// attached to an object.
/// </summary>
public interface IFileUploads
{
    /// <summary>The largest file accepted, in bytes.</summary>
    long MaxBytes { get; }

    /// <summary>Stores the file as the current caller's upload (he needs <c>cases.report</c>), or the validation error.</summary>
    Task<Result<UploadedFile>> UploadAsync(IFormFile? file, CancellationToken cancellationToken = default);

    /// <summary>
    /// The bytes of file <paramref name="fileId"/> if it is attached to <paramref name="ownerId"/>, else null.
    /// The caller's jurisdiction is not applied: the calling module has decided who may see it.
    /// </summary>
    Task<AttachedFileContent?> OpenAttachedAsync(Guid fileId, Guid ownerId, CancellationToken cancellationToken = default);
}
