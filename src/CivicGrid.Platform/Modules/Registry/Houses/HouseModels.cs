using CivicGrid.Modules.Registry.Contracts;
using CivicGrid.Modules.Registry.Persons;

namespace CivicGrid.Modules.Registry.Houses;

/// <summary>
/// Where a place is: a grid code chosen, or a point (WGS-84) the grid is found from. The body of a
/// compound, building or house carries these three.
/// </summary>
internal interface IPlacedInput
{
    string? GridCode { get; }

    double? Lon { get; }

    double? Lat { get; }
}

/// <summary>The body of <c>POST/PUT /compounds</c>.</summary>
internal sealed record CompoundInput(string? Name, string? Address, string? PropertyCompany, string? GridCode, double? Lon, double? Lat)
    : IPlacedInput;

internal sealed record CompoundView(Guid Id, string Name, string? Address, string? PropertyCompany, string GridCode, double? Lon, double? Lat,
    int Buildings, int Houses, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>The body of <c>POST/PUT /buildings</c>; the grid defaults to the compound's.</summary>
internal sealed record BuildingInput(Guid? CompoundId, string? Name, int? Floors, string? GridCode, double? Lon, double? Lat,
    IReadOnlyList<string>? Units) : IPlacedInput;

internal sealed record UnitView(Guid Id, string Name);

internal sealed record BuildingView(Guid Id, Guid? CompoundId, string? CompoundName, string Name, int? Floors, string GridCode, double? Lon,
    double? Lat, IReadOnlyList<UnitView> Units, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>The body of <c>POST/PUT /houses</c>: a flat (building, unit, floor, room) or a bungalow (room and address only).</summary>
internal sealed record HouseInput(Guid? BuildingId, Guid? UnitId, int? Floor, string? Room, decimal? Area, HouseUse? Use, string? Address,
    string? GridCode, double? Lon, double? Lat) : IPlacedInput;

/// <summary>A house in a list: its place in words (<c>阳光小区 3号楼 2单元 302</c>).</summary>
internal sealed record HouseView(Guid Id, Guid? CompoundId, Guid? BuildingId, Guid? UnitId, string Label, int? Floor, string Room, decimal? Area,
    HouseUse Use, string? Address, string GridCode, double? Lon, double? Lat, int Residents, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>A person's tie to a house; the person masked, null when he lives outside the caller's jurisdictions.</summary>
internal sealed record ResidentView(Guid Id, Guid PersonId, Guid HouseId, Guid? HouseholdId, ResidenceRelation Relation, DateOnly MovedInOn,
    DateOnly? MovedOutOn, PersonView? Person);

internal sealed record HouseholdView(Guid Id, Guid HouseId, string HouseLabel, HouseholdKind Kind, string? Number, Guid? HeadPersonId,
    string? HeadName, string GridCode, int Members);

/// <summary><c>GET /houses/{id}</c>: the house, its households, its current and past residents, its latest visits.</summary>
internal sealed record HouseDetail(HouseView House, IReadOnlyList<HouseholdView> Households, IReadOnlyList<ResidentView> Current,
    IReadOnlyList<ResidentView> Past, IReadOnlyList<VisitView> Visits);

/// <summary>The body of <c>POST/PUT /households</c>.</summary>
internal sealed record HouseholdInput(Guid? HouseId, HouseholdKind? Kind, string? Number, Guid? HeadPersonId);

/// <summary><c>GET /households/{id}</c>: the household and the persons living in its house now.</summary>
internal sealed record HouseholdDetail(HouseholdView Household, IReadOnlyList<ResidentView> Members);

/// <summary>The body of <c>POST /houses/{id}/residents</c> (move in); the day defaults to today.</summary>
internal sealed record MoveInInput(Guid? PersonId, ResidenceRelation? Relation, DateOnly? MovedInOn, Guid? HouseholdId);

/// <summary>The body of <c>POST /residences/{id}/move-out</c>; the day defaults to today.</summary>
internal sealed record MoveOutInput(DateOnly? MovedOutOn);

/// <summary>A quick edit of a resident during a visit: only the fields given change (an empty phone clears it).</summary>
internal sealed record VisitPersonUpdate(Guid? Id, string? Phone, string? Address, IReadOnlyList<string>? Tags);

/// <summary>
/// The body of <c>POST /visits</c>: a household or a house, notes, quick edits of its residents and
/// persons met for the first time (registered and moved in as living here).
/// </summary>
internal sealed record VisitInput(Guid? HouseholdId, Guid? HouseId, string? Notes, IReadOnlyList<VisitPersonUpdate>? Persons,
    IReadOnlyList<PersonInput>? NewPersons);

internal sealed record VisitView(Guid Id, Guid HouseId, Guid? HouseholdId, string GridCode, string VisitedBy, DateTimeOffset VisitedAt,
    string Notes, int PersonsChanged);

/// <summary>What <c>POST /visits</c> did: the visit, and whether this request recorded it (false: a retry).</summary>
internal sealed record RecordedVisit(VisitView Visit, bool Created);
