using System.Security.Cryptography;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Registry.Persons;

/// <summary>The persons' document numbers and phones as a <see cref="IProtectedFieldStore"/> for key rotation.</summary>
internal sealed partial class PersonFieldStore(CivicGridDbContext db, ILogger<PersonFieldStore> logger) : IProtectedFieldStore
{
    public const int BatchSize = 500;

    public string Name => "registry.persons";

    public async Task<int> ReEncryptAsync(IFieldProtector protector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var rewritten = 0;
        Guid? after = null;
        while (true)
        {
            // Keyset paging over every jurisdiction: the system re-encrypts all rows.
            var query = db.Set<Person>().IgnoreQueryFilters().AsNoTracking()
                .Where(p => p.DocumentCipher != null || p.PhoneCipher != null);
            if (after is { } last)
            {
                query = query.Where(p => p.Id.CompareTo(last) > 0);
            }
            var batch = await query.OrderBy(p => p.Id).Take(BatchSize)
                .Select(p => new { p.Id, p.DocumentCipher, p.PhoneCipher })
                .ToListAsync(cancellationToken);
            foreach (var row in batch)
            {
                if (Fresh(protector, row.Id, row.DocumentCipher, FieldKind.IdNumber) is { } document)
                {
                    var old = row.DocumentCipher;
                    // Only if it is still the value read: a number changed meanwhile is newer and stays.
                    rewritten += await db.Set<Person>().IgnoreQueryFilters()
                        .Where(p => p.Id == row.Id && p.DocumentCipher == old)
                        .ExecuteUpdateAsync(s => s.SetProperty(p => p.DocumentCipher, document), cancellationToken);
                }
                if (Fresh(protector, row.Id, row.PhoneCipher, FieldKind.Phone) is { } phone)
                {
                    var old = row.PhoneCipher;
                    rewritten += await db.Set<Person>().IgnoreQueryFilters()
                        .Where(p => p.Id == row.Id && p.PhoneCipher == old)
                        .ExecuteUpdateAsync(s => s.SetProperty(p => p.PhoneCipher, phone), cancellationToken);
                }
            }
            if (batch.Count < BatchSize)
            {
                return rewritten;
            }
            after = batch[^1].Id;
        }
    }

    private byte[]? Fresh(IFieldProtector protector, Guid id, byte[]? cipher, FieldKind kind)
    {
        if (cipher is null)
        {
            return null;
        }
        try
        {
            return protector.NeedsRotation(cipher) ? protector.Encrypt(protector.Decrypt(cipher), kind) : null;
        }
        catch (CryptographicException)
        {
            // Unknown key version or an altered value: leave it for a person to look at.
            LogUnreadable(logger, id);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A protected field of person {PersonId} cannot be re-encrypted: unknown key version or altered value")]
    private static partial void LogUnreadable(ILogger logger, Guid personId);
}
