using CivicGrid.Infrastructure.Errors;
using Microsoft.AspNetCore.Http;

namespace CivicGrid.Modules.Registry.Contracts;

/// <summary>What a house is used for (房屋用途).</summary>
public enum HouseUse
{
    /// <summary>自住.</summary>
    SelfOccupied = 1,
    /// <summary>出租.</summary>
    Rented = 2,
    /// <summary>空置.</summary>
    Vacant = 3,
    /// <summary>商用 (shops, offices).</summary>
    Commercial = 4,
}

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

    /// <summary>The use's name as the pages show it (自住, 出租, 空置, 商用).</summary>
    static string NameOf(HouseUse use) => Houses.HouseRules.NameOf(use);

    /// <summary>Sets the house's use if its version is <paramref name="ifMatch"/>.</summary>
    Task<IResult> ChangeUseAsync(Guid id, string? ifMatch, HouseUse? use, string conflictCode, CancellationToken ct);
}

/// <summary>A resident as the doorstep form shows him: name, masked phone, address, tags.</summary>
public sealed record DoorstepResident(Guid Id, string Name, string? Phone, string? Address, IReadOnlyList<string> Tags);

/// <summary>
/// A household of the caller's grids with the residents living in its house now (masked), and its
/// house's use with the version (<see cref="IVersionCheckedHouseUse.VersionOf"/>) an edit of it sends back as <c>If-Match</c>.
/// </summary>
public sealed record DoorstepHousehold(Guid Id, Guid HouseId, string HouseLabel, string? Number, string? HeadName, string GridCode,
    IReadOnlyList<DoorstepResident> Residents, HouseUse? HouseUse = null, string? HouseVersion = null);

/// <summary>The first households of the caller's grids and how many there are in all.</summary>
public sealed record DoorstepHouseholds(IReadOnlyList<DoorstepHousehold> Items, int Total);

/// <summary>
/// The Registry's contract for a grid worker's day on the phone (走访): the households of his grids he
/// may read, with their residents (masked) — jurisdiction and the registry's read capability applied.
/// </summary>
public interface IDoorstepHouseholds
{
    /// <summary>At most <paramref name="max"/> households the caller may read, with the total; none for a role that reads no registry.</summary>
    Task<Result<DoorstepHouseholds>> ListAsync(int max, CancellationToken cancellationToken = default);
}
