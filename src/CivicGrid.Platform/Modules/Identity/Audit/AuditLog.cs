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
/// exclusive by nature.
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
            if (db.Database.IsNpgsql())
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
            }
            var last = await db.Set<AuditRecord>().AsNoTracking()
                .OrderByDescending(r => r.Sequence)
                .Select(r => new { r.Sequence, r.Hash })
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
        long count = 0;
        long expectedSequence = 1;
        var expectedPrev = AuditChain.Genesis;
        await foreach (var record in db.Set<AuditRecord>().AsNoTracking().OrderBy(r => r.Sequence)
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (record.Sequence != expectedSequence)
            {
                return new AuditVerification(count, record.Id, record.Sequence,
                    $"sequence {expectedSequence} expected: a record before this one was deleted");
            }
            if (!string.Equals(record.PrevHash, expectedPrev, StringComparison.Ordinal))
            {
                return new AuditVerification(count, record.Id, record.Sequence,
                    "its previous hash does not match the record before it: a record was deleted, replaced or reordered");
            }
            if (!string.Equals(AuditChain.ComputeHash(record), record.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(count, record.Id, record.Sequence, "its content no longer matches its hash: it was edited");
            }
            expectedSequence++;
            expectedPrev = record.Hash;
        }
        return new AuditVerification(count);
    }

    public void Dispose() => _gate.Dispose();
}
