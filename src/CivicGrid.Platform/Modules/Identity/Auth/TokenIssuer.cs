using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;

namespace CivicGrid.Modules.Identity.Auth;

/// <summary>What <c>/auth/token</c> and <c>/auth/refresh</c> answer (the contract: exactly these three fields).</summary>
internal sealed record TokenResponse(string AccessToken, string RefreshToken, int ExpiresIn);

/// <summary>
/// Issues an access token (ASP.NET Core's bearer-token format: a Data-Protection-protected ticket
/// that the built-in handler validates without a database round trip) and a refresh token (random,
/// stored only as its SHA-256, so a database thief cannot use the stored values).
/// </summary>
internal sealed class TokenIssuer(
    IOptionsMonitor<BearerTokenOptions> bearer, IdentitySettings settings, TimeProvider time, CivicGridDbContext db)
{
    public const string Scheme = BearerTokenDefaults.AuthenticationScheme;

    /// <summary>Adds a new refresh token of <paramref name="familyId"/> to the context (the caller saves) and returns the pair.</summary>
    public (TokenResponse Tokens, RefreshToken Stored) Issue(User user, Guid familyId)
    {
        var now = time.GetUtcNow();
        var principal = PrincipalOf(user, Scheme);
        var ticket = new AuthenticationTicket(principal,
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + settings.AccessTokenLifetime }, Scheme);
        var accessToken = bearer.Get(Scheme).BearerTokenProtector.Protect(ticket);

        var refreshToken = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var stored = new RefreshToken(Guid.CreateVersion7(now), user.Id, familyId, Hash(refreshToken), now,
            now + settings.RefreshTokenLifetime);
        db.Add(stored);
        return (new TokenResponse(accessToken, refreshToken, (int)settings.AccessTokenLifetime.TotalSeconds), stored);
    }

    /// <summary>The claims of a signed-in user (id, name, each role grant), for a token or a cookie.</summary>
    public static ClaimsPrincipal PrincipalOf(User user, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.UserName),
        };
        foreach (var role in user.Roles)
        {
            claims.Add(new Claim(ClaimTypes.Role, role.Role));
            claims.Add(new Claim(RoleGrant.ClaimType, new RoleGrant(role.Role, role.JurisdictionCode, role.DepartmentCode).ToClaimValue()));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static string Hash(string refreshToken) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
}
