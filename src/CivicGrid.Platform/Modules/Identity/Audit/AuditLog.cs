using System.Diagnostics;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Identity.Audit;

/// <summary>
/// Appends one record at a time so that every record links to exactly one predecessor.
/// In process a semaphore orders the writers; across processes the database does: PostgreSQL
/// takes a transaction-scoped advisory lock, SQLite's write transaction (BEGIN IMMEDIATE) is
/// exclusive by nature. Retention (<see cref="PruneAsync"/>) takes the same locks, so the chain
/// never moves while its oldest part is replaced by an anchor.
/// </summary>
internal sealed class AuditLog(IServiceScopeFactory scopes, TimeProvider time) : IAuditLog, IDisposable
{
    // An arbitrary constant shared by every CivicGrid process on the same database ("CGAUDIT1").
    private const long AdvisoryLockKey = 0x4347_4155_4449_5431;

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<AuditReceipt> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action);
        ArgumentNullException.ThrowIfNull(entry.Target);
        var traceId = entry.TraceId ?? Activity.Current?.TraceId.ToString();

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await LockAsync(db, cancellationToken);
            var last = await db.Set<AuditRecord>().AsNoTracking()
                .OrderByDescending(r => r.Sequence)
                .Select(r => new { r.Sequence, r.Hash })
                .FirstOrDefaultAsync(cancellationToken);
            // Every record may have been pruned: the chain then continues from the last anchor.
            last ??= await db.Set<AuditAnchor>().AsNoTracking()
                .OrderByDescending(a => a.Id)
                .Select(a => new { Sequence = a.PrunedThroughSequence, Hash = a.PrunedThroughHash })
                .FirstOrDefaultAsync(cancellationToken);
            var at = AuditChain.Truncate(time.GetUtcNow());
            var record = new AuditRecord(
                (last?.Sequence ?? 0) + 1, Guid.CreateVersion7(at), at, entry.Actor, entry.Action, entry.Target,
                entry.Detail, entry.Ip, traceId, last?.Hash ?? AuditChain.Genesis);
            db.Add(record);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new AuditReceipt(record.Id, record.Sequence, record.Hash);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await WalkAsync(db, cancellationToken);
    }

    public async Task<AuditPruneResult> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await LockAsync(db, cancellationToken);
            var records = db.Set<AuditRecord>().AsNoTracking();
            // Only a contiguous run from the oldest record: stop at the first one still within retention.
            var firstKept = await records.Where(r => r.At >= cutoff).OrderBy(r => r.Sequence)
                .Select(r => (long?)r.Sequence).FirstOrDefaultAsync(cancellationToken);
            var through = firstKept is { } kept
                ? kept - 1
                : await records.MaxAsync(r => (long?)r.Sequence, cancellationToken) ?? 0;
            var last = await records.Where(r => r.Sequence <= through).OrderByDescending(r => r.Sequence)
                .Select(r => new { r.Sequence, r.Hash }).FirstOrDefaultAsync(cancellationToken);
            if (last is null)
            {
                return new AuditPruneResult(0);
            }
            // Deleting records destroys the evidence of tampering with them: never prune a broken chain.
            var check = await WalkAsync(db, cancellationToken);
            if (!check.IsIntact)
            {
                return new AuditPruneResult(0, Refused: check.BrokenSequence is { } broken
                    ? $"the chain is broken at record #{broken} ({check.BrokenId}): {check.Reason}"
                    : $"the chain is broken at anchor #{check.BrokenAnchor}: {check.Reason}");
            }
            var count = await records.LongCountAsync(r => r.Sequence <= last.Sequence, cancellationToken);
            var previous = await db.Set<AuditAnchor>().AsNoTracking().OrderByDescending(a => a.Id)
                .Select(a => new { a.Id, a.Hash }).FirstOrDefaultAsync(cancellationToken);
            var anchor = new AuditAnchor((previous?.Id ?? 0) + 1, AuditChain.Truncate(time.GetUtcNow()), last.Sequence, last.Hash,
                count, previous?.Hash ?? AuditChain.Genesis);
            db.Add(anchor);
            await db.SaveChangesAsync(cancellationToken);
            var deleted = await db.Set<AuditRecord>().Where(r => r.Sequence <= last.Sequence).ExecuteDeleteAsync(cancellationToken);
            if (deleted != count)
            {
                throw new InvalidOperationException($"Audit retention counted {count} records but deleted {deleted}; rolled back.");
            }
            await transaction.CommitAsync(cancellationToken);
            return new AuditPruneResult(count, last.Sequence, anchor.Id);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task LockAsync(CivicGridDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        }
    }

    /// <summary>The anchors from the first, then the records from the one after the last anchor.</summary>
    private static async Task<AuditVerification> WalkAsync(CivicGridDbContext db, CancellationToken cancellationToken)
    {
        long expectedSequence = 1;
        var expectedPrev = AuditChain.Genesis;
        long? anchoredThrough = null;
        long expectedAnchor = 1;
        var anchorPrev = AuditChain.Genesis;
        long previousThrough = 0;
        foreach (var anchor in await db.Set<AuditAnchor>().AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken))
        {
            string? reason = null;
            if (anchor.Id != expectedAnchor)
            {
                reason = $"anchor {expectedAnchor} expected: an anchor before this one was deleted";
            }
            else if (!string.Equals(anchor.PrevHash, anchorPrev, StringComparison.Ordinal))
            {
                reason = "its previous hash does not match the anchor before it: an anchor was deleted or replaced";
            }
            else if (!string.Equals(AuditChain.ComputeHash(anchor), anchor.Hash, StringComparison.Ordinal))
            {
                reason = "the anchor's content no longer matches its hash: it was edited";
            }
            else if (anchor.PrunedThroughSequence <= previousThrough)
            {
                reason = "the anchor does not move past the one before it";
            }
            if (reason is not null)
            {
                return new AuditVerification(0, Reason: $"anchor #{anchor.Id}: {reason}", BrokenAnchor: anchor.Id);
            }
            expectedAnchor++;
            anchorPrev = anchor.Hash;
            previousThrough = anchor.PrunedThroughSequence;
            anchoredThrough = anchor.PrunedThroughSequence;
            expectedSequence = anchor.PrunedThroughSequence + 1;
            expectedPrev = anchor.PrunedThroughHash;
        }

        long count = 0;
        await foreach (var record in db.Set<AuditRecord>().AsNoTracking().OrderBy(r => r.Sequence)
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (record.Sequence != expectedSequence)
            {
                return new AuditVerification(count, record.Id, record.Sequence,
                    record.Sequence < expectedSequence
                        ? $"sequence {expectedSequence} expected: this record lies before the retention anchor"
                        : $"sequence {expectedSequence} expected: a record before this one was deleted",
                    AnchoredThrough: anchoredThrough);
            }
            if (!string.Equals(record.PrevHash, expectedPrev, StringComparison.Ordinal))
            {
                return new AuditVerification(count, record.Id, record.Sequence,
                    anchoredThrough is not null && record.Sequence == anchoredThrough + 1
                        ? "its previous hash does not match the retention anchor: the anchor or this record was replaced"
                        : "its previous hash does not match the record before it: a record was deleted, replaced or reordered",
                    AnchoredThrough: anchoredThrough);
            }
            if (!string.Equals(AuditChain.ComputeHash(record), record.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(count, record.Id, record.Sequence, "its content no longer matches its hash: it was edited",
                    AnchoredThrough: anchoredThrough);
            }
            expectedSequence++;
            expectedPrev = record.Hash;
        }
        return new AuditVerification(count, AnchoredThrough: anchoredThrough);
    }

    public void Dispose() => _gate.Dispose();
}
