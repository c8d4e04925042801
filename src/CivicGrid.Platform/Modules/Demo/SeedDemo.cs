using System.Diagnostics;
using CivicGrid.Modules.Geography.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Demo;

/// <summary>What the demo seed did.</summary>
public sealed record DemoSeedReport(string Area, DivisionImportReport Divisions, DemoGeographyReport Geography, TimeSpan Elapsed,
    string? UsersFile = null);

/// <summary>
/// Seeds the demo of a real district: the shipped division tables (Inner Mongolia and Shenmu),
/// then the chosen district's grids. Idempotent: a second run changes nothing.
/// </summary>
internal sealed partial class SeedDemo(
    IDivisionDirectory divisions, IDemoGeography geography, DemoUsers users, IConfiguration configuration, ILogger<SeedDemo> logger)
{
    /// <summary>昆都仑区, Baotou: the default demo district.</summary>
    public const string DefaultArea = "150203";

    /// <summary>Kundulun's published grid count.</summary>
    public const int DefaultGrids = 1391;

    /// <summary>The folder with the shipped reference data (divisions/, boundaries/).</summary>
    public string DataPath => configuration["Demo:DataPath"] is { Length: > 0 } path
        ? path
        : Path.Combine(AppContext.BaseDirectory, "DemoData");

    public async Task<DemoSeedReport> RunAsync(string area, int grids, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var report = await divisions.ImportAsync(new FolderDivisionTables(Path.Combine(DataPath, "divisions")), cancellationToken);
        var map = await geography.SeedAsync(Path.Combine(DataPath, "boundaries"), area, grids, cancellationToken);
        var usersFile = await users.SeedAsync(area, cancellationToken);
        LogSeeded(logger, report.Changed, area, map.Grids, map.MicroGrids, clock.ElapsedMilliseconds);
        return new DemoSeedReport(area, report, map, clock.Elapsed, usersFile);
    }

    /// <summary>Where the demo users' sign-ins are written.</summary>
    public string UsersFilePath => users.FilePath;

    /// <summary>True when the database holds no divisions yet (a fresh install).</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken) =>
        await divisions.CountAsync(cancellationToken) == 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo seed: {Changed} divisions written; area {Area}: {Grids} grids, {MicroGrids} micro-grids drawn; {Elapsed} ms")]
    private static partial void LogSeeded(ILogger logger, int changed, string area, int grids, int microGrids, long elapsed);
}
