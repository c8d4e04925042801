using BenchmarkDotNet.Attributes;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Divisions;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Benchmarks;

/// <summary>
/// Importing the shipped division tables (16,325 rows) into a fresh, migrated SQLite file: the
/// bulk path (prepared inserts in one transaction) that the demo seed and `import divisions` use.
/// </summary>
[MemoryDiagnoser]
[InProcess]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class DivisionImportBenchmarks
{
    private string _folder = string.Empty;
    private CivicGridDbContext? _db;

    private static string Tables => Path.Combine(AppContext.BaseDirectory, "DemoData", "divisions");

    [IterationSetup]
    public void FreshDatabase()
    {
        _folder = Directory.CreateTempSubdirectory("cg-bench-").FullName;
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_folder, "bench.db")}");
        var options = DatabaseSetup.Configure(new DbContextOptionsBuilder<CivicGridDbContext>(), settings);
        _db = new CivicGridDbContext((DbContextOptions<CivicGridDbContext>)options.Options);
        new DatabaseMigrator(_db, settings).MigrateAsync().GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void Drop()
    {
        _db?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Description = "import 16,325 divisions into SQLite")]
    public async Task<int> ImportShippedTables()
    {
        var report = await new DivisionDirectory(_db!, new CivicGrid.Modules.Identity.Auth.Caller(new Microsoft.AspNetCore.Http.HttpContextAccessor())).ImportAsync(new FolderDivisionTables(Tables));
        return report.Changed;
    }
}
