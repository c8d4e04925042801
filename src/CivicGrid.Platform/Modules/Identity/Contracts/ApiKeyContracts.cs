using System.Security.Claims;
using CivicGrid.Infrastructure.Errors;

namespace CivicGrid.Modules.Identity.Contracts;

/// <summary>
/// API keys of machine clients (users holding <see cref="Roles.Open311"/>): a random 32-byte key
/// handed out once, stored only as its SHA-256. A client holds one key at a time.
/// </summary>
public interface IApiKeys
{
    /// <summary>
    /// Issues a new key to <paramref name="userName"/> (who must hold the <see cref="Roles.Open311"/> role)
    /// and revokes the keys it held before. Returns the clear key; it is never stored.
    /// </summary>
    Task<Result<string>> IssueAsync(string userName, CancellationToken cancellationToken = default);

    /// <summary>The signed-in principal of the key's user, or null: unknown or revoked key, disabled user.</summary>
    Task<ClaimsPrincipal?> AuthenticateAsync(string? key, CancellationToken cancellationToken = default);
}
