using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Auth;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Users;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Identity.ApiKeys;

/// <summary>Issues and checks API keys (<see cref="IApiKeys"/>); issuing is audited, the key itself never is.</summary>
internal sealed class ApiKeyStore(CivicGridDbContext db, TimeProvider time, IAuditLog audit) : IApiKeys
{
    /// <summary>The authentication type of a principal signed in by API key.</summary>
    public const string AuthenticationType = "ApiKey";

    /// <summary>Base64url of 32 bytes.</summary>
    private const int KeyLength = 43;

    public async Task<Result<string>> IssueAsync(string userName, CancellationToken cancellationToken = default)
    {
        var normalized = User.Normalize(userName ?? string.Empty);
        var user = await db.Set<User>().Include(u => u.Roles).SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
        if (user is null)
        {
            return Error.NotFound("users.not_found", $"没有用户 {userName}");
        }
        if (!user.Roles.Any(r => r.Role == Roles.Open311))
        {
            return Error.Conflict("users.not_api_client", $"只有 {Roles.Open311} 角色的用户才能持有 API 密钥");
        }
        var now = time.GetUtcNow();
        foreach (var old in await db.Set<ApiKey>().Where(k => k.UserId == user.Id && k.RevokedAt == null).ToListAsync(cancellationToken))
        {
            old.Revoke(now);
        }
        var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var stored = new ApiKey(Guid.CreateVersion7(now), user.Id, TokenIssuer.Hash(key), now);
        db.Add(stored);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEntry("system:operator", "users.api_key", $"user:{user.Id}", $"{user.UserName} key {stored.Id}"),
            cancellationToken);
        return key;
    }

    public async Task<ClaimsPrincipal?> AuthenticateAsync(string? key, CancellationToken cancellationToken = default)
    {
        if (key is not { Length: KeyLength })
        {
            return null;
        }
        var hash = TokenIssuer.Hash(key);
        var userId = await db.Set<ApiKey>().AsNoTracking().Where(k => k.KeyHash == hash && k.RevokedAt == null)
            .Select(k => (Guid?)k.UserId).FirstOrDefaultAsync(cancellationToken);
        if (userId is null)
        {
            return null;
        }
        var user = await db.Set<User>().AsNoTracking().Include(u => u.Roles).SingleAsync(u => u.Id == userId, cancellationToken);
        return user.IsDisabled ? null : TokenIssuer.PrincipalOf(user, AuthenticationType);
    }
}
