using System.Diagnostics;
using System.Globalization;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Registry.Contracts;
using CivicGrid.Modules.Registry.Houses;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Registry.Demo;

/// <summary>
/// The demo's places: each grid of a town gets a compound (小区) with a building of two units and
/// their flats, each grid of a village (村, 嘎查) a few bungalows (平房); then the demo persons living
/// in no house are grouped, grid by grid, into households of 2-4 (the oldest heads it) and moved into
/// the houses in order. Grid <c>i</c> draws from its own generator, so the seed is the same on every
/// machine; everything goes through <see cref="BulkWriter"/>.
/// </summary>
internal sealed partial class DemoHouses(CivicGridDbContext db, IDivisionDirectory divisions, TimeProvider time, ILogger<DemoHouses> logger)
    : IDemoHouses
{
    // A few places per grid, not a real grid's 300-500 households: 1,391 grids make ~12k houses,
    // room for the 5,000 default persons' ~1,700 households, written in about a second on SQLite.
    public const int Floors = 4;
    public const int Units = 2;
    public const int Bungalows = 8;

    private static readonly string[] CompoundNames =
        ["阳光", "幸福", "和平", "富强", "青山", "钢城", "友谊", "丽景", "锦绣", "康乐", "万达", "华府", "滨河", "银河", "北梁", "昆河"];

    private static readonly string[] CompoundKinds = ["小区", "花园", "家园", "嘉园", "新村"];

    private static readonly string?[] Companies = ["安居物业", "鹿城物业", "钢城物业服务中心", "金地物业", null];

    public async Task<DemoHousesReport> SeedAsync(IReadOnlyList<string> gridCodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gridCodes);
        var clock = Stopwatch.StartNew();
        if (gridCodes.Count == 0)
        {
            return new DemoHousesReport(0, 0, 0, clock.Elapsed);
        }
        var grids = gridCodes.Order(StringComparer.Ordinal).ToArray();
        var now = time.GetUtcNow();
        var houses = db.Set<House>().IgnoreQueryFilters();
        var written = 0;
        Dictionary<string, List<House>> free;
        if (!await houses.AnyAsync(h => grids.Contains(h.GridCode), cancellationToken))
        {
            var villages = await VillagesAsync(grids, cancellationToken);
            var places = new Places();
            for (var i = 0; i < grids.Length; i++)
            {
                Draw(i, grids[i], villages.Contains(DivisionCode.ParentOf(grids[i])!), places, now);
            }
            free = places.Houses.GroupBy(h => h.GridCode).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var linked = Link(await UnhousedAsync(grids, cancellationToken), free, now);
            LogDrawn(logger, clock.Elapsed.TotalMilliseconds);
            await BulkWriter.InsertAsync(db, places.Compounds, cancellationToken);
            await BulkWriter.InsertAsync(db, places.Buildings, cancellationToken);
            await BulkWriter.InsertAsync(db, places.Units, cancellationToken);
            written = await BulkWriter.InsertAsync(db, places.Houses, cancellationToken);
            return await WriteAsync(linked, written, clock, cancellationToken);
        }
        // A later top-up of persons: the new ones move into the houses no household holds yet.
        var unhoused = await UnhousedAsync(grids, cancellationToken);
        if (unhoused.Count == 0)
        {
            return new DemoHousesReport(0, 0, 0, clock.Elapsed);
        }
        var taken = db.Set<Household>().IgnoreQueryFilters().Select(h => h.HouseId);
        free = (await houses.AsNoTracking().Where(h => grids.Contains(h.GridCode) && !taken.Contains(h.Id))
                .OrderBy(h => h.GridCode).ThenBy(h => h.Id).ToListAsync(cancellationToken))
            .GroupBy(h => h.GridCode).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return await WriteAsync(Link(unhoused, free, now), 0, clock, cancellationToken);
    }

    private async Task<DemoHousesReport> WriteAsync((List<Household> Households, List<Residence> Residences) linked, int houses, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        await BulkWriter.InsertAsync(db, linked.Households, cancellationToken);
        await BulkWriter.InsertAsync(db, linked.Residences, cancellationToken);
        var report = new DemoHousesReport(houses, linked.Households.Count, linked.Residences.Select(r => r.PersonId).Distinct().Count(), clock.Elapsed);
        LogSeeded(logger, report.Houses, report.Households, report.Residents, report.Elapsed.TotalMilliseconds);
        return report;
    }

    /// <summary>The communities among the grids' parents that are villages (村 / 嘎查): their grids get bungalows.</summary>
    private async Task<HashSet<string>> VillagesAsync(string[] grids, CancellationToken cancellationToken)
    {
        var communities = grids.Select(DivisionCode.ParentOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var villages = new HashSet<string>(StringComparer.Ordinal);
        // A township's children at once: a dozen look-ups, not one per community.
        foreach (var township in communities.Select(DivisionCode.ParentOf).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            foreach (var community in await divisions.ChildrenAsync(township, cancellationToken))
            {
                if (communities.Contains(community.Code) && (community.Name.EndsWith('村') || community.Name.EndsWith("嘎查", StringComparison.Ordinal)))
                {
                    villages.Add(community.Code);
                }
            }
        }
        return villages;
    }

    private static void Draw(int index, string grid, bool village, Places places, DateTimeOffset now)
    {
        var rng = new Random(index * 7919 + 20261123);
        if (village)
        {
            for (var n = 1; n <= Bungalows; n++)
            {
                places.Houses.Add(new House(Guid.CreateVersion7(now), grid, now, DemoPersons.Actor)
                {
                    Room = n.ToString(CultureInfo.InvariantCulture),
                    Address = string.Create(CultureInfo.InvariantCulture, $"{1 + (n - 1) / 4}组"),
                    Area = 60 + rng.Next(90),
                    Use = rng.Next(10) < 8 ? HouseUse.SelfOccupied : HouseUse.Vacant,
                });
            }
            return;
        }
        var compound = new Compound(Guid.CreateVersion7(now), grid, now, DemoPersons.Actor)
        {
            Name = CompoundNames[rng.Next(CompoundNames.Length)] + CompoundKinds[rng.Next(CompoundKinds.Length)],
            Address = string.Create(CultureInfo.InvariantCulture, $"昆都仑区{DemoPersons.Streets[rng.Next(DemoPersons.Streets.Length)]}{1 + rng.Next(300)}号"),
            PropertyCompany = Companies[rng.Next(Companies.Length)],
        };
        places.Compounds.Add(compound);
        var building = new Building(Guid.CreateVersion7(now), grid, now, DemoPersons.Actor)
        {
            CompoundId = compound.Id,
            Name = string.Create(CultureInfo.InvariantCulture, $"{1 + rng.Next(12)}号楼"),
            Floors = Floors,
        };
        places.Buildings.Add(building);
        for (var u = 1; u <= Units; u++)
        {
            var unit = new Unit(Guid.CreateVersion7(now), grid, now, DemoPersons.Actor)
            {
                BuildingId = building.Id,
                Name = string.Create(CultureInfo.InvariantCulture, $"{u}单元"),
            };
            places.Units.Add(unit);
            var area = 60 + rng.Next(70);
            for (var floor = 1; floor <= Floors; floor++)
            {
                var roll = rng.Next(100);
                places.Houses.Add(new House(Guid.CreateVersion7(now), grid, now, DemoPersons.Actor)
                {
                    CompoundId = compound.Id,
                    BuildingId = building.Id,
                    UnitId = unit.Id,
                    Floor = floor,
                    Room = string.Create(CultureInfo.InvariantCulture, $"{floor}0{u}"),
                    Area = area,
                    Use = floor == 1 && roll < 10 ? HouseUse.Commercial : roll < 72 ? HouseUse.SelfOccupied : roll < 88 ? HouseUse.Rented : HouseUse.Vacant,
                });
            }
        }
    }

    /// <summary>Demo persons living in no house, by grid (in a fixed order, so the households are the same on every machine).</summary>
    private async Task<List<Unhoused>> UnhousedAsync(string[] grids, CancellationToken cancellationToken)
    {
        var linked = db.Set<Residence>().IgnoreQueryFilters().Select(r => r.PersonId);
        return await db.Set<Person>().IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.CreatedBy == DemoPersons.Actor && grids.Contains(p.GridCode) && !linked.Contains(p.Id))
            .OrderBy(p => p.GridCode).ThenBy(p => p.Id)
            .Select(p => new Unhoused(p.Id, p.GridCode, p.BirthDate, p.HouseholdType))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Groups each grid's persons into households of 2-4 and moves them into that grid's free houses, in order.</summary>
    private static (List<Household>, List<Residence>) Link(List<Unhoused> persons, Dictionary<string, List<House>> free, DateTimeOffset now)
    {
        var households = new List<Household>();
        var residences = new List<Residence>();
        foreach (var grid in persons.GroupBy(p => p.GridCode))
        {
            if (!free.TryGetValue(grid.Key, out var houses))
            {
                continue;
            }
            // Seeded by the grid code (string hashes differ per process).
            var rng = new Random((int)(long.Parse(grid.Key, CultureInfo.InvariantCulture) % 1_000_003));
            var members = grid.ToList();
            var next = 0;
            for (var h = 0; h < houses.Count && next < members.Count; h++)
            {
                var house = houses[h];
                if (house.Use is HouseUse.Vacant or HouseUse.Commercial)
                {
                    continue;
                }
                var size = Math.Min(2 + rng.Next(3), members.Count - next);
                var family = members.Skip(next).Take(size).OrderBy(m => m.BirthDate ?? DateOnly.MaxValue).ToList();
                next += size;
                var head = family[0];
                var registered = head.HouseholdType == HouseholdType.Registered;
                if (!registered)
                {
                    house.Use = HouseUse.Rented;
                }
                var household = new Household(Guid.CreateVersion7(now), house.GridCode, now, DemoPersons.Actor)
                {
                    HouseId = house.Id,
                    HeadPersonId = head.Id,
                    Kind = registered ? HouseholdKind.Registered : HouseholdKind.Living,
                    Number = registered ? string.Create(CultureInfo.InvariantCulture, $"H{house.GridCode[6..]}{h:D3}") : null,
                };
                households.Add(household);
                var movedIn = new DateOnly(2000 + rng.Next(25), 1 + rng.Next(12), 1 + rng.Next(28));
                foreach (var member in family)
                {
                    residences.Add(new Residence(Guid.CreateVersion7(now), house.GridCode, now, DemoPersons.Actor)
                    {
                        PersonId = member.Id,
                        HouseId = house.Id,
                        HouseholdId = household.Id,
                        Relation = member == head ? (registered ? ResidenceRelation.Owner : ResidenceRelation.Tenant) : ResidenceRelation.LivesHere,
                        // A child born after the family moved in arrived with his birth.
                        MovedInOn = member.BirthDate is { } born && born > movedIn ? born : movedIn,
                    });
                }
            }
        }
        return (households, residences);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Demo places drawn and their residents read in {Elapsed:F0} ms")]
    private static partial void LogDrawn(ILogger logger, double elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo places: {Houses} houses, {Households} households, {Residents} residents moved in, in {Elapsed:F0} ms")]
    private static partial void LogSeeded(ILogger logger, int houses, int households, int residents, double elapsed);

    private sealed record Unhoused(Guid Id, string GridCode, DateOnly? BirthDate, HouseholdType HouseholdType);

    private sealed class Places
    {
        public List<Compound> Compounds { get; } = [];

        public List<Building> Buildings { get; } = [];

        public List<Unit> Units { get; } = [];

        public List<House> Houses { get; } = [];
    }
}
