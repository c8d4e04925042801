using System.Security.Cryptography;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Identity.Users;

/// <summary><see cref="IUserLookup"/> over the users and role assignments tables.</summary>
internal sealed class UserLookup(CivicGridDbContext db, IFieldProtector protector) : IUserLookup
{
    public async Task<IReadOnlyList<UserRef>> ByNamesAsync(IReadOnlyCollection<string> userNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userNames);
        var normalized = userNames.Select(User.Normalize).Distinct().ToList();
        return await db.Set<User>().AsNoTracking().Where(u => normalized.Contains(u.NormalizedUserName) && !u.IsDisabled)
            .OrderBy(u => u.UserName).Select(u => new UserRef(u.Id, u.UserName)).ToListAsync(cancellationToken);
    }

    public Task<IReadOnlyList<UserRef>> HoldingAsync(string role, string code, CancellationToken cancellationToken = default) =>
        GrantedAsync([role], code, exactly: false, department: null, cancellationToken);

    public Task<IReadOnlyList<UserRef>> WithCapabilityAsync(string capability, string code, bool exactly = false, string? department = null,
        CancellationToken cancellationToken = default) =>
        GrantedAsync([.. Roles.All.Where(r => Capabilities.RoleHas(r, capability))], code, exactly, department, cancellationToken);

    public async Task<string?> PhoneForSendingAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var cipher = await db.Set<User>().AsNoTracking().Where(u => u.Id == userId && !u.IsDisabled)
            .Select(u => u.PhoneCipher).FirstOrDefaultAsync(cancellationToken);
        if (cipher is null)
        {
            return null;
        }
        try
        {
            return protector.Decrypt(cipher);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<UserRef>> GrantedAsync(IReadOnlyList<string> roles, string code, bool exactly, string? department,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        // A grant covers a code when its jurisdiction is a prefix of it: one of the code's prefixes.
        List<string> jurisdictions = exactly ? [code] : [.. Enumerable.Range(1, code.Length).Select(n => code[..n])];
        var granted = db.Set<RoleAssignment>().AsNoTracking()
            .Where(r => roles.Contains(r.Role) && jurisdictions.Contains(r.JurisdictionCode));
        if (department is not null)
        {
            granted = granted.Where(r => r.DepartmentCode == department);
        }
        var ids = granted.Select(r => r.UserId);
        return await db.Set<User>().AsNoTracking().Where(u => ids.Contains(u.Id) && !u.IsDisabled)
            .OrderBy(u => u.UserName).Select(u => new UserRef(u.Id, u.UserName)).ToListAsync(cancellationToken);
    }
}
