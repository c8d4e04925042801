using CivicGrid.Modules.Registry.Contracts;
using CivicGrid.Modules.Registry.History;

namespace CivicGrid.Modules.Registry.Houses;

/// <summary>How a person is tied to a house (居住关系).</summary>
public enum ResidenceRelation
{
    /// <summary>产权人 / 房主.</summary>
    Owner = 1,
    /// <summary>租户.</summary>
    Tenant = 2,
    /// <summary>实际居住.</summary>
    LivesHere = 3,
    /// <summary>户籍在此 (人户分离 when he lives elsewhere).</summary>
    RegisteredHere = 4,
}

/// <summary>Which kind of household (户): a registered one (户籍户, has a 户号) or the people actually living together (居住户).</summary>
public enum HouseholdKind
{
    /// <summary>户籍户.</summary>
    Registered = 1,
    /// <summary>居住户.</summary>
    Living = 2,
}

/// <summary>Who created and last changed a place record, and when.</summary>
internal abstract class PlaceRecord : IRegistryRecord
{
    protected PlaceRecord()
    {
        GridCode = CreatedBy = UpdatedBy = string.Empty;
    }

    protected PlaceRecord(Guid id, string gridCode, DateTimeOffset at, string by)
    {
        Id = id;
        GridCode = gridCode;
        CreatedAt = UpdatedAt = at;
        CreatedBy = UpdatedBy = by;
    }

    public Guid Id { get; private set; }

    /// <summary>The 15-digit grid the record lies in: its jurisdiction.</summary>
    public string GridCode { get; set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; }

    public void Touch(DateTimeOffset at, string by)
    {
        UpdatedAt = at;
        UpdatedBy = by;
    }
}

/// <summary>A residential compound (小区).</summary>
internal sealed class Compound : PlaceRecord
{
    private Compound()
    {
        Name = string.Empty;
    }

    public Compound(Guid id, string gridCode, DateTimeOffset at, string by)
        : base(id, gridCode, at, by)
    {
        Name = string.Empty;
    }

    public string Name { get; set; }

    public string? Address { get; set; }

    public double? Lon { get; set; }

    public double? Lat { get; set; }

    /// <summary>The property-management company (物业), if any.</summary>
    public string? PropertyCompany { get; set; }
}

/// <summary>A building (楼栋), in a compound or standing alone.</summary>
internal sealed class Building : PlaceRecord
{
    private Building()
    {
        Name = string.Empty;
    }

    public Building(Guid id, string gridCode, DateTimeOffset at, string by)
        : base(id, gridCode, at, by)
    {
        Name = string.Empty;
    }

    public Guid? CompoundId { get; set; }

    /// <summary>Its name or number (<c>3号楼</c>).</summary>
    public string Name { get; set; }

    public int? Floors { get; set; }

    public double? Lon { get; set; }

    public double? Lat { get; set; }
}

/// <summary>An entrance unit (单元) of a building.</summary>
internal sealed class Unit : PlaceRecord
{
    private Unit()
    {
        Name = string.Empty;
    }

    public Unit(Guid id, string gridCode, DateTimeOffset at, string by)
        : base(id, gridCode, at, by)
    {
        Name = string.Empty;
    }

    public Guid BuildingId { get; set; }

    public string Name { get; set; }
}

/// <summary>A house or flat (房屋); a village bungalow has no building or unit, only its address.</summary>
internal sealed class House : PlaceRecord
{
    private House()
    {
        Room = string.Empty;
    }

    public House(Guid id, string gridCode, DateTimeOffset at, string by)
        : base(id, gridCode, at, by)
    {
        Room = string.Empty;
    }

    public Guid? CompoundId { get; set; }

    public Guid? BuildingId { get; set; }

    public Guid? UnitId { get; set; }

    public int? Floor { get; set; }

    /// <summary>The room number (<c>302</c>), or the bungalow's number in the village.</summary>
    public string Room { get; set; }

    /// <summary>Floor area in m².</summary>
    public decimal? Area { get; set; }

    public HouseUse Use { get; set; }

    public string? Address { get; set; }

    public double? Lon { get; set; }

    public double? Lat { get; set; }
}

/// <summary>A household (户) in a house: its head, and the 户号 of a registered one.</summary>
internal sealed class Household : PlaceRecord
{
    private Household()
    {
    }

    public Household(Guid id, string gridCode, DateTimeOffset at, string by)
        : base(id, gridCode, at, by)
    {
    }

    public Guid HouseId { get; set; }

    public Guid? HeadPersonId { get; set; }

    /// <summary>户号 (registered households).</summary>
    public string? Number { get; set; }

    public HouseholdKind Kind { get; set; }
}

/// <summary>
/// A person's tie to a house (owner, tenant, lives here, registered here) from a day to a day. A
/// move-out closes the link; it is never deleted, so the house's past residents stay known. Scoped
/// by the house's grid.
/// </summary>
internal sealed class Residence : PlaceRecord
{
    private Residence()
    {
    }

    public Residence(Guid id, string gridCode, DateTimeOffset at, string by)
        : base(id, gridCode, at, by)
    {
    }

    public Guid PersonId { get; set; }

    public Guid HouseId { get; set; }

    public Guid? HouseholdId { get; set; }

    public ResidenceRelation Relation { get; set; }

    public DateOnly MovedInOn { get; set; }

    public DateOnly? MovedOutOn { get; set; }
}

/// <summary>
/// A grid worker's visit (走访) to a household or house: who (the caller), when (the server's clock),
/// where, and notes. A retry carrying the same <c>Idempotency-Key</c> finds the first visit.
/// </summary>
internal sealed class Visit : PlaceRecord
{
    private Visit()
    {
        Notes = string.Empty;
    }

    public Visit(Guid id, string gridCode, DateTimeOffset at, string by)
        : base(id, gridCode, at, by)
    {
        Notes = string.Empty;
    }

    public Guid HouseId { get; set; }

    public Guid? HouseholdId { get; set; }

    public string Notes { get; set; }

    /// <summary>Persons whose contact was updated or who were added during the visit.</summary>
    public int PersonsChanged { get; set; }

    /// <summary>The client's key (unique per visitor).</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>SHA-256 of the first request's body: a different body under the same key is a conflict.</summary>
    public string? RequestHash { get; set; }
}
