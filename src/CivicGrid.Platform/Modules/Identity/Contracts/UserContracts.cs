using CivicGrid.Infrastructure.Errors;

namespace CivicGrid.Modules.Identity.Contracts;

/// <summary>A user that was created or whose password was reset, with the clear password to hand over once.</summary>
/// <param name="UserId">The user's id.</param>
/// <param name="UserName">The sign-in name.</param>
/// <param name="Password">The clear password (generated when none was given); never stored.</param>
public sealed record IssuedCredentials(Guid UserId, string UserName, string Password);

/// <summary>The Identity module's contract for operators and the demo seed: create, reset, disable users.</summary>
public interface IUserAccounts
{
    /// <summary>
    /// Creates a user holding <paramref name="grant"/>. A null <paramref name="password"/> gets a
    /// generated one; a given one must pass the password policy. A <paramref name="phone"/>
    /// (mainland mobile, see <see cref="PhoneNumbers"/>) is stored encrypted with its blind index.
    /// </summary>
    Task<Result<IssuedCredentials>> CreateAsync(string userName, RoleGrant grant, string? password = null,
        string? displayName = null, string? phone = null, CancellationToken cancellationToken = default);

    /// <summary>Sets a new generated password and clears any lockout.</summary>
    Task<Result<IssuedCredentials>> ResetPasswordAsync(string userName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the user's second factor (a lost phone) and revokes its refresh tokens; the user
    /// signs in with the password and enrols again (at once where the role requires it).
    /// </summary>
    Task<Result<Guid>> ResetTotpAsync(string userName, CancellationToken cancellationToken = default);

    /// <summary>Disables the user and revokes every refresh token it holds.</summary>
    Task<Result<Guid>> DisableAsync(string userName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives the user one more role within a jurisdiction (a user may act in at most four
    /// jurisdictions). Takes effect at the next sign-in or token refresh.
    /// </summary>
    Task<Result<Guid>> GrantAsync(string userName, RoleGrant grant, CancellationToken cancellationToken = default);

    /// <summary>Takes a role within a jurisdiction away; the user's last role cannot be taken (disable the user instead).</summary>
    Task<Result<Guid>> RevokeAsync(string userName, RoleGrant grant, CancellationToken cancellationToken = default);

    /// <summary>True when a user of that name exists.</summary>
    Task<bool> ExistsAsync(string userName, CancellationToken cancellationToken = default);
}
