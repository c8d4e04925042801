using CivicGrid.Modules.Registry.Houses;
using Microsoft.AspNetCore.Http;

namespace CivicGrid.Modules.Registry.Contracts;

/// <summary>
/// A house's use (自住, 出租, 空置, 商用) changed against the version of the house its caller saw (a phone
/// that acted offline): applied through the registry's own rules, jurisdiction check and field
/// history only if the house is unchanged, otherwise 409 with the given code, the current house in
/// <c>current</c> and its version in <c>version</c>.
/// </summary>
public interface IVersionCheckedHouseUse
{
    /// <summary>The <c>If-Match</c> value of a registry record: when it last changed, as read from the database.</summary>
    static string VersionOf(DateTimeOffset updatedAt) => $"\"{updatedAt.UtcTicks}\"";

    /// <summary>Sets the house's use if its version is <paramref name="ifMatch"/>.</summary>
    Task<IResult> ChangeUseAsync(Guid id, string? ifMatch, HouseUse? use, string conflictCode, CancellationToken ct);
}
