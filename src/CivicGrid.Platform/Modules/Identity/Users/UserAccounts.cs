using System.Text.RegularExpressions;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Auth;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Identity.Users;

/// <summary>Creates, resets and disables users: the use cases behind the CLI's <c>users</c> verbs and the demo seed.</summary>
internal sealed partial class UserAccounts(
    CivicGridDbContext db, IPasswordHasher<User> hasher, IdentitySettings settings, TimeProvider time, IAuditLog audit,
    IFieldProtector protector)
    : IUserAccounts
{
    private const string Operator = "system:operator";

    public async Task<Result<IssuedCredentials>> CreateAsync(string userName, RoleGrant grant, string? password = null,
        string? displayName = null, string? phone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        userName = (userName ?? string.Empty).Trim();
        var fields = new Dictionary<string, string[]>();
        if (!UserNamePattern().IsMatch(userName))
        {
            fields["userName"] = ["用户名为 3-64 个字母、数字或 . _ - @"];
        }
        if (!Roles.All.Contains(grant.Role))
        {
            fields["role"] = [$"角色须为 {string.Join(", ", Roles.All)} 之一"];
        }
        if (!CodePattern().IsMatch(grant.JurisdictionCode ?? string.Empty))
        {
            fields["jurisdiction"] = ["辖区代码为 2-18 位数字"];
        }
        if (password is not null && Passwords.Check(password, settings.PasswordMinLength) is { } weak)
        {
            fields["password"] = [weak];
        }
        string? mobile = null;
        if (phone is not null && !PhoneNumbers.TryNormalizeMobile(phone, out mobile))
        {
            fields["phone"] = [PhoneNumbers.Problem];
        }
        if (fields.Count > 0)
        {
            return Error.Validation("users.invalid", "用户信息无效", fields);
        }
        if (await ExistsAsync(userName, cancellationToken))
        {
            return Error.Conflict("users.exists", $"用户 {userName} 已存在");
        }

        var now = time.GetUtcNow();
        var user = new User(Guid.CreateVersion7(now), userName, displayName ?? userName, now);
        password ??= Passwords.Generate();
        user.SetPasswordHash(hasher.HashPassword(user, password));
        user.Assign(new RoleAssignment(user.Id, grant.Role, grant.JurisdictionCode!, grant.DepartmentCode));
        if (mobile is not null)
        {
            user.SetPhone(protector.Encrypt(mobile, FieldKind.Phone), protector.BlindIndex(mobile, FieldKind.Phone));
        }
        db.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        // The chain is immutable: only the masked phone may ever enter it.
        var detail = $"{userName} {grant.Role}@{grant.JurisdictionCode}" + (mobile is null ? "" : $" phone {Masking.Phone(mobile)}");
        await audit.AppendAsync(new AuditEntry(Operator, "users.create", $"user:{user.Id}", detail), cancellationToken);
        return new IssuedCredentials(user.Id, user.UserName, password);
    }

    public async Task<Result<IssuedCredentials>> ResetPasswordAsync(string userName, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userName, cancellationToken);
        if (user is null)
        {
            return Error.NotFound("users.not_found", $"没有用户 {userName}");
        }
        var password = Passwords.Generate();
        user.SetPasswordHash(hasher.HashPassword(user, password));
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEntry(Operator, "users.reset_password", $"user:{user.Id}", user.UserName), cancellationToken);
        return new IssuedCredentials(user.Id, user.UserName, password);
    }

    public async Task<Result<Guid>> ResetTotpAsync(string userName, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userName, cancellationToken);
        if (user is null)
        {
            return Error.NotFound("users.not_found", $"没有用户 {userName}");
        }
        if (user.TotpSecret is null)
        {
            return Error.Conflict("users.no_totp", $"用户 {user.UserName} 未启用动态口令");
        }
        user.DisableTotp();
        await RevokeSessionsAsync(user.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEntry(Operator, "users.reset_totp", $"user:{user.Id}", user.UserName), cancellationToken);
        return user.Id;
    }

    private async Task RevokeSessionsAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var token in await db.Set<RefreshToken>().Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(cancellationToken))
        {
            token.Revoke(now);
        }
    }

    public async Task<Result<Guid>> DisableAsync(string userName, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userName, cancellationToken);
        if (user is null)
        {
            return Error.NotFound("users.not_found", $"没有用户 {userName}");
        }
        user.Disable();
        await RevokeSessionsAsync(user.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEntry(Operator, "users.disable", $"user:{user.Id}", user.UserName), cancellationToken);
        return user.Id;
    }

    public async Task<Result<Guid>> GrantAsync(string userName, RoleGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (CheckGrant(grant) is { } invalid)
        {
            return invalid;
        }
        var user = await FindWithRolesAsync(userName, cancellationToken);
        if (user is null)
        {
            return Error.NotFound("users.not_found", $"没有用户 {userName}");
        }
        if (user.Roles.Any(r => r.Role == grant.Role && r.JurisdictionCode == grant.JurisdictionCode && r.DepartmentCode == grant.DepartmentCode))
        {
            return Error.Conflict("users.role_exists", $"用户 {user.UserName} 已在 {grant.JurisdictionCode} 担任 {grant.Role}");
        }
        var codes = user.Roles.Select(r => r.JurisdictionCode).Append(grant.JurisdictionCode).Distinct(StringComparer.Ordinal).ToList();
        var roots = codes.Count(c => !codes.Any(o => o.Length < c.Length && c.StartsWith(o, StringComparison.Ordinal)));
        if (roots > CivicGridDbContext.MaxScopeRoots)
        {
            return Error.Conflict("users.too_many_jurisdictions",
                $"一个用户最多在 {CivicGridDbContext.MaxScopeRoots} 个互不包含的辖区任职");
        }
        var assignment = new RoleAssignment(user.Id, grant.Role, grant.JurisdictionCode, grant.DepartmentCode);
        user.Assign(assignment);
        db.Add(assignment);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEntry(Operator, "users.grant", $"user:{user.Id}",
            $"{user.UserName} +{grant.Role}@{grant.JurisdictionCode}{(grant.DepartmentCode is null ? "" : "/" + grant.DepartmentCode)}"), cancellationToken);
        return user.Id;
    }

    public async Task<Result<Guid>> RevokeAsync(string userName, RoleGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var user = await FindWithRolesAsync(userName, cancellationToken);
        if (user is null)
        {
            return Error.NotFound("users.not_found", $"没有用户 {userName}");
        }
        var held = user.Roles.FirstOrDefault(r => r.Role == grant.Role && r.JurisdictionCode == grant.JurisdictionCode);
        if (held is null)
        {
            return Error.NotFound("users.role_not_found", $"用户 {user.UserName} 未在 {grant.JurisdictionCode} 担任 {grant.Role}");
        }
        if (user.Roles.Count == 1)
        {
            return Error.Conflict("users.last_role", "不能撤销用户唯一的角色；如需停用请用 users disable");
        }
        db.Remove(held);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEntry(Operator, "users.revoke", $"user:{user.Id}",
            $"{user.UserName} -{grant.Role}@{grant.JurisdictionCode}"), cancellationToken);
        return user.Id;
    }

    private static Error? CheckGrant(RoleGrant grant)
    {
        var fields = new Dictionary<string, string[]>();
        if (!Roles.All.Contains(grant.Role))
        {
            fields["role"] = [$"角色须为 {string.Join(", ", Roles.All)} 之一"];
        }
        if (!CodePattern().IsMatch(grant.JurisdictionCode ?? string.Empty))
        {
            fields["jurisdiction"] = ["辖区代码为 2-18 位数字"];
        }
        return fields.Count > 0 ? Error.Validation("users.invalid", "角色信息无效", fields) : null;
    }

    private Task<User?> FindWithRolesAsync(string userName, CancellationToken cancellationToken)
    {
        var normalized = User.Normalize(userName ?? string.Empty);
        return db.Set<User>().Include(u => u.Roles).SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
    }

    public Task<bool> ExistsAsync(string userName, CancellationToken cancellationToken = default)
    {
        var normalized = User.Normalize(userName ?? string.Empty);
        return db.Set<User>().AnyAsync(u => u.NormalizedUserName == normalized, cancellationToken);
    }

    private Task<User?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        var normalized = User.Normalize(userName ?? string.Empty);
        return db.Set<User>().SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
    }

    [GeneratedRegex(@"^[\p{L}\p{N}._@-]{3,64}$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex(@"^[0-9]{2,18}$")]
    private static partial Regex CodePattern();
}
