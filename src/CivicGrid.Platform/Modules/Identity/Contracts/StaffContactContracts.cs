namespace CivicGrid.Modules.Identity.Contracts;

/// <summary>A staff member as the public may see him on a poster: his display name and his phone masked.</summary>
/// <param name="DisplayName">The name people know him by.</param>
/// <param name="MaskedPhone">The mobile masked (<c>138****5678</c>), or null when none is recorded.</param>
/// <param name="Role">The role he serves the place in (<see cref="Roles"/>).</param>
public sealed record StaffContact(string DisplayName, string? MaskedPhone, string Role);

/// <summary>
/// Who serves a place, for posters and public pages: the enabled users holding one of
/// <c>roles</c> through a grant of exactly that code (a grid's 网格员, a community's staff).
/// The caller's jurisdiction is not applied; clear phones never leave the Identity module.
/// </summary>
public interface IStaffContacts
{
    /// <summary>The contacts of <paramref name="code"/> in the order of <paramref name="roles"/>, then by name.</summary>
    Task<IReadOnlyList<StaffContact>> OfAsync(string code, IReadOnlyList<string> roles, CancellationToken cancellationToken = default);
}
