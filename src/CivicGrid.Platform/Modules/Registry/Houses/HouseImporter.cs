using System.Diagnostics;
using System.Globalization;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Contracts;
using CivicGrid.Modules.Registry.Import;
using Microsoft.EntityFrameworkCore;
using ImportRowError = CivicGrid.Modules.Registry.Import.ImportRowError;

namespace CivicGrid.Modules.Registry.Houses;

/// <summary>
/// The house ledger import (房屋台账): the person import's file reading (<see cref="LedgerFile"/>,
/// .xlsx or .csv in UTF-8/GB18030), grid check (<see cref="GridPlaces"/>) and reject spool, with the
/// house headers 小区, 楼栋, 单元, 楼层, 房号, 面积, 房屋用途, 地址, 网格编码 recognised as they are.
/// A row is upserted by (grid, compound, building, unit, room) — a bungalow, without a building, by
/// its address too; missing compounds, buildings and units are created by name. Bad rows never hold
/// the others back.
/// </summary>
internal sealed class HouseImporter(CivicGridDbContext db, ICaller caller, IDivisionDirectory divisions, TimeProvider time)
{
    public const int ChunkSize = 2000;

    /// <summary>The headers of a house ledger, in the order the rejects and errors name them.</summary>
    public static readonly string[] Headers = ["小区", "楼栋", "单元", "楼层", "房号", "面积", "房屋用途", "地址", "网格编码"];

    private static readonly string[] AreaUnits = ["平方米", "㎡", "m²", "m2", "平米"];

    private static readonly Dictionary<string, string> RuleColumns = new(StringComparer.Ordinal)
    {
        ["room"] = "房号",
        ["floor"] = "楼层",
        ["area"] = "面积",
        ["use"] = "房屋用途",
        ["address"] = "地址",
        ["buildingId"] = "楼栋",
    };

    private readonly Dictionary<string, Grid> _grids = new(StringComparer.Ordinal);

    public async Task<Result<LedgerImportReport>> ImportAsync(Stream stream, LedgerImportOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var opened = LedgerFile.TryOpen(stream, options.FileName, options.Sheet);
        if (!opened.IsSuccess)
        {
            return opened.Error!;
        }
        using (var file = opened.Value)
        {
            var columns = Headers.Select(h => file.Headers.Select(LedgerColumns.Normalize).ToList().IndexOf(h)).ToArray();
            var missing = new[] { "房号", "网格编码" }.Where(h => columns[Array.IndexOf(Headers, h)] < 0).ToList();
            if (missing.Count > 0)
            {
                var message = "缺少必需的列：" + string.Join("、", missing);
                return new FieldErrors().Add("file", message).ToError("registry.import_columns", message)!;
            }
            return await RunAsync(file, columns, options, clock, ct);
        }
    }

    private async Task<LedgerImportReport> RunAsync(LedgerFile file, int[] columns, LedgerImportOptions options, Stopwatch clock, CancellationToken ct)
    {
        var id = Guid.CreateVersion7(time.GetUtcNow());
        var places = new GridPlaces(caller, divisions, options.Within);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new List<ImportRowError>();
        await using var rejects = new RejectSpool(file.Headers);
        int rows = 0, imported = 0, updated = 0, unchanged = 0, rejected = 0;
        string? Cell(LedgerRow row, string header)
        {
            var i = columns[Array.IndexOf(Headers, header)];
            return i < 0 || i >= row.Cells.Length || string.IsNullOrWhiteSpace(row.Cells[i]) ? null : row.Cells[i]!.Trim();
        }
        string HeaderOf(string header) => columns[Array.IndexOf(Headers, header)] is var i and >= 0 ? file.Headers[i] : header;

        foreach (var chunk in file.Rows.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).Chunk(ChunkSize))
        {
            await places.ResolveAsync(chunk.Select(r => (Cell(r, "网格编码"), (string?)null)), ct);
            foreach (var row in chunk)
            {
                rows++;
                var problems = new List<ImportRowError>();
                void Problem(string header, string reason) => problems.Add(new ImportRowError(row.Number, HeaderOf(header), reason));

                var (grid, gridProblem) = places.Place(Cell(row, "网格编码"), null);
                if (gridProblem is not null)
                {
                    Problem("网格编码", gridProblem);
                }
                int? floor = null;
                if (Cell(row, "楼层") is { } floorText)
                {
                    floor = int.TryParse(floorText.TrimEnd('层', 'F', 'f'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var f) ? f : null;
                    if (floor is null)
                    {
                        Problem("楼层", $"楼层“{floorText}”须为整数");
                    }
                }
                decimal? area = null;
                if (Cell(row, "面积") is { } areaText)
                {
                    var number = AreaUnits.Aggregate(areaText, (text, unit) => text.Replace(unit, "", StringComparison.Ordinal)).Trim();
                    area = decimal.TryParse(number, NumberStyles.Number, CultureInfo.InvariantCulture, out var a) ? a : null;
                    if (area is null)
                    {
                        Problem("面积", $"面积“{areaText}”须为数字（平方米）");
                    }
                }
                var useText = Cell(row, "房屋用途");
                var use = HouseRules.ParseUse(useText);
                var (compound, building, unit) = (Cell(row, "小区"), Cell(row, "楼栋"), Cell(row, "单元"));
                var room = Cell(row, "房号") ?? string.Empty;
                var address = Cell(row, "地址");
                var rules = HouseRules.Check(new FieldErrors(), room, floor, area, use, address, building is not null, unit is not null).ToDictionary();
                foreach (var (field, messages) in rules)
                {
                    var header = RuleColumns[field];
                    if (field == "use" && useText is not null)
                    {
                        Problem(header, $"房屋用途“{useText}”须为 自住、出租、空置 或 商用");
                    }
                    else if (!problems.Any(p => p.Column == HeaderOf(header)))
                    {
                        Problem(header, string.Join("；", messages));
                    }
                }
                TooLong("小区", compound, 100);
                TooLong("楼栋", building, 50);
                TooLong("单元", unit, 50);
                void TooLong(string header, string? text, int max)
                {
                    if (text is { Length: var length } && length > max)
                    {
                        Problem(header, $"{header}最多 {max} 个字");
                    }
                }

                var key = string.Join('\u001f', grid, compound, building, unit, room, building is null ? address : null);
                if (problems.Count == 0 && !seen.TryAdd(key, row.Number))
                {
                    Problem("房号", $"与第 {seen[key]} 行是同一房屋");
                }
                if (problems.Count > 0)
                {
                    rejected++;
                    if (errors.Count < PersonImporter.MaxReportedErrors)
                    {
                        errors.AddRange(problems.Take(PersonImporter.MaxReportedErrors - errors.Count));
                    }
                    rejects.Add(row, problems);
                    continue;
                }
                var outcome = await UpsertAsync(grid!, compound, building, unit, new HouseRow(room, floor, area, use!.Value, address), options.DryRun, ct);
                (imported, updated, unchanged) = outcome switch
                {
                    Outcome.Imported => (imported + 1, updated, unchanged),
                    Outcome.Updated => (imported, updated + 1, unchanged),
                    _ => (imported, updated, unchanged + 1),
                };
            }
            if (!options.DryRun)
            {
                await db.SaveChangesAsync(ct);
            }
        }
        if (options.RejectsPath is { } path && rejected > 0)
        {
            await rejects.SaveAsync(path, ct);
        }
        return new LedgerImportReport(id, options.FileName, file.Format, file.EncodingName, options.DryRun, rows, imported, updated, unchanged,
            rejected, errors, null, file.Headers, Headers.ToDictionary(h => h, h => h), [], clock.Elapsed);
    }

    private async Task<Outcome> UpsertAsync(string gridCode, string? compoundName, string? buildingName, string? unitName, HouseRow row, bool dryRun,
        CancellationToken ct)
    {
        var grid = await GridAsync(gridCode, ct);
        var now = time.GetUtcNow();
        Compound? compound = null;
        if (compoundName is not null && !grid.Compounds.TryGetValue(compoundName, out compound))
        {
            compound = new Compound(Guid.CreateVersion7(now), gridCode, now, caller.Name) { Name = compoundName };
            grid.Compounds[compoundName] = Added(compound);
        }
        Building? building = null;
        var buildingKey = (compound?.Id, buildingName ?? string.Empty);
        if (buildingName is not null && !grid.Buildings.TryGetValue(buildingKey, out building))
        {
            building = new Building(Guid.CreateVersion7(now), gridCode, now, caller.Name) { CompoundId = compound?.Id, Name = buildingName };
            grid.Buildings[buildingKey] = Added(building);
        }
        Unit? unit = null;
        if (unitName is not null && building is not null && !grid.Units.TryGetValue((building.Id, unitName), out unit))
        {
            unit = new Unit(Guid.CreateVersion7(now), gridCode, now, caller.Name) { BuildingId = building.Id, Name = unitName };
            grid.Units[(building.Id, unitName)] = Added(unit);
        }
        var houseKey = (compound?.Id, building?.Id, unit?.Id, row.Room, building is null ? row.Address : null);
        if (grid.Houses.TryGetValue(houseKey, out var house))
        {
            if (house.Floor == row.Floor && house.Area == row.Area && house.Use == row.Use && house.Address == row.Address)
            {
                return Outcome.Unchanged;
            }
            if (!dryRun)
            {
                (house.Floor, house.Area, house.Use, house.Address) = (row.Floor, row.Area, row.Use, row.Address);
                house.Touch(now, caller.Name);
            }
            return Outcome.Updated;
        }
        house = new House(Guid.CreateVersion7(now), gridCode, now, caller.Name)
        {
            CompoundId = compound?.Id,
            BuildingId = building?.Id,
            UnitId = unit?.Id,
            Floor = row.Floor,
            Room = row.Room,
            Area = row.Area,
            Use = row.Use,
            Address = row.Address,
        };
        grid.Houses[houseKey] = Added(house);
        return Outcome.Imported;

        T Added<T>(T record) where T : class
        {
            if (!dryRun)
            {
                db.Add(record);
            }
            return record;
        }
    }

    /// <summary>A grid's compounds, buildings, units and houses, loaded (tracked) the first time a row names the grid.</summary>
    private async Task<Grid> GridAsync(string code, CancellationToken ct)
    {
        if (_grids.TryGetValue(code, out var grid))
        {
            return grid;
        }
        grid = new Grid();
        foreach (var c in await db.Set<Compound>().Where(c => c.GridCode == code).ToListAsync(ct))
        {
            grid.Compounds.TryAdd(c.Name, c);
        }
        foreach (var b in await db.Set<Building>().Where(b => b.GridCode == code).ToListAsync(ct))
        {
            grid.Buildings.TryAdd((b.CompoundId, b.Name), b);
        }
        foreach (var u in await db.Set<Unit>().Where(u => u.GridCode == code).ToListAsync(ct))
        {
            grid.Units.TryAdd((u.BuildingId, u.Name), u);
        }
        foreach (var h in await db.Set<House>().Where(h => h.GridCode == code).ToListAsync(ct))
        {
            grid.Houses.TryAdd((h.CompoundId, h.BuildingId, h.UnitId, h.Room, h.BuildingId is null ? h.Address : null), h);
        }
        return _grids[code] = grid;
    }

    private enum Outcome
    {
        Imported,
        Updated,
        Unchanged,
    }

    private sealed record HouseRow(string Room, int? Floor, decimal? Area, HouseUse Use, string? Address);

    private sealed class Grid
    {
        public Dictionary<string, Compound> Compounds { get; } = new(StringComparer.Ordinal);

        public Dictionary<(Guid?, string), Building> Buildings { get; } = new();

        public Dictionary<(Guid, string), Unit> Units { get; } = new();

        public Dictionary<(Guid?, Guid?, Guid?, string, string?), House> Houses { get; } = new();
    }
}
