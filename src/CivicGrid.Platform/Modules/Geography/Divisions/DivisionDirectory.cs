using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Observability;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Domain;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Geography.Divisions;

/// <summary>
/// Imports the national statistics division tables (provinces.csv … villages.csv) for any
/// province. Levels go top-down so that a row's parent is known before the row; a second run
/// with the same tables writes nothing.
/// </summary>
internal sealed class DivisionDirectory(CivicGridDbContext db, ICaller caller) : IDivisionDirectory
{
    private static readonly (DivisionLevel Level, string File, string? ParentColumn)[] Tables =
    [
        (DivisionLevel.Province, "provinces.csv", null),
        (DivisionLevel.City, "cities.csv", "provinceCode"),
        (DivisionLevel.County, "areas.csv", "cityCode"),
        (DivisionLevel.Township, "streets.csv", "areaCode"),
        (DivisionLevel.Community, "villages.csv", "streetCode"),
    ];

    public async Task<DivisionImportReport> ImportAsync(IDivisionTables tables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tables);
        using var activity = Telemetry.Source.StartActivity("geo.import_divisions");
        // The import sees every row, whoever calls it; rows outside the caller's reach are refused below.
        var existing = await db.Set<Division>().IgnoreQueryFilters()
            .Where(d => d.Level <= DivisionLevel.Community)
            .ToDictionaryAsync(d => d.Code, cancellationToken);
        var accepted = new HashSet<string>(existing.Keys, StringComparer.Ordinal);
        var errors = new List<ImportRowError>();
        var counts = new List<ImportLevelCount>();
        var inserts = new List<Division>();

        foreach (var (level, file, parentColumn) in Tables)
        {
            using var stream = tables.Open(file);
            if (stream is null)
            {
                counts.Add(new ImportLevelCount(level, file, 0, 0, 0, 0, 0));
                continue;
            }
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var (rows, inserted, updated, unchanged, rejected) = (0, 0, 0, 0, 0);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int codeAt = -1, nameAt = -1, parentAt = -1;
            var header = true;
            foreach (var row in CsvReader.Read(reader))
            {
                if (header)
                {
                    header = false;
                    codeAt = IndexOf(row.Fields, "code");
                    nameAt = IndexOf(row.Fields, "name");
                    parentAt = parentColumn is null ? -1 : IndexOf(row.Fields, parentColumn);
                    var missing = new[] { ("code", codeAt), ("name", nameAt), (parentColumn ?? "", parentColumn is null ? 0 : parentAt) }
                        .Where(c => c.Item2 < 0).Select(c => c.Item1).ToList();
                    if (missing.Count > 0)
                    {
                        errors.Add(new ImportRowError(file, row.Line, null, string.Join(",", missing), "表头缺少列"));
                        break;
                    }
                    continue;
                }

                rows++;
                var code = Field(row, codeAt);
                var name = Field(row, nameAt);
                var parent = parentAt < 0 ? null : Field(row, parentAt);
                var (column, reason) = Check(level, code, name, parent, accepted, seen);
                if (reason is not null)
                {
                    errors.Add(new ImportRowError(file, row.Line, string.IsNullOrEmpty(code) ? null : code, column, reason));
                    rejected++;
                    continue;
                }
                var known = existing.TryGetValue(code, out var current);
                if ((!known || current!.Name != name) && !caller.Can(Capabilities.GeoImport, code))
                {
                    errors.Add(new ImportRowError(file, row.Line, code, "code", "不在您的管辖范围内"));
                    rejected++;
                    continue;
                }
                seen.Add(code);
                accepted.Add(code);
                if (known)
                {
                    if (current!.Rename(name))
                    {
                        updated++;
                    }
                    else
                    {
                        unchanged++;
                    }
                }
                else
                {
                    inserts.Add(new Division(code, name, level, DivisionCode.ParentOf(code)));
                    inserted++;
                }
            }
            counts.Add(new ImportLevelCount(level, file, rows, inserted, updated, unchanged, rejected));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await BulkWriter.InsertAsync(db, inserts, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new DivisionImportReport(counts, errors);
    }

    private static (string Column, string? Reason) Check(
        DivisionLevel level, string code, string name, string? parent, HashSet<string> accepted, HashSet<string> seen)
    {
        if (DivisionCode.Check(code, level, null) is { } bad)
        {
            return ("code", bad);
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            return ("name", "名称为空");
        }
        if (seen.Contains(code))
        {
            return ("code", $"代码 {code} 在文件中重复");
        }
        if (level == DivisionLevel.Province)
        {
            return ("", null);
        }
        var expectedParent = DivisionCode.ParentOf(code)!;
        if (string.IsNullOrEmpty(parent))
        {
            return ("parent", "上级代码为空");
        }
        if (parent != expectedParent)
        {
            return ("parent", $"代码 {code} 的前缀与上级代码 {parent} 不符");
        }
        return accepted.Contains(parent) ? ("", null) : ("parent", $"上级 {parent} 不存在");
    }

    private static int IndexOf(IReadOnlyList<string> header, string column)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i].Trim(), column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    private static string Field(CsvReader.Row row, int index) =>
        index < row.Fields.Count ? row.Fields[index].Trim() : string.Empty;

    public async Task<DivisionSummary?> FindAsync(string code, CancellationToken cancellationToken = default) =>
        await db.Set<Division>().AsNoTracking()
            .Where(d => d.Code == code)
            .Select(d => new DivisionSummary(d.Code, d.Name, d.Level, d.ParentCode))
            .SingleOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<DivisionSummary>> ChildrenAsync(string code, CancellationToken cancellationToken = default) =>
        await db.Set<Division>().AsNoTracking()
            .Where(d => d.ParentCode == code)
            .OrderBy(d => d.Code)
            .Select(d => new DivisionSummary(d.Code, d.Name, d.Level, d.ParentCode))
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyDictionary<DivisionLevel, int>> CountByLevelAsync(CancellationToken cancellationToken = default) =>
        await db.Set<Division>().GroupBy(d => d.Level)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken = default) =>
        db.Set<Division>().CountAsync(d => d.Level <= DivisionLevel.Community, cancellationToken);
}
