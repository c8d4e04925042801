using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Users;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Identity.Auth;

internal sealed record RefreshRequest(string? RefreshToken);

/// <summary>
/// Trades a refresh token for a new pair and revokes it. A token that was already traded in is
/// being replayed (it leaked): the whole family from that sign-in is revoked.
/// </summary>
internal sealed class RefreshSession(CivicGridDbContext db, TimeProvider time, IAuditLog audit, TokenIssuer tokens)
{
    public static readonly Error InvalidToken = Error.Unauthenticated("auth.invalid_token", "刷新令牌无效、已过期或已撤销");

    public async Task<Result<TokenResponse>> HandleAsync(RefreshRequest request, string? ip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = await FindAsync(db, request.RefreshToken, cancellationToken);
        if (token is null)
        {
            return InvalidToken;
        }
        var now = time.GetUtcNow();
        var user = await db.Set<User>().Include(u => u.Roles).SingleAsync(u => u.Id == token.UserId, cancellationToken);
        if (token.RevokedAt is not null)
        {
            if (token.ReplacedBy is not null)
            {
                await RevokeFamilyAsync(db, token.FamilyId, now, cancellationToken);
                await audit.AppendAsync(new AuditEntry(user.UserName, "auth.refresh_reused", $"user:{user.Id}",
                    $"session {token.FamilyId} revoked", ip), cancellationToken);
            }
            return InvalidToken;
        }
        if (token.ExpiresAt <= now || user.IsDisabled)
        {
            return InvalidToken;
        }

        var (issued, stored) = tokens.Issue(user, token.FamilyId);
        token.Revoke(now, stored.Id);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(new AuditEntry(user.UserName, "auth.refresh", $"user:{user.Id}", $"session {token.FamilyId}", ip),
            cancellationToken);
        return issued;
    }

    public static Task<RefreshToken?> FindAsync(CivicGridDbContext db, string? refreshToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(refreshToken) || refreshToken.Length > 200)
        {
            return Task.FromResult<RefreshToken?>(null);
        }
        var hash = TokenIssuer.Hash(refreshToken);
        return db.Set<RefreshToken>().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
    }

    public static async Task RevokeFamilyAsync(CivicGridDbContext db, Guid familyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var live in await db.Set<RefreshToken>().Where(t => t.FamilyId == familyId && t.RevokedAt == null).ToListAsync(cancellationToken))
        {
            live.Revoke(now);
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>Signs out: revokes the refresh token and every token rotated from the same sign-in.</summary>
internal sealed class RevokeSession(CivicGridDbContext db, TimeProvider time, IAuditLog audit)
{
    public async Task HandleAsync(RefreshRequest request, string? ip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = await RefreshSession.FindAsync(db, request.RefreshToken, cancellationToken);
        if (token is null)
        {
            return;
        }
        await RefreshSession.RevokeFamilyAsync(db, token.FamilyId, time.GetUtcNow(), cancellationToken);
        var userName = await db.Set<User>().Where(u => u.Id == token.UserId).Select(u => u.UserName).SingleAsync(cancellationToken);
        await audit.AppendAsync(new AuditEntry(userName, "auth.revoke", $"user:{token.UserId}", $"session {token.FamilyId}", ip),
            cancellationToken);
    }
}
