using System.Security.Cryptography;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Data;

/// <summary>
/// One encrypted column of a registry table (Guid key <c>Id</c>) as a <see cref="IProtectedFieldStore"/>,
/// so key rotation re-encrypts it with the others: keyset batches over every jurisdiction, a value
/// rewritten only if it is still the one read, an unreadable value left alone.
/// </summary>
internal abstract class CipherColumnStore<T>(CivicGridDbContext db, string column, FieldKind kind) : IProtectedFieldStore
    where T : class
{
    private const int BatchSize = 500;

    public abstract string Name { get; }

    public async Task<int> ReEncryptAsync(IFieldProtector protector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var rows = db.Set<T>().IgnoreQueryFilters();
        var rewritten = 0;
        var after = Guid.Empty;
        while (true)
        {
            var batch = await rows.AsNoTracking()
                .Where(e => EF.Property<byte[]?>(e, column) != null && EF.Property<Guid>(e, "Id").CompareTo(after) > 0)
                .OrderBy(e => EF.Property<Guid>(e, "Id")).Take(BatchSize)
                .Select(e => new { Id = EF.Property<Guid>(e, "Id"), Cipher = EF.Property<byte[]>(e, column) })
                .ToListAsync(cancellationToken);
            foreach (var row in batch)
            {
                byte[] fresh;
                try
                {
                    if (!protector.NeedsRotation(row.Cipher))
                    {
                        continue;
                    }
                    fresh = protector.Encrypt(protector.Decrypt(row.Cipher), kind);
                }
                catch (CryptographicException)
                {
                    // Unknown key version or an altered value: left for a person to look at.
                    continue;
                }
                var old = row.Cipher;
                rewritten += await rows.Where(e => EF.Property<Guid>(e, "Id") == row.Id && EF.Property<byte[]>(e, column) == old)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => EF.Property<byte[]>(e, column), fresh), cancellationToken);
            }
            if (batch.Count < BatchSize)
            {
                return rewritten;
            }
            after = batch[^1].Id;
        }
    }
}
