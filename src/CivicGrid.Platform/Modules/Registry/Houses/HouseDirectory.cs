using System.Globalization;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Registry.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Houses;

/// <summary>
/// Compounds, buildings (with their units) and houses. Every read goes through the jurisdiction
/// filter on their grid code, so another jurisdiction's record does not exist for the caller (404).
/// </summary>
internal sealed class HouseDirectory(CivicGridDbContext db, HousePlaces places, ResidenceBook residences, TimeProvider time,
    Identity.Contracts.ICaller caller)
{
    public const int MaxUnits = 20;

    // Compounds.

    public async Task<Result<Paged<CompoundView>>> ListCompoundsAsync(string? within, string? q, int? page, int? pageSize, CancellationToken ct)
    {
        var filtered = await places.WithinAsync(db.Set<Compound>().AsNoTracking(), within, ct);
        if (filtered.IsSuccess && q?.Trim() is { Length: > 0 } text)
        {
            filtered = Result<IQueryable<Compound>>.Success(filtered.Value.Where(c => c.Name.Contains(text) || (c.Address != null && c.Address.Contains(text))));
        }
        if (filtered.IsSuccess)
        {
            filtered = Result<IQueryable<Compound>>.Success(filtered.Value.OrderBy(c => c.GridCode).ThenBy(c => c.Name).ThenBy(c => c.Id));
        }
        return await HousePlaces.PageAsync(filtered, page, pageSize, CompoundViewsAsync, ct);
    }

    public async Task<Result<CompoundView>> GetCompoundAsync(Guid id, CancellationToken ct) =>
        await db.Set<Compound>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is { } compound
            ? (await CompoundViewsAsync([compound]))[0]
            : NotFound("compound", id);

    public async Task<Result<CompoundView>> SaveCompoundAsync(Guid? id, CompoundInput? input, CancellationToken ct)
    {
        if (input is null)
        {
            return HousePlaces.EmptyBody();
        }
        var found = await places.ToChangeAsync<Compound>(id, "compound", ct);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }
        var compound = found.Value;
        var name = input.Name?.Trim() ?? string.Empty;
        var errors = new FieldErrors()
            .When(name.Length is 0 or > 100, "name", "小区名称须为 1-100 个字")
            .When(input.Address is { Length: > 200 }, "address", "地址最多 200 个字")
            .When(input.PropertyCompany is { Length: > 100 }, "propertyCompany", "物业公司最多 100 个字");
        var grid = await places.GridAsync(input, compound?.GridCode, errors, ct);
        if (!grid.IsSuccess || errors.ToError() is not null)
        {
            return grid.Error ?? errors.ToError()!;
        }
        if (places.CheckWrite(grid.Value) is { } denied)
        {
            return denied;
        }
        var now = time.GetUtcNow();
        if (compound is null)
        {
            compound = new Compound(Guid.CreateVersion7(now), grid.Value, now, caller.Name);
            db.Add(compound);
        }
        else
        {
            compound.Touch(now, caller.Name);
        }
        compound.GridCode = grid.Value;
        compound.Name = name;
        compound.Address = Blank(input.Address);
        compound.PropertyCompany = Blank(input.PropertyCompany);
        (compound.Lon, compound.Lat) = (input.Lon, input.Lat);
        await db.SaveChangesAsync(ct);
        return (await CompoundViewsAsync([compound]))[0];
    }

    private async Task<IReadOnlyList<CompoundView>> CompoundViewsAsync(List<Compound> compounds)
    {
        var ids = compounds.Select(c => c.Id).ToList();
        var buildings = await db.Set<Building>().AsNoTracking().Where(b => b.CompoundId != null && ids.Contains(b.CompoundId.Value))
            .GroupBy(b => b.CompoundId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        var houses = await db.Set<House>().AsNoTracking().Where(h => h.CompoundId != null && ids.Contains(h.CompoundId.Value))
            .GroupBy(h => h.CompoundId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        return [.. compounds.Select(c => new CompoundView(c.Id, c.Name, c.Address, c.PropertyCompany, c.GridCode, c.Lon, c.Lat,
            buildings.GetValueOrDefault(c.Id), houses.GetValueOrDefault(c.Id), c.UpdatedAt, c.UpdatedBy))];
    }

    // Buildings and their units.

    public async Task<Result<Paged<BuildingView>>> ListBuildingsAsync(string? within, Guid? compoundId, int? page, int? pageSize, CancellationToken ct)
    {
        var filtered = await places.WithinAsync(db.Set<Building>().AsNoTracking(), within, ct);
        if (filtered.IsSuccess)
        {
            var query = filtered.Value;
            if (compoundId is { } compound)
            {
                query = query.Where(b => b.CompoundId == compound);
            }
            filtered = Result<IQueryable<Building>>.Success(query.OrderBy(b => b.GridCode).ThenBy(b => b.Name).ThenBy(b => b.Id));
        }
        return await HousePlaces.PageAsync(filtered, page, pageSize, BuildingViewsAsync, ct);
    }

    public async Task<Result<BuildingView>> GetBuildingAsync(Guid id, CancellationToken ct) =>
        await db.Set<Building>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct) is { } building
            ? (await BuildingViewsAsync([building]))[0]
            : NotFound("building", id);

    /// <summary>Creates or changes a building; units named in the body that it lacks are added (none is removed: houses point at them).</summary>
    public async Task<Result<BuildingView>> SaveBuildingAsync(Guid? id, BuildingInput? input, CancellationToken ct)
    {
        if (input is null)
        {
            return HousePlaces.EmptyBody();
        }
        var found = await places.ToChangeAsync<Building>(id, "building", ct);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }
        var building = found.Value;
        var name = input.Name?.Trim() ?? string.Empty;
        var units = (input.Units ?? []).Select(u => u?.Trim() ?? string.Empty).Distinct(StringComparer.Ordinal).ToList();
        var errors = new FieldErrors()
            .When(name.Length is 0 or > 50, "name", "楼栋名称须为 1-50 个字")
            .When(input.Floors is < 1 or > 200, "floors", "层数须在 1 到 200 之间")
            .When(units.Count > MaxUnits || units.Any(u => u.Length is 0 or > 50), "units", $"单元最多 {MaxUnits} 个，每个 1-50 个字");
        Compound? compound = null;
        if (input.CompoundId is { } compoundId)
        {
            compound = await db.Set<Compound>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == compoundId, ct);
            errors.When(compound is null, "compoundId", $"没有小区 {compoundId}");
        }
        var grid = await places.GridAsync(input, compound?.GridCode ?? building?.GridCode, errors, ct);
        if (!grid.IsSuccess || errors.ToError() is not null)
        {
            return grid.Error ?? errors.ToError()!;
        }
        if (places.CheckWrite(grid.Value) is { } denied)
        {
            return denied;
        }
        var now = time.GetUtcNow();
        if (building is null)
        {
            building = new Building(Guid.CreateVersion7(now), grid.Value, now, caller.Name);
            db.Add(building);
        }
        else
        {
            building.Touch(now, caller.Name);
        }
        building.GridCode = grid.Value;
        building.CompoundId = compound?.Id;
        building.Name = name;
        building.Floors = input.Floors;
        (building.Lon, building.Lat) = (input.Lon, input.Lat);
        var have = await db.Set<Unit>().Where(u => u.BuildingId == building.Id).Select(u => u.Name).ToListAsync(ct);
        foreach (var unit in units.Where(u => !have.Contains(u)))
        {
            db.Add(new Unit(Guid.CreateVersion7(now), building.GridCode, now, caller.Name) { BuildingId = building.Id, Name = unit });
        }
        await db.SaveChangesAsync(ct);
        return (await BuildingViewsAsync([building]))[0];
    }

    private async Task<IReadOnlyList<BuildingView>> BuildingViewsAsync(List<Building> buildings)
    {
        var ids = buildings.Select(b => b.Id).ToList();
        var units = (await db.Set<Unit>().AsNoTracking().Where(u => ids.Contains(u.BuildingId)).ToListAsync())
            .GroupBy(u => u.BuildingId).ToDictionary(g => g.Key, g => g.OrderBy(u => u.Name, StringComparer.Ordinal).Select(u => new UnitView(u.Id, u.Name)).ToList());
        var compoundIds = buildings.Where(b => b.CompoundId is not null).Select(b => b.CompoundId!.Value).Distinct().ToList();
        var compounds = await db.Set<Compound>().IgnoreQueryFilters().AsNoTracking().Where(c => compoundIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name);
        return [.. buildings.Select(b => new BuildingView(b.Id, b.CompoundId, b.CompoundId is { } c ? compounds.GetValueOrDefault(c) : null, b.Name,
            b.Floors, b.GridCode, b.Lon, b.Lat, units.GetValueOrDefault(b.Id) ?? [], b.UpdatedAt, b.UpdatedBy))];
    }

    // Houses.

    public async Task<Result<Paged<HouseView>>> ListHousesAsync(string? within, string? q, HouseUse? use, Guid? compoundId, Guid? buildingId,
        int? page, int? pageSize, CancellationToken ct)
    {
        var filtered = await places.WithinAsync(db.Set<House>().AsNoTracking(), within, ct);
        if (filtered.IsSuccess)
        {
            var query = filtered.Value;
            if (q?.Trim() is { Length: > 0 } text)
            {
                // The room, the address, or the compound's or building's name.
                var compounds = db.Set<Compound>().Where(c => c.Name.Contains(text)).Select(c => c.Id);
                var buildings = db.Set<Building>().Where(b => b.Name.Contains(text)).Select(b => b.Id);
                query = query.Where(h => h.Room.Contains(text) || (h.Address != null && h.Address.Contains(text))
                    || (h.CompoundId != null && compounds.Contains(h.CompoundId.Value))
                    || (h.BuildingId != null && buildings.Contains(h.BuildingId.Value)));
            }
            if (use is { } wanted)
            {
                query = query.Where(h => h.Use == wanted);
            }
            if (compoundId is { } compound)
            {
                query = query.Where(h => h.CompoundId == compound);
            }
            if (buildingId is { } building)
            {
                query = query.Where(h => h.BuildingId == building);
            }
            filtered = Result<IQueryable<House>>.Success(query.OrderBy(h => h.GridCode).ThenBy(h => h.BuildingId).ThenBy(h => h.UnitId)
                .ThenBy(h => h.Floor).ThenBy(h => h.Room).ThenBy(h => h.Id));
        }
        return await HousePlaces.PageAsync(filtered, page, pageSize, h => HouseViewsAsync(h, ct), ct);
    }

    public async Task<Result<HouseDetail>> GetHouseAsync(Guid id, CancellationToken ct)
    {
        var house = await db.Set<House>().AsNoTracking().SingleOrDefaultAsync(h => h.Id == id, ct);
        if (house is null)
        {
            return NotFound("house", id);
        }
        var view = (await HouseViewsAsync([house], ct))[0];
        var residents = await residences.ResidentsAsync([house.Id], ct);
        var households = await residences.HouseholdsOfAsync(house.Id, ct);
        var visits = await db.Set<Visit>().AsNoTracking().Where(v => v.HouseId == id).OrderByDescending(v => v.CreatedAt).Take(20).ToListAsync(ct);
        return new HouseDetail(view, households, [.. residents.Where(r => r.MovedOutOn is null)],
            [.. residents.Where(r => r.MovedOutOn is not null).OrderByDescending(r => r.MovedOutOn)], [.. visits.Select(VisitLog.ViewOf)]);
    }

    public async Task<Result<HouseView>> SaveHouseAsync(Guid? id, HouseInput? input, CancellationToken ct)
    {
        if (input is null)
        {
            return HousePlaces.EmptyBody();
        }
        var found = await places.ToChangeAsync<House>(id, "house", ct);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }
        var house = found.Value;
        var room = input.Room?.Trim() ?? string.Empty;
        var errors = HouseRules.Check(new FieldErrors(), room, input.Floor, input.Area, input.Use, input.Address, input.BuildingId is not null,
            input.UnitId is not null);
        Building? building = null;
        if (input.BuildingId is { } buildingId)
        {
            building = await db.Set<Building>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == buildingId, ct);
            errors.When(building is null, "buildingId", $"没有楼栋 {buildingId}");
        }
        if (input.UnitId is { } unitId && building is not null)
        {
            errors.When(!await db.Set<Unit>().AnyAsync(u => u.Id == unitId && u.BuildingId == building.Id, ct), "unitId", "该楼栋没有这个单元");
        }
        var grid = await places.GridAsync(input, building?.GridCode ?? house?.GridCode, errors, ct);
        if (!grid.IsSuccess || errors.ToError() is not null)
        {
            return grid.Error ?? errors.ToError()!;
        }
        if (places.CheckWrite(grid.Value) is { } denied)
        {
            return denied;
        }
        var now = time.GetUtcNow();
        if (house is null)
        {
            house = new House(Guid.CreateVersion7(now), grid.Value, now, caller.Name);
            db.Add(house);
        }
        else
        {
            house.Touch(now, caller.Name);
        }
        house.GridCode = grid.Value;
        house.CompoundId = building?.CompoundId;
        house.BuildingId = building?.Id;
        house.UnitId = building is null ? null : input.UnitId;
        house.Floor = input.Floor;
        house.Room = room;
        house.Area = input.Area;
        house.Use = input.Use!.Value;
        house.Address = Blank(input.Address);
        (house.Lon, house.Lat) = (input.Lon, input.Lat);
        await db.SaveChangesAsync(ct);
        return (await HouseViewsAsync([house], ct))[0];
    }

    /// <summary>Deletes a house nobody ever lived in or visited; one with a history keeps it (409).</summary>
    public async Task<Result<bool>> DeleteHouseAsync(Guid id, CancellationToken ct)
    {
        var house = await db.Set<House>().SingleOrDefaultAsync(h => h.Id == id, ct);
        if (house is null)
        {
            return NotFound("house", id);
        }
        if (places.CheckWrite(house.GridCode) is { } forbidden)
        {
            return forbidden;
        }
        var used = await db.Set<Residence>().IgnoreQueryFilters().AnyAsync(r => r.HouseId == id, ct)
            || await db.Set<Household>().IgnoreQueryFilters().AnyAsync(h => h.HouseId == id, ct)
            || await db.Set<Visit>().IgnoreQueryFilters().AnyAsync(v => v.HouseId == id, ct);
        if (used)
        {
            return Error.Conflict("registry.house_in_use", "该房屋有住户、户或走访记录，不能删除（历史须保留）");
        }
        db.Remove(house);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<HouseView>> HouseViewsAsync(List<House> houses, CancellationToken ct)
    {
        var labels = await places.LabelsAsync(houses, ct);
        var ids = houses.Select(h => h.Id).ToList();
        var residents = await db.Set<Residence>().AsNoTracking().Where(r => ids.Contains(r.HouseId) && r.MovedOutOn == null)
            .GroupBy(r => r.HouseId).Select(g => new { g.Key, Count = g.Select(r => r.PersonId).Distinct().Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return [.. houses.Select(h => new HouseView(h.Id, h.CompoundId, h.BuildingId, h.UnitId, labels[h.Id], h.Floor, h.Room, h.Area, h.Use,
            h.Address, h.GridCode, h.Lon, h.Lat, residents.GetValueOrDefault(h.Id), h.UpdatedAt, h.UpdatedBy))];
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    internal static Error NotFound(string kind, Guid id) =>
        Error.NotFound($"registry.{kind}_not_found", string.Create(CultureInfo.InvariantCulture, $"没有{kind switch
        {
            "compound" => "小区",
            "building" => "楼栋",
            "house" => "房屋",
            "household" => "户",
            "residence" => "居住记录",
            _ => kind,
        }} {id}"));
}
