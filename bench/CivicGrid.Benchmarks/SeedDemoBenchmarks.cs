using BenchmarkDotNet.Attributes;
using CivicGrid.Infrastructure;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Demo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Benchmarks;

/// <summary>
/// The whole demo seed on a fresh, migrated SQLite file: the shipped division tables, Baotou's
/// outlines and the partition of Kundulun into 16 townships, 112 communities and 1,391 grids with
/// their micro-grids. Target: ≤ 20 s.
/// </summary>
[MemoryDiagnoser]
[InProcess]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SeedDemoBenchmarks
{
    private string _folder = string.Empty;
    private ServiceProvider? _services;

    [IterationSetup]
    public void FreshDatabase()
    {
        _folder = Directory.CreateTempSubdirectory("cg-seed-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = $"Data Source={Path.Combine(_folder, "seed.db")}",
            ["DataProtection:KeyPath"] = Path.Combine(_folder, "keys"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddCivicGrid(configuration);
        _services = services.BuildServiceProvider();
        using var scope = _services.CreateScope();
        scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync().GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void Drop()
    {
        _services?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Description = "seed demo (divisions + Kundulun partition) into SQLite")]
    public async Task<int> SeedKundulun()
    {
        await using var scope = _services!.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<SeedDemo>().RunAsync(SeedDemo.DefaultArea, SeedDemo.DefaultGrids, 0, default);
        return report.Geography.Grids;
    }
}
