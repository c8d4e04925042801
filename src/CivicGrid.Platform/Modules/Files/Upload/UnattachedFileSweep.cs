using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Jobs;
using CivicGrid.Modules.Files.Contracts;
using CivicGrid.Modules.Files.Domain;
using CivicGrid.Modules.Files.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Files.Upload;

/// <summary>What one sweep deleted: upload records, and blobs no record uses any more.</summary>
internal sealed record UnattachedSweepResult(int Files, int Blobs);

/// <summary>
/// Deletes uploads never attached to anything (a 随手拍 the intake refused after its photo was stored,
/// an API client that uploaded and went away, a workbench photo whose report was dropped) once they
/// are older than <c>Files:UnattachedDays</c>: their records, then each blob no other record (file
/// or thumbnail) uses and nobody stored again since the cutoff. Once when the web host starts, then
/// daily; a pass works in batches and is idempotent, so a restart at any point is harmless.
/// </summary>
internal sealed partial class UnattachedFileSweep(
    IDbContextFactory<CivicGridDbContext> contexts, IBlobStore blobs, FilesSettings settings, TimeProvider time,
    ILogger<UnattachedFileSweep> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromDays(1);

    private const int BatchSize = 500;

    // One pass at a time in this process.
    private readonly SemaphoreSlim _running = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken) =>
        await PeriodicJob.RunAsync(RunOnceAsync, Period, time, e => LogFailed(logger, e), stoppingToken);

    /// <summary>One pass over every upload older than the cutoff that is still unattached.</summary>
    public async Task<UnattachedSweepResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            var cutoff = time.GetUtcNow() - TimeSpan.FromDays(settings.UnattachedDays);
            int files = 0, deletedBlobs = 0;
            while (true)
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var batch = await db.Set<StoredFile>().IgnoreQueryFilters().AsNoTracking()
                    .Where(f => f.OwnerId == null && f.CreatedAt < cutoff)
                    .OrderBy(f => f.Id).Take(BatchSize)
                    .Select(f => new { f.Id, f.Sha256, f.ThumbnailSha256 })
                    .ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }
                var ids = batch.Select(f => f.Id).ToList();
                // "Still unattached" is checked again by the DELETE itself: a file attached meanwhile stays.
                files += await db.Set<StoredFile>().IgnoreQueryFilters().Where(f => ids.Contains(f.Id) && f.OwnerId == null)
                    .ExecuteDeleteAsync(cancellationToken);
                var keys = batch.SelectMany(f => new[] { f.Sha256, f.ThumbnailSha256 }).OfType<string>().Distinct().ToList();
                var used = (await db.Set<StoredFile>().IgnoreQueryFilters().AsNoTracking()
                        .Where(f => keys.Contains(f.Sha256) || (f.ThumbnailSha256 != null && keys.Contains(f.ThumbnailSha256)))
                        .Select(f => new { f.Sha256, f.ThumbnailSha256 })
                        .ToListAsync(cancellationToken))
                    .SelectMany(f => new[] { f.Sha256, f.ThumbnailSha256 }).OfType<string>().ToHashSet(StringComparer.Ordinal);
                foreach (var key in keys.Where(k => !used.Contains(k)))
                {
                    if (await blobs.DeleteIfUntouchedAsync(key, cutoff, cancellationToken))
                    {
                        deletedBlobs++;
                    }
                }
                if (batch.Count < BatchSize)
                {
                    break;
                }
            }
            if (files > 0)
            {
                LogSwept(logger, files, deletedBlobs, settings.UnattachedDays);
            }
            return new UnattachedSweepResult(files, deletedBlobs);
        }
        finally
        {
            _running.Release();
        }
    }

    public override void Dispose()
    {
        _running.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Unattached uploads: {Files} older than {Days} days deleted, {Blobs} blob(s) with them")]
    private static partial void LogSwept(ILogger logger, int files, int blobs, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unattached uploads: the sweep failed; it runs again tomorrow")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
