namespace CivicGrid.Modules.Files.Contracts;

/// <summary>A blob the store holds: its SHA-256 (lowercase hex, also its key) and its size in bytes.</summary>
/// <param name="Sha256">The content's SHA-256, lowercase hex: the blob's key.</param>
/// <param name="Size">Bytes.</param>
public sealed record StoredBlob(string Sha256, long Size);

/// <summary>
/// Content-addressed blob storage: a blob's key is the SHA-256 of its bytes, so the same bytes are
/// stored once. <see cref="PutAsync"/> returns only when the blob is durable (survives a crash or
/// a power cut) and whole: a reader never sees a half-written blob. Blobs are never changed; the
/// local folder is the default (<c>Files:Root</c>), an S3-compatible store can implement the same
/// contract (docs/adr/0014-files-and-notifications.md).
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores the stream's bytes (at most <paramref name="maxBytes"/>; more throws <see cref="BlobTooLargeException"/>).</summary>
    Task<StoredBlob> PutAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default);

    /// <summary>Opens a blob for reading, or null when the store has none with that key.</summary>
    Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>True when the store holds a blob with that key.</summary>
    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>Deletes the blob unless it was stored (or stored again) at or after <paramref name="since"/>; true when deleted.</summary>
    Task<bool> DeleteIfUntouchedAsync(string sha256, DateTimeOffset since, CancellationToken cancellationToken = default);
}

/// <summary>Thrown by <see cref="IBlobStore.PutAsync"/> when the content is longer than allowed; nothing is stored.</summary>
public sealed class BlobTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BlobTooLargeException() : base("The content is larger than allowed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BlobTooLargeException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public BlobTooLargeException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>
/// The Files module's contract for the modules whose objects carry files (Cases first). Its
/// methods work on the caller's unit of work (the request's database context): what
/// <see cref="AttachAsync"/> changes is saved by the caller's own <c>SaveChanges</c>, together
/// with the object the files are attached to.
/// </summary>
public interface IFileAttachments
{
    /// <summary>
    /// Null when the current caller may attach every one of <paramref name="fileIds"/> to the
    /// object <paramref name="ownerId"/>: each exists, was uploaded by him, and is not attached to
    /// another object. Otherwise a message (zh-CN) naming what is wrong.
    /// </summary>
    Task<string?> ProblemWithAsync(IReadOnlyCollection<Guid> fileIds, Guid ownerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Attaches the files to <paramref name="ownerId"/>: from then on they belong to
    /// <paramref name="jurisdictionCode"/> (the object's grid), so whoever sees that code may read them.
    /// Call <see cref="ProblemWithAsync"/> first.
    /// </summary>
    Task AttachAsync(IReadOnlyCollection<Guid> fileIds, Guid ownerId, string jurisdictionCode, CancellationToken cancellationToken = default);

    /// <summary>
    /// The case intake's group commit (docs/adr/0024): inside the caller's open transaction, attaches
    /// the files of each request of a batch to its owner, all of a request's or none of them. A
    /// request's files are attached only when every one exists, was uploaded by its
    /// <see cref="FileAttachment.UploaderUserId"/>, is unattached and is not claimed by an earlier
    /// request of the same batch. Returns, in order, whether each request's files were attached; a
    /// refused request changed nothing (<see cref="ProblemWithAsync"/> names its reason). Throws when
    /// another writer attached a checked file in between: the caller rolls back and tries again.
    /// </summary>
    Task<IReadOnlyList<bool>> AttachEachAsync(IReadOnlyList<FileAttachment> requests, CancellationToken cancellationToken = default);
}

/// <summary>One request of <see cref="IFileAttachments.AttachEachAsync"/>: its files, the object they go to and who must have uploaded them.</summary>
/// <param name="FileIds">The files, each once.</param>
/// <param name="OwnerId">The object (a new case) they are attached to.</param>
/// <param name="JurisdictionCode">The object's grid: from then on the files belong to it.</param>
/// <param name="UploaderUserId">The user who must have uploaded every one of them.</param>
public sealed record FileAttachment(IReadOnlyCollection<Guid> FileIds, Guid OwnerId, string JurisdictionCode, Guid? UploaderUserId);
