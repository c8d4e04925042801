using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Files.Contracts;
using CivicGrid.Modules.Files.Domain;
using CivicGrid.Modules.Files.Storage;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Files.Upload;

/// <summary>What <c>POST /api/v1/files</c> answers.</summary>
public sealed record FileView(Guid Id, string ContentType, long Size, string Sha256, string? ThumbnailUrl);

/// <summary>A file's bytes to serve.</summary>
internal sealed record FileContent(Stream Content, string ContentType, string Sha256, bool Inline);

/// <summary>
/// Uploads and reads of files. An upload needs <c>cases.report</c>; its type is sniffed from its
/// bytes, an image must decode, and it may be at most <c>Files:MaxMegabytes</c>. A file is read by
/// its uploader, or, once attached to a case, by whoever sees the case's grid; anyone else gets 404.
/// </summary>
internal sealed class FileStore(CivicGridDbContext db, IBlobStore blobs, ICaller caller, FilesSettings settings, TimeProvider clock)
    : IFileAttachments, IFileUploads
{
    public const string Field = "file";

    public long MaxBytes => settings.MaxBytes;

    async Task<Result<UploadedFile>> IFileUploads.UploadAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        var uploaded = await UploadAsync(file, cancellationToken);
        return uploaded.IsSuccess
            ? new UploadedFile(uploaded.Value.Id, uploaded.Value.ContentType, uploaded.Value.Size, uploaded.Value.Sha256)
            : uploaded.Error!;
    }

    public async Task<AttachedFileContent?> OpenAttachedAsync(Guid fileId, Guid ownerId, CancellationToken cancellationToken = default)
    {
        var found = await db.Set<StoredFile>().IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(f => f.Id == fileId && f.OwnerId == ownerId, cancellationToken);
        return found is not null && await blobs.OpenReadAsync(found.Sha256, cancellationToken) is { } content
            ? new AttachedFileContent(content, found.ContentType, found.Sha256)
            : null;
    }

    public async Task<Result<FileView>> UploadAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            return Invalid("files.missing", "请选择要上传的文件（表单字段 file）");
        }
        if (file.Length > settings.MaxBytes)
        {
            return TooLarge();
        }
        var jurisdiction = caller.Grants.FirstOrDefault(g => Capabilities.RoleHas(g.Role, Capabilities.CasesReport))?.JurisdictionCode;
        if (jurisdiction is null || caller.UserId is null)
        {
            return Error.Forbidden("files.upload_forbidden", "您无权上传文件");
        }

        var head = new byte[FileTypes.HeaderLength];
        int got;
        await using (var peek = file.OpenReadStream())
        {
            got = await peek.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        var contentType = FileTypes.Sniff(head.AsSpan(0, got));
        if (contentType is null)
        {
            return Invalid("files.unsupported_type", "只能上传 JPEG、PNG、WebP、GIF 图片或 PDF 文件");
        }
        if (contentType != FileTypes.Pdf)
        {
            await using var image = file.OpenReadStream();
            if (!FileTypes.Decodes(image))
            {
                return Invalid("files.unsupported_type", "图片已损坏或不是真正的图片");
            }
        }

        StoredBlob blob;
        try
        {
            await using var content = file.OpenReadStream();
            blob = await blobs.PutAsync(content, settings.MaxBytes, cancellationToken);
        }
        catch (BlobTooLargeException)
        {
            return TooLarge();
        }
        var now = clock.GetUtcNow();
        var stored = new StoredFile(Guid.CreateVersion7(now), blob.Sha256, contentType, blob.Size, caller.UserId, caller.Name,
            jurisdiction, now);
        db.Add(stored);
        await db.SaveChangesAsync(cancellationToken);
        return View(stored);
    }

    public async Task<Result<FileContent>> ReadAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await FindAsync(id, cancellationToken);
        if (found is null || await blobs.OpenReadAsync(found.Sha256, cancellationToken) is not { } content)
        {
            return NotFound(id);
        }
        return new FileContent(content, found.ContentType, found.Sha256, found.IsImage);
    }

    /// <summary>The thumbnail of an image, made on first request and kept in the blob store.</summary>
    public async Task<Result<FileContent>> ThumbnailAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await FindAsync(id, cancellationToken);
        if (found is null || !found.IsImage)
        {
            return found is null ? NotFound(id) : Error.NotFound("files.no_thumbnail", "该文件没有缩略图");
        }
        if (found.ThumbnailSha256 is { } made && await blobs.OpenReadAsync(made, cancellationToken) is { } cached)
        {
            return new FileContent(cached, Thumbnails.ContentType, made, Inline: true);
        }
        byte[]? bytes;
        await using (var original = await blobs.OpenReadAsync(found.Sha256, cancellationToken))
        {
            if (original is null)
            {
                return NotFound(id);
            }
            bytes = Thumbnails.Make(original);
        }
        if (bytes is null)
        {
            return Error.NotFound("files.no_thumbnail", "该文件没有缩略图");
        }
        // Two first requests at once make the same bytes: the store keeps them once, both rows agree.
        var blob = await blobs.PutAsync(new MemoryStream(bytes), settings.MaxBytes, cancellationToken);
        await db.Set<StoredFile>().IgnoreQueryFilters().Where(f => f.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.ThumbnailSha256, blob.Sha256), cancellationToken);
        return new FileContent(new MemoryStream(bytes), Thumbnails.ContentType, blob.Sha256, Inline: true);
    }

    public async Task<string?> ProblemWithAsync(IReadOnlyCollection<Guid> fileIds, Guid ownerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileIds);
        var ids = fileIds.Distinct().ToList();
        var mine = await db.Set<StoredFile>().IgnoreQueryFilters().AsNoTracking()
            .Where(f => ids.Contains(f.Id) && f.UploaderUserId == caller.UserId && (f.OwnerId == null || f.OwnerId == ownerId))
            .Select(f => f.Id).ToListAsync(cancellationToken);
        var wrong = ids.Except(mine).ToList();
        return wrong.Count == 0 ? null : $"照片不存在、不是您上传的或已用于其他事件：{string.Join("、", wrong)}";
    }

    public async Task AttachAsync(IReadOnlyCollection<Guid> fileIds, Guid ownerId, string jurisdictionCode,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileIds);
        var ids = fileIds.Distinct().ToList();
        foreach (var file in await db.Set<StoredFile>().IgnoreQueryFilters().Where(f => ids.Contains(f.Id)).ToListAsync(cancellationToken))
        {
            file.AttachTo(ownerId, jurisdictionCode);
        }
    }

    public async Task<IReadOnlyList<bool>> AttachEachAsync(IReadOnlyList<FileAttachment> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var attached = new bool[requests.Count];
        var asked = requests.SelectMany(r => r.FileIds).Distinct().ToList();
        if (asked.Count == 0)
        {
            Array.Fill(attached, true);
            return attached;
        }
        // One read of every file the batch names; the UPDATE below re-checks "unattached".
        var free = await db.Set<StoredFile>().IgnoreQueryFilters().AsNoTracking()
            .Where(f => asked.Contains(f.Id) && f.OwnerId == null)
            .Select(f => new { f.Id, f.UploaderUserId })
            .ToDictionaryAsync(f => f.Id, f => f.UploaderUserId, cancellationToken);
        var (ids, owners, grids) = (new List<Guid>(), new List<Guid>(), new List<string>());
        var claimed = new HashSet<Guid>();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var own = request.FileIds.Distinct().ToList();
            attached[i] = request.UploaderUserId is { } uploader
                && own.All(id => free.TryGetValue(id, out var by) && by == uploader && !claimed.Contains(id));
            if (attached[i])
            {
                ids.AddRange(own);
                claimed.UnionWith(own);
                owners.AddRange(own.Select(_ => request.OwnerId));
                grids.AddRange(own.Select(_ => request.JurisdictionCode));
            }
        }
        if (ids.Count == 0)
        {
            return attached;
        }
        var updated = 0;
        if (db.Database.IsNpgsql())
        {
            // One statement for the whole batch.
            Guid[] fileIds = [.. ids], ownerIds = [.. owners];
            string[] codes = [.. grids];
            updated = await db.Database.ExecuteSqlAsync($"""
                UPDATE files SET "OwnerId" = v.owner, "GridCode" = v.grid
                FROM unnest({fileIds}, {ownerIds}, {codes}) AS v(id, owner, grid)
                WHERE files."Id" = v.id AND files."OwnerId" IS NULL
                """, cancellationToken);
        }
        else
        {
            // SQLite is in process: one UPDATE per request costs no round trip.
            foreach (var group in ids.Select((id, i) => (Id: id, Owner: owners[i], Grid: grids[i])).GroupBy(x => (x.Owner, x.Grid)))
            {
                var these = group.Select(x => x.Id).ToList();
                updated += await db.Set<StoredFile>().IgnoreQueryFilters()
                    .Where(f => these.Contains(f.Id) && f.OwnerId == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(f => f.OwnerId, group.Key.Owner).SetProperty(f => f.GridCode, group.Key.Grid),
                        cancellationToken);
            }
        }
        if (updated != ids.Count)
        {
            throw new InvalidOperationException($"{ids.Count - updated} of the batch's files were attached by another writer meanwhile.");
        }
        return attached;
    }

    /// <summary>The file if the caller may read it: through the jurisdiction filter, and his own until it is attached.</summary>
    private async Task<StoredFile?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await db.Set<StoredFile>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
        return found is not null && (found.OwnerId is not null || found.UploaderUserId == caller.UserId || caller.IsSystem) ? found : null;
    }

    private static FileView View(StoredFile f) =>
        new(f.Id, f.ContentType, f.Size, f.Sha256, f.IsImage ? $"/api/v1/files/{f.Id}/thumbnail" : null);

    private static Error NotFound(Guid id) => Error.NotFound("files.not_found", $"文件 {id} 不存在");

    private Error TooLarge() => Invalid("files.too_large", $"文件不能超过 {settings.MaxMegabytes} MB");

    private static Error Invalid(string code, string message) =>
        Error.Validation(code, message, new Dictionary<string, string[]> { [Field] = [message] });
}
