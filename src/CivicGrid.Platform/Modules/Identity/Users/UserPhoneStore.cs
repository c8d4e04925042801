using System.Security.Cryptography;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Identity.Users;

/// <summary>The users' phones as a <see cref="IProtectedFieldStore"/>: walked by id in batches, rewritten row by row.</summary>
internal sealed partial class UserPhoneStore(CivicGridDbContext db, ILogger<UserPhoneStore> logger) : IProtectedFieldStore
{
    public const int BatchSize = 500;

    public string Name => "users.phone";

    public async Task<int> ReEncryptAsync(IFieldProtector protector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var rewritten = 0;
        Guid? after = null;
        while (true)
        {
            // Keyset paging: a batch starts after the last id of the one before, whatever was rewritten.
            var query = db.Set<User>().AsNoTracking().Where(u => u.PhoneCipher != null);
            if (after is { } last)
            {
                query = query.Where(u => u.Id.CompareTo(last) > 0);
            }
            var batch = await query.OrderBy(u => u.Id).Take(BatchSize)
                .Select(u => new { u.Id, Cipher = u.PhoneCipher! })
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
                    fresh = protector.Encrypt(protector.Decrypt(row.Cipher), FieldKind.Phone);
                }
                catch (CryptographicException)
                {
                    // Unknown key version or an altered value: leave it for a person to look at.
                    LogUnreadable(logger, row.Id);
                    continue;
                }
                var old = row.Cipher;
                // Only if it is still the value read: a phone changed meanwhile is newer and stays.
                rewritten += await db.Set<User>()
                    .Where(u => u.Id == row.Id && u.PhoneCipher == old)
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.PhoneCipher, fresh), cancellationToken);
            }
            if (batch.Count < BatchSize)
            {
                return rewritten;
            }
            after = batch[^1].Id;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The phone of user {UserId} cannot be re-encrypted: unknown key version or altered value")]
    private static partial void LogUnreadable(ILogger logger, Guid userId);
}
