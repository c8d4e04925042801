using CivicGrid.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Files.Domain;

/// <summary>
/// An uploaded file (photo or PDF): its bytes live in the blob store under <see cref="Sha256"/>.
/// Until it is attached, only its uploader reads it; <see cref="GridCode"/> is then the
/// uploader's jurisdiction. Once attached to an object (a case), <see cref="GridCode"/> is that
/// object's grid and whoever sees the grid reads the file.
/// </summary>
internal sealed class StoredFile
{
    private StoredFile()
    {
        Sha256 = ContentType = GridCode = UploaderName = string.Empty;
    }

    public StoredFile(Guid id, string sha256, string contentType, long size, Guid? uploaderUserId, string uploaderName,
        string gridCode, DateTimeOffset createdAt)
    {
        Id = id;
        Sha256 = sha256;
        ContentType = contentType;
        Size = size;
        UploaderUserId = uploaderUserId;
        UploaderName = uploaderName;
        GridCode = gridCode;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string Sha256 { get; private set; }

    public string ContentType { get; private set; }

    public long Size { get; private set; }

    public Guid? UploaderUserId { get; private set; }

    public string UploaderName { get; private set; }

    /// <summary>The uploader's jurisdiction until attached, then the grid of the object it is attached to.</summary>
    public string GridCode { get; private set; }

    /// <summary>The object (a case) the file is attached to; null until then.</summary>
    public Guid? OwnerId { get; private set; }

    /// <summary>The SHA-256 of the thumbnail in the blob store, once made.</summary>
    public string? ThumbnailSha256 { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public bool IsImage => ContentType.StartsWith("image/", StringComparison.Ordinal);

    public void AttachTo(Guid ownerId, string gridCode)
    {
        OwnerId = ownerId;
        GridCode = gridCode;
    }

    public void Thumbnailed(string sha256) => ThumbnailSha256 = sha256;
}

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> builder)
    {
        builder.ToTable("files");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.Sha256).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.HasIndex(f => f.Sha256);
        builder.Property(f => f.ContentType).HasMaxLength(32).IsUnicode(false).IsRequired();
        builder.Property(f => f.UploaderName).HasMaxLength(64).IsRequired();
        builder.HasIndex(f => f.UploaderUserId);
        builder.Property(f => f.GridCode).HasMaxLength(18).IsUnicode(false).IsRequired();
        // No index on OwnerId or GridCode: every read is by id, and attaching a photo (the intake's
        // UPDATE of exactly these two columns) then touches no index: with room left on the page
        // (fill factor 80 on PostgreSQL) it is a HOT update, the row rewritten in place.
        builder.HasStorageParameter("fillfactor", 80);
        builder.Property(f => f.ThumbnailSha256).HasMaxLength(64).IsUnicode(false);
        builder.Ignore(f => f.IsImage);
        // Photos of people's matters: a caller sees the files of his subtree only (docs/adr/0007).
        builder.ScopedBy(f => f.GridCode);
    }
}
