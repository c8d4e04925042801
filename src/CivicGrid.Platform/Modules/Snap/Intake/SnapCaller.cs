using System.Security.Claims;
using CivicGrid.Modules.Identity.Contracts;

namespace CivicGrid.Modules.Snap.Intake;

/// <summary>
/// Who acts for an anonymous resident: the system user <c>snap</c> holding the resident role
/// (<c>cases.report</c>) over the township of the report's place only, with a fixed id that owns
/// its photo uploads until they are attached. It exists for the one request (docs/adr/0021-snap-posters.md).
/// </summary>
internal static class SnapCaller
{
    public const string Name = "snap";

    /// <summary>The id the snap caller's uploads and cases carry as their reporter (no user row has it).</summary>
    public static readonly Guid UserId = new("0193a000-0000-7000-8000-00000000534e");

    public static ClaimsPrincipal For(string township) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, Name),
        new Claim(ClaimTypes.NameIdentifier, UserId.ToString()),
        new Claim(RoleGrant.ClaimType, new RoleGrant(Roles.Resident, township).ToClaimValue()),
    ], authenticationType: Name));
}
