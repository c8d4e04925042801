using System.Security.Cryptography;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Identity.Users;

/// <summary><see cref="IStaffContacts"/> over the users and role assignments tables.</summary>
internal sealed class StaffContacts(CivicGridDbContext db, IFieldProtector protector) : IStaffContacts
{
    public async Task<IReadOnlyList<StaffContact>> OfAsync(string code, IReadOnlyList<string> roles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(roles);
        var wanted = roles.ToList();
        var rows = await (from r in db.Set<RoleAssignment>().AsNoTracking()
                          join u in db.Set<User>().AsNoTracking() on r.UserId equals u.Id
                          where r.JurisdictionCode == code && wanted.Contains(r.Role) && !u.IsDisabled
                          select new { r.Role, u.UserName, u.DisplayName, u.PhoneCipher })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => wanted.IndexOf(r.Role)).ThenBy(r => r.UserName, StringComparer.Ordinal)
            .Select(r => new StaffContact(string.IsNullOrWhiteSpace(r.DisplayName) ? r.UserName : r.DisplayName, Masked(r.PhoneCipher), r.Role))
            .DistinctBy(c => c.DisplayName)];
    }

    private string? Masked(byte[]? cipher)
    {
        if (cipher is null)
        {
            return null;
        }
        try
        {
            return Masking.Phone(protector.Decrypt(cipher));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
