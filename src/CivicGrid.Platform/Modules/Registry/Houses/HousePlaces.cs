using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Houses;

/// <summary>
/// What the house use cases share: placing a record in a grid (chosen, or found from its point
/// through the Geography locate contract), the <c>within</c> filter, paging, and the words naming a
/// house (<c>阳光小区 3号楼 2单元 302</c>).
/// </summary>
internal sealed class HousePlaces(CivicGridDbContext db, IGeoLocator locator, IDivisionDirectory divisions, ICaller caller)
{
    /// <summary>
    /// The grid of a record: the chosen <c>gridCode</c>, else the grid its point lies in, else
    /// <paramref name="inherited"/> (a building's compound, a house's building). Adds field errors; a
    /// grid the caller may see but not write is 403.
    /// </summary>
    public async Task<Result<string>> GridAsync(IPlacedInput input, string? inherited, FieldErrors errors, CancellationToken cancellationToken)
    {
        errors.When(input.Lon is null != input.Lat is null, input.Lon is null ? "lon" : "lat", "经度 lon 与纬度 lat 须同时填写")
            .When(input.Lon is { } x && (!double.IsFinite(x) || x is < -180 or > 180), "lon", "经度须在 -180 到 180 之间")
            .When(input.Lat is { } y && (!double.IsFinite(y) || y is < -90 or > 90), "lat", "纬度须在 -90 到 90 之间");
        var chosen = string.IsNullOrWhiteSpace(input.GridCode) ? null : input.GridCode.Trim();
        errors.When(chosen is not null && DivisionCode.LevelOf(chosen) != DivisionLevel.Grid, "gridCode", "须填写 15 位网格编码");
        var fields = errors.ToDictionary();
        if (fields.ContainsKey("gridCode") || fields.ContainsKey("lon") || fields.ContainsKey("lat"))
        {
            return errors.ToError()!;
        }
        var grid = chosen;
        if (grid is null && input is { Lon: { } lon, Lat: { } lat })
        {
            grid = locator.Locate(lon, lat)?.Grid?.Code;
            if (grid is null)
            {
                return errors.Add("lon", "该位置不在任何网格内").ToError()!;
            }
        }
        grid ??= inherited;
        if (grid is null)
        {
            return errors.Add("gridCode", "须选择网格，或给出位置（lon、lat）").ToError()!;
        }
        var found = await divisions.FindAsync(grid, cancellationToken);
        if (found is null || found.Level != DivisionLevel.Grid || !caller.Covers(grid))
        {
            // A grid outside the caller's subtrees reads like one that does not exist.
            return errors.Add("gridCode", $"没有网格 {grid}").ToError()!;
        }
        return grid;
    }

    /// <summary>
    /// The record a PUT changes, tracked, or null for a POST (no id): 404 when the caller does not
    /// see it, 403 when he may not write in its grid.
    /// </summary>
    public async Task<Result<T?>> ToChangeAsync<T>(Guid? id, string kind, CancellationToken cancellationToken)
        where T : PlaceRecord
    {
        T? record = null;
        if (id is { } existing)
        {
            record = await db.Set<T>().SingleOrDefaultAsync(e => e.Id == existing, cancellationToken);
            if (record is null)
            {
                return HouseDirectory.NotFound(kind, existing);
            }
            if (CheckWrite(record.GridCode) is { } forbidden)
            {
                return forbidden;
            }
        }
        return Result<T?>.Success(record);
    }

    /// <summary>The 400 of a request without a body.</summary>
    public static Error EmptyBody() => new FieldErrors().Add("$", "请求体为空").ToError()!;

    /// <summary>403 unless the caller may write in <paramref name="gridCode"/>.</summary>
    public Error? CheckWrite(string gridCode) =>
        caller.Can(Capabilities.RegistryWrite, gridCode) ? null : Error.Forbidden("registry.forbidden", "无权修改该网格的房屋信息");

    /// <summary>Records under a division or grid code (a code the caller cannot see is 404); null or blank: all he sees.</summary>
    public async Task<Result<IQueryable<T>>> WithinAsync<T>(IQueryable<T> records, string? within, CancellationToken cancellationToken)
        where T : PlaceRecord
    {
        var code = within?.Trim();
        if (code is not { Length: > 0 })
        {
            return Result<IQueryable<T>>.Success(records);
        }
        if (DivisionCode.LevelOf(code) is null)
        {
            return new FieldErrors().Add("within", "within 须为区划或网格代码").ToError()!;
        }
        if (await divisions.FindAsync(code, cancellationToken) is null)
        {
            return Error.NotFound("registry.division_not_found", $"没有区划或网格 {code}");
        }
        // The subtree as a code range [code, code+1), as the persons list does (ADR 7).
        var upper = CivicGridDbContext.UpperBound(code);
        return Result<IQueryable<T>>.Success(records.Where(e => string.Compare(e.GridCode, code) >= 0 && string.Compare(e.GridCode, upper) < 0));
    }

    /// <summary>One page of a filtered, ordered query.</summary>
    public static async Task<Result<Paged<TView>>> PageAsync<T, TView>(Result<IQueryable<T>> filtered, int? page, int? pageSize,
        Func<List<T>, Task<IReadOnlyList<TView>>> view, CancellationToken cancellationToken)
    {
        var paging = PageRequest.From(page, pageSize);
        if (!paging.IsSuccess)
        {
            return paging.Error!;
        }
        if (!filtered.IsSuccess)
        {
            return filtered.Error!;
        }
        var request = paging.Value;
        var total = await filtered.Value.CountAsync(cancellationToken);
        var rows = await filtered.Value.Skip(request.Skip).Take(request.PageSize).ToListAsync(cancellationToken);
        return new Paged<TView>(await view(rows), total, request.Page, request.PageSize);
    }

    /// <summary>Each house's place in words: compound, building, unit and room, or a bungalow's address and number.</summary>
    public async Task<Dictionary<Guid, string>> LabelsAsync(IReadOnlyCollection<House> houses, CancellationToken cancellationToken)
    {
        var compounds = await NamesAsync(db.Set<Compound>(), houses.Select(h => h.CompoundId), c => new NamedId(c.Id, c.Name), cancellationToken);
        var buildings = await NamesAsync(db.Set<Building>(), houses.Select(h => h.BuildingId), b => new NamedId(b.Id, b.Name), cancellationToken);
        var units = await NamesAsync(db.Set<Unit>(), houses.Select(h => h.UnitId), u => new NamedId(u.Id, u.Name), cancellationToken);
        return houses.DistinctBy(h => h.Id).ToDictionary(h => h.Id, h =>
        {
            var parts = new List<string>(4);
            if (h.CompoundId is { } c && compounds.TryGetValue(c, out var compound))
            {
                parts.Add(compound);
            }
            if (h.BuildingId is { } b && buildings.TryGetValue(b, out var building))
            {
                parts.Add(building);
            }
            if (h.UnitId is { } u && units.TryGetValue(u, out var unit))
            {
                parts.Add(unit);
            }
            if (parts.Count == 0 && h.Address is { Length: > 0 } address)
            {
                parts.Add(address);
            }
            parts.Add(h.Room);
            return string.Join(' ', parts);
        });
    }

    /// <summary>The names of the records with these ids, even where another grid holds them (a house's own compound and building).</summary>
    private static async Task<Dictionary<Guid, string>> NamesAsync<T>(IQueryable<T> records, IEnumerable<Guid?> ids,
        System.Linq.Expressions.Expression<Func<T, NamedId>> select, CancellationToken cancellationToken)
        where T : PlaceRecord
    {
        var wanted = ids.Where(i => i is not null).Select(i => i!.Value).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }
        return await records.IgnoreQueryFilters().AsNoTracking().Where(r => wanted.Contains(r.Id)).Select(select)
            .ToDictionaryAsync(n => n.Id, n => n.Name, cancellationToken);
    }
}

/// <summary>An id and a name, read together.</summary>
internal sealed record NamedId(Guid Id, string Name);
