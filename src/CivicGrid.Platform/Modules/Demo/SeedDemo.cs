using System.Diagnostics;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Registry.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Demo;

/// <summary>What the demo seed did.</summary>
public sealed record DemoSeedReport(string Area, DivisionImportReport Divisions, DemoGeographyReport Geography, TimeSpan Elapsed,
    string? UsersFile = null, DemoPersonsReport? Persons = null, DemoHousesReport? Houses = null);

/// <summary>
/// Seeds the demo of a real district: the shipped division tables (Inner Mongolia and Shenmu),
/// then the chosen district's grids. Idempotent: a second run changes nothing.
/// </summary>
internal sealed partial class SeedDemo(
    IDivisionDirectory divisions, IDemoGeography geography, DemoUsers users, IDemoPersons persons, IDemoHouses houses,
    IDemoTemplates templates, IConfiguration configuration,
    ILogger<SeedDemo> logger)
{
    /// <summary>昆都仑区, Baotou: the default demo district.</summary>
    public const string DefaultArea = "150203";

    /// <summary>Kundulun's published grid count.</summary>
    public const int DefaultGrids = 1391;

    /// <summary>
    /// Persons seeded on a fresh start and by <c>seed demo</c> without <c>--persons</c> (<c>Demo:Persons</c> overrides).
    /// 5,000, not the 50,000: 50,000 took 11 s on SQLite here, too long for a first start;
    /// <c>seed demo --persons 50000</c> tops the district up.
    /// </summary>
    public const int DefaultPersons = 5_000;

    /// <summary>The most persons <c>seed demo --persons</c> writes.</summary>
    public const int MaxPersons = 1_000_000;

    /// <summary>How many persons a fresh start seeds.</summary>
    public int PersonsOnStart => configuration.GetValue("Demo:Persons", DefaultPersons);

    /// <summary>The folder with the shipped reference data (divisions/, boundaries/).</summary>
    public string DataPath => configuration["Demo:DataPath"] is { Length: > 0 } path
        ? path
        : Path.Combine(AppContext.BaseDirectory, "DemoData");

    public async Task<DemoSeedReport> RunAsync(string area, int grids, int personCount, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var report = await divisions.ImportAsync(new FolderDivisionTables(Path.Combine(DataPath, "divisions")), cancellationToken);
        var map = await geography.SeedAsync(Path.Combine(DataPath, "boundaries"), area, grids, cancellationToken);
        var usersFile = await users.SeedAsync(area, cancellationToken);
        var gridCodes = await GridsUnderAsync(area, cancellationToken);
        var people = await persons.SeedAsync(gridCodes, Math.Clamp(personCount, 0, MaxPersons), cancellationToken);
        // The places come with their residents: a seed without persons (the tests') draws no houses either.
        DemoHousesReport? places = personCount > 0 ? await houses.SeedAsync(gridCodes, cancellationToken) : null;
        await templates.SeedAsync(area, cancellationToken);
        LogSeeded(logger, report.Changed, area, map.Grids, map.MicroGrids, people.Added, people.Elapsed.TotalMilliseconds, clock.ElapsedMilliseconds);
        return new DemoSeedReport(area, report, map, clock.Elapsed, usersFile, people, places);
    }

    /// <summary>Every grid under <paramref name="code"/>, walking down the division tree.</summary>
    private async Task<IReadOnlyList<string>> GridsUnderAsync(string code, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        var pending = new Stack<string>([code]);
        while (pending.TryPop(out var next))
        {
            foreach (var child in await divisions.ChildrenAsync(next, cancellationToken))
            {
                if (child.Level == DivisionLevel.Grid)
                {
                    found.Add(child.Code);
                }
                else if (child.Level < DivisionLevel.Grid)
                {
                    pending.Push(child.Code);
                }
            }
        }
        return found;
    }

    /// <summary>Where the demo users' sign-ins are written.</summary>
    public string UsersFilePath => users.FilePath;

    /// <summary>True when the database holds no divisions yet (a fresh install).</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken) =>
        await divisions.CountAsync(cancellationToken) == 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo seed: {Changed} divisions written; area {Area}: {Grids} grids, {MicroGrids} micro-grids drawn; {Persons} persons added in {PersonsMs:F0} ms; {Elapsed} ms")]
    private static partial void LogSeeded(ILogger logger, int changed, string area, int grids, int microGrids, int persons, double personsMs, long elapsed);
}
