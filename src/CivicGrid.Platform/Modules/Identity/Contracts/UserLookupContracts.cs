namespace CivicGrid.Modules.Identity.Contracts;

/// <summary>A user as other modules address him: id and sign-in name.</summary>
/// <param name="UserId">The user's id.</param>
/// <param name="UserName">The sign-in name.</param>
public sealed record UserRef(Guid UserId, string UserName);

/// <summary>
/// The Identity module's contract for finding whom to tell (notifications): users by name, by role
/// or capability over a jurisdiction, and a user's phone for sending a text. Disabled users are
/// never returned. The caller's own jurisdiction is not applied: this is for the system's use.
/// </summary>
public interface IUserLookup
{
    /// <summary>The users of these names (case-insensitive); unknown names are left out.</summary>
    Task<IReadOnlyList<UserRef>> ByNamesAsync(IReadOnlyCollection<string> userNames, CancellationToken cancellationToken = default);

    /// <summary>The users holding <paramref name="role"/> through a grant that covers <paramref name="code"/> (its jurisdiction or above).</summary>
    Task<IReadOnlyList<UserRef>> HoldingAsync(string role, string code, CancellationToken cancellationToken = default);

    /// <summary>
    /// The users holding <paramref name="capability"/> through a grant that covers <paramref name="code"/>
    /// (with <paramref name="exactly"/>: a grant of that very code), of <paramref name="department"/> when given.
    /// </summary>
    Task<IReadOnlyList<UserRef>> WithCapabilityAsync(string capability, string code, bool exactly = false, string? department = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The user's clear mobile number, decrypted to hand to an SMS gateway, or null when he has none
    /// (or it cannot be decrypted). Never log it; show it to nobody.
    /// </summary>
    Task<string?> PhoneForSendingAsync(Guid userId, CancellationToken cancellationToken = default);
}
