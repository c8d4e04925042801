using System.Diagnostics;
using System.Globalization;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Demo;
using CivicGrid.Modules.Registry.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Benchmarks;

/// <summary>
/// 一表通 fill for the whole demo district (<c>--template [PERSONS]</c>, default 50,000): seeds the district's
/// 1,391 grids and the persons on SQLite (a temp file) and, with <c>CIVICGRID_BENCH_POSTGRES</c>, on
/// PostgreSQL (database <c>cg_bench_templates</c>, recreated); then fills each demo template and one
/// listing everybody (every field, numbers masked) for the district, 3 warm-up and 20 timed runs each,
/// and times one .xlsx export of the everybody template.
/// </summary>
internal static class TemplateConsole
{
    private const int Runs = 20;
    private const string Everybody = "全体人员（压力测试）";

    public static int? Run(string[] args)
    {
        if (args.FirstOrDefault() != "--template")
        {
            return null;
        }
        var persons = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
        var folder = Directory.CreateTempSubdirectory("cg-bench-template-");
        try
        {
            Console.WriteLine($"一表通 fill, district {SeedDemo.DefaultArea} ({SeedDemo.DefaultGrids} grids), {persons:N0} persons, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}");
            // The machine is shared: the process's own CPU time per fill says what the wall time would be on an idle one (SQLite runs in process; PostgreSQL's server time is not in it).
            Console.WriteLine("| database | template | rows | p50 | p95 | max | CPU of this process p50 |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            RunOn("SQLite", "Sqlite", $"Data Source={Path.Combine(folder.FullName, "bench.db")}", persons, folder.FullName);
            if (LedgerImportConsole.FreshPostgres("cg_bench_templates") is { } connection)
            {
                RunOn("PostgreSQL", "Postgres", connection, persons, folder.FullName);
            }
            Console.WriteLine($"load average after: {LoadAverage()}");
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void RunOn(string label, string provider, string connection, int persons, string folder)
    {
        using var services = LedgerImportConsole.Host(provider, connection, folder);
        var ids = new List<(string Name, Guid Id)>();
        using (var scope = services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync().GetAwaiter().GetResult();
            var seeding = Stopwatch.StartNew();
            scope.ServiceProvider.GetRequiredService<SeedDemo>().RunAsync(SeedDemo.DefaultArea, SeedDemo.DefaultGrids, persons, default)
                .GetAwaiter().GetResult();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            db.Database.ExecuteSqlRaw("ANALYZE");
            Console.Error.WriteLine($"{label}: seeded in {seeding.Elapsed.TotalSeconds:F1} s");
            if (!db.Set<ReportTemplate>().Any(t => t.Name == Everybody))
            {
                var now = TimeProvider.System.GetUtcNow();
                db.Add(new ReportTemplate(Guid.CreateVersion7(now), now, "bench")
                {
                    Name = Everybody,
                    OwnerCode = SeedDemo.DefaultArea,
                    Filter = TemplateFilter.Everyone,
                    Columns = [.. TemplateCatalog.Derived.Select(d => new TemplateColumn(ColumnKinds.Derived, d.Key, d.Value))
                        .Concat(TemplateCatalog.Fields.Select(f => new TemplateColumn(ColumnKinds.Field, f.Key, f.Value)))],
                });
                db.SaveChanges();
            }
            ids.AddRange(db.Set<ReportTemplate>().OrderBy(t => t.CreatedAt).Select(t => new { t.Name, t.Id }).AsEnumerable().Select(t => (t.Name, t.Id)));
        }

        using var self = Process.GetCurrentProcess();
        foreach (var (name, id) in ids)
        {
            var samples = new List<double>();
            var cpu = new List<double>();
            var rows = 0;
            for (var run = 0; run < Runs + 3; run++)
            {
                using var scope = services.CreateScope();
                var fill = scope.ServiceProvider.GetRequiredService<TemplateFill>();
                self.Refresh();
                var cpuBefore = self.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var result = fill.FillAsync(id, SeedDemo.DefaultArea, default).GetAwaiter().GetResult();
                clock.Stop();
                self.Refresh();
                var cpuUsed = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds;
                rows = result.Value.Total;
                if (run >= 3)
                {
                    samples.Add(clock.Elapsed.TotalMilliseconds);
                    cpu.Add(cpuUsed);
                }
            }
            samples.Sort();
            cpu.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {name} | {rows:N0} | {samples[samples.Count / 2]:F0} ms | {samples[(int)Math.Ceiling(samples.Count * 0.95) - 1]:F0} ms | {samples[^1]:F0} ms | {cpu[cpu.Count / 2]:F0} ms |"));
        }

        using (var scope = services.CreateScope())
        {
            var clock = Stopwatch.StartNew();
            var export = scope.ServiceProvider.GetRequiredService<TemplateFill>()
                .ExportAsync(ids.Single(t => t.Name == Everybody).Id, SeedDemo.DefaultArea, unmasked: false, null, default).GetAwaiter().GetResult();
            using var file = export.Value.File;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | export.xlsx of {Everybody} | {file.Length / 1048576.0:F1} MB | {clock.Elapsed.TotalMilliseconds:F0} ms (one run) | | | |"));
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
