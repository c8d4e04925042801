
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

    /// <summary>How many divisions (not grids) are stored.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken = default);
}
