using System.Security.Cryptography;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Special;

/// <summary>The register entries' notes as a <see cref="IProtectedFieldStore"/>, so key rotation re-encrypts them too.</summary>
internal sealed class SpecialNotesStore(CivicGridDbContext db) : IProtectedFieldStore
{
    private const int BatchSize = 500;

    public string Name => "registry.special_notes";

    public async Task<int> ReEncryptAsync(IFieldProtector protector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var rewritten = 0;
        var after = Guid.Empty;
        while (true)
        {
            var batch = await db.Set<SpecialRegisterEntry>().IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.NotesCipher != null && e.Id.CompareTo(after) > 0)
                .OrderBy(e => e.Id).Take(BatchSize).Select(e => new { e.Id, e.NotesCipher }).ToListAsync(cancellationToken);
            foreach (var row in batch)
            {
                byte[] fresh;
                try
                {
                    if (!protector.NeedsRotation(row.NotesCipher!))
                    {
                        continue;
                    }
                    fresh = protector.Encrypt(protector.Decrypt(row.NotesCipher!), FieldKind.Text);
                }
                catch (CryptographicException)
                {
                    // Unknown key version or an altered value: left for a person to look at.
                    continue;
                }
                var old = row.NotesCipher;
                // Only if unchanged meanwhile: newer notes stay.
                rewritten += await db.Set<SpecialRegisterEntry>().IgnoreQueryFilters()
                    .Where(e => e.Id == row.Id && e.NotesCipher == old)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.NotesCipher, fresh), cancellationToken);
            }
            if (batch.Count < BatchSize)
            {
                return rewritten;
            }
            after = batch[^1].Id;
        }
    }
}
