using System.Diagnostics;
using System.Globalization;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Demo;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CivicGrid.Benchmarks;

/// <summary>
/// Person search at scale (<c>--search [PERSONS]</c>, default 1,000,000): what <c>GET /api/v1/persons?within=TOWNSHIP&amp;q=…</c>
/// costs (<see cref="PersonDirectory.ListAsync"/>: count + first page of 20, masked views, through the
/// township's jurisdiction filter) for name searches — pinyin initials ("zs" finds 张三), a surname,
/// a given-name character, a full name — and the last 4 digits of an ID number or phone. Runs on
/// SQLite (a kept file under /tmp/cg-bench-search/, seeded once) and, with <c>CIVICGRID_BENCH_POSTGRES</c>,
/// on PostgreSQL (database <c>cg_bench_search</c>, seeded once). The queries are drawn from the seeded
/// persons' own names, 10 warm-up and 200 timed searches per kind, round-robin over the district's townships.
/// </summary>
internal static class SearchConsole
{
    private const int Warmup = 10;
    private const int Runs = 200;

    public static int? Run(string[] args)
    {
        if (args.FirstOrDefault() != "--search")
        {
            return null;
        }
        var persons = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : SeedDemo.MaxPersons;
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "cg-bench-search"));
        Console.WriteLine($"person search, district {SeedDemo.DefaultArea}, {persons:N0} persons, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}");
        Console.WriteLine("| database | search within a township | matches (median) | p50 | p95 | max |");
        Console.WriteLine("|---|---|---|---|---|---|");
        RunOn("SQLite", "Sqlite", $"Data Source={Path.Combine(folder.FullName, $"bench-{persons}.db")}", persons, folder.FullName);
        if (Environment.GetEnvironmentVariable(PostGisBenchmarks.ConnectionVariable) is { } server)
        {
            var database = $"cg_bench_search_{persons}";
            using (var admin = new NpgsqlConnection(server))
            {
                admin.Open();
                using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{database}'", admin);
                if (exists.ExecuteScalar() is null)
                {
                    using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
                    create.ExecuteNonQuery();
                }
            }
            RunOn("PostgreSQL", "Postgres", new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString, persons, folder.FullName);
        }
        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;
    }

    private static void RunOn(string label, string provider, string connection, int persons, string folder)
    {
        using var services = LedgerImportConsole.Host(provider, connection, folder);
        List<string> townships;
        List<string> names;
        using (var scope = services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync().GetAwaiter().GetResult();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            if (db.Set<Person>().Count() < persons)
            {
                var seeding = Stopwatch.StartNew();
                scope.ServiceProvider.GetRequiredService<SeedDemo>().RunAsync(SeedDemo.DefaultArea, SeedDemo.DefaultGrids, persons, default)
                    .GetAwaiter().GetResult();
                db.Database.ExecuteSqlRaw("ANALYZE");
                Console.Error.WriteLine($"{label}: seeded {persons:N0} persons in {seeding.Elapsed.TotalSeconds:F0} s");
            }
            townships = [.. db.Set<Person>().AsNoTracking().Select(p => p.GridCode.Substring(0, 9)).Distinct().OrderBy(c => c)];
            names = [.. db.Set<Person>().AsNoTracking().OrderBy(p => p.Id).Select(p => p.Name).Take(5000).AsEnumerable()
                .Where(n => n.Length >= 2 && PinyinInitials.Of(n).Length >= 2)];
        }

        var random = new Random(2026);
        string Pick() => names[random.Next(names.Count)];
        var kinds = new (string Kind, Func<string> Query)[]
        {
            ("pinyin initials of a full name (\"zs\")", () => PinyinInitials.Of(Pick())),
            ("pinyin initials of the surname + 1 (\"zs…\", 2 letters)", () => PinyinInitials.Of(Pick())[..2]),
            ("surname (\"张\")", () => Pick()[..1]),
            ("a given-name character (\"伟\")", () => Pick()[^1..]),
            ("full name (\"张伟\")", Pick),
            ("last 4 digits of an ID number or phone", () => random.Next(10_000).ToString("D4", CultureInfo.InvariantCulture)),
        };
        foreach (var (kind, query) in kinds)
        {
            var samples = new List<double>();
            var matches = new List<int>();
            for (var run = 0; run < Warmup + Runs; run++)
            {
                var township = townships[run % townships.Count];
                var text = query();
                using var scope = services.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
                db.Scope = new TownshipScope(township);
                var directory = ActivatorUtilities.CreateInstance<PersonDirectory>(scope.ServiceProvider, db, new TownshipCaller(township));
                var last4 = kind.StartsWith("last 4", StringComparison.Ordinal);
                var clock = Stopwatch.StartNew();
                var page = directory.ListAsync(township, last4 ? null : text, null, last4 ? text : null, null, 1, 20, default).GetAwaiter().GetResult();
                clock.Stop();
                if (!page.IsSuccess)
                {
                    throw new InvalidOperationException($"{kind} '{text}' in {township}: {page.Error!.Message}");
                }
                if (run >= Warmup)
                {
                    samples.Add(clock.Elapsed.TotalMilliseconds);
                    matches.Add(page.Value.Total);
                }
            }
            samples.Sort();
            matches.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {kind} | {matches[matches.Count / 2]:N0} | {samples[samples.Count / 2]:F1} ms | {samples[(int)Math.Ceiling(samples.Count * 0.95) - 1]:F1} ms | {samples[^1]:F1} ms |"));
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private sealed class TownshipScope(string township) : IDataScope
    {
        public bool Unrestricted => false;

        public IReadOnlyList<string> Roots => [township];

        public IReadOnlyList<string> Ancestors => DivisionCode.AncestorsOf(township).ToList();
    }

    /// <summary>A township officer: sees and reads (masked) his township's persons.</summary>
    private sealed class TownshipCaller(string township) : ICaller
    {
        public bool IsSystem => false;

        public bool IsAuthenticated => true;

        public string Name => "bench-township";

        public Guid? UserId => null;

        public string? Ip => null;

        public IReadOnlyList<RoleGrant> Grants => [new RoleGrant(Roles.Township, township)];

        public bool Can(string capability, string code) => Covers(code) && Capabilities.Grants[Roles.Township].Contains(capability);

        public bool CanAnywhere(string capability) => Capabilities.Grants[Roles.Township].Contains(capability);

        public bool Covers(string code) => code.StartsWith(township, StringComparison.Ordinal);

        public bool Sees(string code) => Covers(code) || township.StartsWith(code, StringComparison.Ordinal);
    }
}
