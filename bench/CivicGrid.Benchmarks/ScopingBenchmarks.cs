using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using CivicGrid.Infrastructure;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Demo;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Divisions;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CivicGrid.Benchmarks;

/// <summary>
/// What jurisdiction scoping costs on PostgreSQL: one page of 50 divisions and grids read through
/// the API's use case with the global query filter of a township, a community, a grid worker, and
/// unrestricted (the baseline). Target: ≤ 20 ms p95. Needs <c>CIVICGRID_BENCH_POSTGRES</c> (a
/// server where it may create the database <c>cg_bench_scoping</c>); the demo district is seeded once.
/// </summary>
[Config(typeof(Percentiles))]
[InProcess]
[MemoryDiagnoser]
public class ScopingBenchmarks
{
    private const string Township = "150203001";
    private const string Community = "150203001019";
    private const string Grid = "150203001019003";

    private ServiceProvider? _services;
    private DbContextOptions<CivicGridDbContext>? _options;

    [GlobalSetup]
    public void Setup()
    {
        var server = Environment.GetEnvironmentVariable(PostGisBenchmarks.ConnectionVariable)
            ?? throw new InvalidOperationException($"Set {PostGisBenchmarks.ConnectionVariable} to a PostgreSQL connection string.");
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = "cg_bench_scoping" }.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Default"] = connection,
            ["DataProtection:KeyPath"] = Path.Combine(Path.GetTempPath(), "cg-bench-keys"),
            ["Security:KeyRingPath"] = Path.Combine(Path.GetTempPath(), "cg-bench-keys", "field-keys.json"),
            ["Demo:UsersFile"] = Path.Combine(Path.GetTempPath(), "cg-bench-demo-users.csv"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddCivicGrid(configuration);
        _services = services.BuildServiceProvider();
        using var scope = _services.CreateScope();
        scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync().GetAwaiter().GetResult();
        // The demo district with 1,000,000 persons (CIVICGRID_BENCH_PERSONS); a second run only tops up.
        var persons = int.TryParse(Environment.GetEnvironmentVariable("CIVICGRID_BENCH_PERSONS"), out var n) ? n : SeedDemo.MaxPersons;
        scope.ServiceProvider.GetRequiredService<SeedDemo>()
            .RunAsync(SeedDemo.DefaultArea, SeedDemo.DefaultGrids, persons, default).GetAwaiter().GetResult();
        _options = new DbContextOptionsBuilder<CivicGridDbContext>()
            .UseNpgsql(connection, npgsql => npgsql.MigrationsAssembly(DatabaseSetup.PostgresMigrations)).Options;
    }

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    private async Task<int> ListAsync(IDataScope scope, string parent, DivisionLevel? level)
    {
        await using var db = new CivicGridDbContext(_options!) { Scope = scope };
        var page = await new DivisionQueries(db).ListAsync(parent, level, null, 1, 50, default);
        return page.Value.Items.Count;
    }

    private async Task<int> PersonsAsync(IDataScope scope, string within)
    {
        await using var db = new CivicGridDbContext(_options!) { Scope = scope };
        var directory = ActivatorUtilities.CreateInstance<PersonDirectory>(_services!, db, new ScopeCaller(scope));
        var page = await directory.ListAsync(within, null, null, null, null, 1, 50, default);
        return page.Value.Items.Count;
    }

    [Benchmark(Description = "50 persons of one grid (of 1M), unrestricted")]
    public Task<int> PersonsUnrestricted() => PersonsAsync(SystemDataScope.Instance, Grid);

    [Benchmark(Description = "50 persons of one grid (of 1M), as its grid worker")]
    public Task<int> PersonsAsGridWorker() => PersonsAsync(new FixedScope([Grid]), Grid);

    [Benchmark(Description = "50 persons of one grid (of 1M), as its township")]
    public Task<int> PersonsAsTownship() => PersonsAsync(new FixedScope([Township]), Grid);

    [Benchmark(Description = "first 50 persons of a township (of 1M), as the township")]
    public Task<int> PersonsOfTownship() => PersonsAsync(new FixedScope([Township]), Township);

    [Benchmark(Baseline = true, Description = "50 grids of a community, unrestricted")]
    public Task<int> Unrestricted() => ListAsync(SystemDataScope.Instance, Community, DivisionLevel.Grid);

    [Benchmark(Description = "50 grids of a community, as its township")]
    public Task<int> AsTownship() => ListAsync(new FixedScope([Township]), Community, DivisionLevel.Grid);

    [Benchmark(Description = "50 grids of a community, as the community")]
    public Task<int> AsCommunity() => ListAsync(new FixedScope([Community]), Community, DivisionLevel.Grid);

    [Benchmark(Description = "the grids of a community, as one grid worker (sees 1)")]
    public Task<int> AsGridWorker() => ListAsync(new FixedScope([Grid]), Community, DivisionLevel.Grid);

    private sealed class FixedScope(IReadOnlyList<string> roots) : IDataScope
    {
        public bool Unrestricted => false;

        public IReadOnlyList<string> Roots => roots;

        public IReadOnlyList<string> Ancestors => [.. roots.SelectMany(DivisionCode.AncestorsOf).Distinct()];
    }

    /// <summary>The caller the use case sees: only its jurisdiction matters for a list.</summary>
    private sealed class ScopeCaller(IDataScope scope) : ICaller
    {
        public bool IsSystem => scope.Unrestricted;

        public bool IsAuthenticated => !scope.Unrestricted;

        public string Name => "bench";

        public Guid? UserId => null;

        public string? Ip => null;

        public IReadOnlyList<RoleGrant> Grants => [];

        public bool Can(string capability, string code) => true;

        public bool CanAnywhere(string capability) => true;

        public bool Covers(string code) => scope.Unrestricted || scope.Roots.Any(r => code.StartsWith(r, StringComparison.Ordinal));

        public bool Sees(string code) => Covers(code) || scope.Ancestors.Contains(code);
    }

    private sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.P95, StatisticColumn.Median);
    }
}
