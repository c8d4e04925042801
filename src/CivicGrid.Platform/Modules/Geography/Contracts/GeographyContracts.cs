
namespace CivicGrid.Modules.Geography.Contracts;

/// <summary>A division (or grid) as other modules and the API see it.</summary>
public sealed record DivisionSummary(string Code, string Name, DivisionLevel Level, string? ParentCode);

/// <summary>One division with its ancestry (province first) and how many children it has.</summary>
public sealed record DivisionDetails(
    string Code, string Name, DivisionLevel Level, string? ParentCode, int ChildCount,
    IReadOnlyList<DivisionSummary> Ancestors);

/// <summary>What an import did at one level.</summary>
public sealed record ImportLevelCount(DivisionLevel Level, string File, int Rows, int Inserted, int Updated, int Unchanged, int Rejected);

/// <summary>A row that was not imported, and why.</summary>
public sealed record ImportRowError(string File, int Line, string? Code, string Column, string Reason);

/// <summary>The report of one division-table import: counts per level and every rejected row.</summary>
public sealed record DivisionImportReport(IReadOnlyList<ImportLevelCount> Levels, IReadOnlyList<ImportRowError> Errors)
{
    /// <summary>Rows written (inserted or renamed).</summary>
    public int Changed => Levels.Sum(l => l.Inserted + l.Updated);
}

/// <summary>Where the five CSV tables come from: a folder or a zip archive.</summary>
public interface IDivisionTables
{
    /// <summary>Opens a table by file name (<c>villages.csv</c>), or returns null when it is absent.</summary>
    Stream? Open(string fileName);
}

/// <summary>The Geography module's contract for importing and reading divisions.</summary>
public interface IDivisionDirectory
{
    /// <summary>Imports the division tables; idempotent; valid rows go in, bad rows are reported.</summary>
    Task<DivisionImportReport> ImportAsync(IDivisionTables tables, CancellationToken cancellationToken = default);

    /// <summary>The division with that code, or null.</summary>
    Task<DivisionSummary?> FindAsync(string code, CancellationToken cancellationToken = default);

    /// <summary>The divisions or grids directly under <paramref name="code"/>, by code; empty when there are none.</summary>
    Task<IReadOnlyList<DivisionSummary>> ChildrenAsync(string code, CancellationToken cancellationToken = default);

    /// <summary>How many divisions (not grids) are stored.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>How many divisions, grids and micro-grids each level holds.</summary>
    Task<IReadOnlyDictionary<DivisionLevel, int>> CountByLevelAsync(CancellationToken cancellationToken = default);
}

/// <summary>What a boundary or grid import should do with a feature.</summary>
public enum BoundaryImportMode
{
    /// <summary>Shapes of existing divisions (features' <c>id</c> is a division code).</summary>
    Divisions,
    /// <summary>Grids and micro-grids (15/18 digits): created when new, each inside its parent.</summary>
    Grids,
}

/// <summary>A feature that was not imported, or imported with a remark.</summary>
public sealed record FeatureIssue(int Index, string? Id, string Reason, string? Suggestion = null);

/// <summary>The report of a boundary or grid import.</summary>
public sealed record BoundaryImportReport(
    int Features, int Imported, int Unchanged, int Rejected,
    IReadOnlyList<FeatureIssue> Errors, IReadOnlyList<FeatureIssue> Warnings);

/// <summary>What seeding a demo district drew.</summary>
public sealed record DemoGeographyReport(
    string Area, int Townships, int Communities, int Grids, int MicroGrids, bool AlreadySeeded,
    BoundaryImportReport? Boundaries);

/// <summary>Seeds the map of a demo district: its real boundary, then a plausible nested partition.</summary>
public interface IDemoGeography
{
    /// <summary>
    /// Loads the district's real boundary from <paramref name="boundariesFolder"/> (one GeoJSON per city,
    /// named <c>CITYCODE-*.geojson</c>) if it has none, then cuts it into its real townships and
    /// communities and those into <paramref name="grids"/> grids in all, with micro-grids under some.
    /// Idempotent: a district that already has grids is left alone.
    /// </summary>
    Task<DemoGeographyReport> SeedAsync(string boundariesFolder, string area, int grids, CancellationToken cancellationToken = default);
}
