using System.Diagnostics;
using System.Globalization;
using System.Text;
using CivicGrid.Infrastructure;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Demo;
using CivicGrid.Modules.Geography.Domain;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Modules.Registry.Import;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CivicGrid.Benchmarks;

/// <summary>
/// The ledger import end to end (<c>--ledger [ROWS]</c>, default 100,000): a realistic person ledger
/// as .csv and .xlsx, imported into an empty table on SQLite (a temp file) and, with
/// <c>CIVICGRID_BENCH_POSTGRES</c>, on PostgreSQL (database <c>cg_bench_ledger</c>, recreated): rows/s,
/// after two 20,000-row imports of each format (JIT), the peak working set sampled during the import, a re-import of the same file (all unchanged),
/// and a raw bulk write (COPY / prepared inserts) of the same rows, already encrypted, for the ratio.
/// </summary>
internal static class LedgerImportConsole
{
    private const int WarmUpRows = 20_000;

    public static int? Run(string[] args)
    {
        if (args.FirstOrDefault() != "--ledger")
        {
            return null;
        }
        var rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var folder = Directory.CreateTempSubdirectory("cg-bench-ledger-");
        try
        {
            // The app runs the server GC (the web SDK's default): DOTNET_gcServer=1 times the import as it runs there.
            Console.WriteLine($"ledger import, {rows:N0} rows, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
            Console.WriteLine("| database | file | size | rows/s | elapsed | peak working set (at start) | CPU of this process (GC pauses, gen2 GCs) | re-import (unchanged) rows/s | raw bulk write rows/s | import / raw |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            // CIVICGRID_BENCH_LEDGER_ONLY=SQLite|PostgreSQL runs one database (for a profiler).
            var only = Environment.GetEnvironmentVariable("CIVICGRID_BENCH_LEDGER_ONLY");
            if (only is null or "SQLite")
            {
                RunOn("SQLite", "Sqlite", $"Data Source={Path.Combine(folder.FullName, "bench.db")}", rows, folder.FullName);
            }
            if (only is null or "PostgreSQL" && FreshPostgres("cg_bench_ledger") is { } connection)
            {
                RunOn("PostgreSQL", "Postgres", connection, rows, folder.FullName);
            }
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The platform's services on a database (migrated by the caller), with keys and demo users in <paramref name="folder"/>.</summary>
    internal static ServiceProvider Host(string provider, string connection, string folder)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Default"] = connection,
            ["DataProtection:KeyPath"] = Path.Combine(folder, "keys"),
            ["Security:KeyRingPath"] = Path.Combine(folder, "keys", "field-keys.json"),
            ["Demo:UsersFile"] = Path.Combine(folder, "demo-users.csv"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddCivicGrid(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>A fresh PostgreSQL database on the server of <c>CIVICGRID_BENCH_POSTGRES</c>, or null when it is not set.</summary>
    internal static string? FreshPostgres(string database)
    {
        if (Environment.GetEnvironmentVariable(PostGisBenchmarks.ConnectionVariable) is not { } server)
        {
            return null;
        }
        using (var admin = new NpgsqlConnection(server))
        {
            admin.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            drop.ExecuteNonQuery();
            using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    private static void RunOn(string label, string provider, string connection, int rows, string folder)
    {
        using var provider2 = Host(provider, connection, folder);
        string[] grids;
        using (var scope = provider2.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync().GetAwaiter().GetResult();
            scope.ServiceProvider.GetRequiredService<SeedDemo>().RunAsync(SeedDemo.DefaultArea, SeedDemo.DefaultGrids, 0, default)
                .GetAwaiter().GetResult();
            grids = [.. scope.ServiceProvider.GetRequiredService<CivicGridDbContext>().Set<Division>().AsNoTracking()
                .Where(d => d.Code.Length == 15).Select(d => d.Code).OrderBy(c => c).ToList()];
        }

        var csv = Path.Combine(folder, "ledger.csv");
        var xlsx = Path.Combine(folder, "ledger.xlsx");
        using (var output = File.Create(csv))
        {
            DemoLedger.WriteCsv(output, DemoLedger.Rows(rows, grids).Select(r => r.Cells), Encoding.UTF8);
        }
        using (var output = File.Create(xlsx))
        {
            DemoLedger.WriteXlsx(output, DemoLedger.Rows(rows, grids).Select(r => r.Cells));
        }

        // CIVICGRID_BENCH_LEDGER_KEEP=DIR keeps a copy of the two ledgers (for timing the CLI on them).
        if (Environment.GetEnvironmentVariable("CIVICGRID_BENCH_LEDGER_KEEP") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(csv, Path.Combine(keep, Path.GetFileName(csv)), overwrite: true);
            File.Copy(xlsx, Path.Combine(keep, Path.GetFileName(xlsx)), overwrite: true);
        }
        // Two short imports of each format first: the figures are the import's in a running server, not the JIT's (a first import in
        // a fresh process, as the CLI runs it, is timed apart with the CLI itself: bench/RESULTS.md).
        foreach (var (file, format) in new[] { (csv, ".csv"), (xlsx, ".xlsx") })
        {
            var warm = Path.Combine(folder, "warm" + format);
            using (var output = File.Create(warm))
            {
                var cells = DemoLedger.Rows(WarmUpRows, grids, offset: rows).Select(r => r.Cells);
                if (format == ".csv")
                {
                    DemoLedger.WriteCsv(output, cells, Encoding.UTF8);
                }
                else
                {
                    DemoLedger.WriteXlsx(output, cells);
                }
            }
            for (var round = 0; round < 2; round++)
            {
                Clear(provider2);
                Import(provider2, warm);
            }
        }
        // CIVICGRID_BENCH_LEDGER_REPEAT=N times each file N times (default once): the spread, or a profile of the steady state.
        var repeat = int.TryParse(Environment.GetEnvironmentVariable("CIVICGRID_BENCH_LEDGER_REPEAT"), out var n) && n > 0 ? n : 1;
        foreach (var file in Enumerable.Repeat(new[] { csv, xlsx }, repeat).SelectMany(f => f))
        {
            Clear(provider2);
            var (elapsed, peak, report, start, cpu, gc) = Import(provider2, file);
            if (report.Imported != rows)
            {
                throw new InvalidOperationException($"{label} {file}: imported {report.Imported} of {rows}, rejected {report.Rejected}: {string.Join("; ", report.Errors.Take(3))}");
            }
            var (again, _, second, _, _, _) = Import(provider2, file);
            if (second.Unchanged != rows)
            {
                throw new InvalidOperationException($"{label} {file}: the re-import found {second.Unchanged} unchanged of {rows}");
            }
            var raw = RawWrite(provider2, grids, rows);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {Path.GetExtension(file)} | {new FileInfo(file).Length / 1048576.0:F1} MB | {rows / elapsed.TotalSeconds:N0} | {elapsed.TotalSeconds:F2} s | {peak / 1048576.0:F0} MB ({start / 1048576.0:F0} MB) | {cpu.TotalSeconds:F2} s ({gc.Pause.TotalSeconds:F2} s, {gc.Gen2}) | {rows / again.TotalSeconds:N0} | {rows / raw.TotalSeconds:N0} | {raw.TotalSeconds / elapsed.TotalSeconds:P0} |"));
        }
    }

    private static (TimeSpan Elapsed, long PeakWorkingSet, LedgerImportReport Report, long StartWorkingSet, TimeSpan Cpu,
        (TimeSpan Pause, int Gen2) Gc) Import(
        IServiceProvider services, string file)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var start = process.WorkingSet64;
        var cpu = process.TotalProcessorTime;
        var pause = GC.GetTotalPauseDuration();
        var gen2 = GC.CollectionCount(2);
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(20).ConfigureAwait(false);
            }
        });
        using var scope = services.CreateScope();
        var clock = Stopwatch.StartNew();
        using var stream = File.OpenRead(file);
        var result = scope.ServiceProvider.GetRequiredService<PersonImporter>()
            .ImportAsync(stream, new LedgerImportOptions(Path.GetFileName(file), RejectsPath: file + ".rejects.xlsx"), default)
            .GetAwaiter().GetResult();
        clock.Stop();
        sampling.Cancel();
        sampler.GetAwaiter().GetResult();
        process.Refresh();
        return (clock.Elapsed, peak, result.Value, start, process.TotalProcessorTime - cpu,
            (GC.GetTotalPauseDuration() - pause, GC.CollectionCount(2) - gen2));
    }

    /// <summary>The same rows, built and encrypted beforehand, written by the bulk path alone into an empty table.</summary>
    private static TimeSpan RawWrite(IServiceProvider services, string[] grids, int rows)
    {
        Clear(services);
        using var scope = services.CreateScope();
        var protector = scope.ServiceProvider.GetRequiredService<IFieldProtector>();
        var now = TimeProvider.System.GetUtcNow();
        // Ids as the import makes them (ascending), so the ratio compares the same writes.
        var ids = new OrderedIds(now);
        var persons = DemoLedger.Rows(rows, grids).Select(r => new Person(ids.Next(), now, "bench")
        {
            Name = r.Cells[0],
            NameInitials = PinyinInitials.Of(r.Cells[0]),
            DocumentType = DocumentType.IdCard,
            DocumentCipher = protector.Encrypt(r.Cells[1], FieldKind.IdNumber),
            DocumentIndex = protector.BlindIndex(r.Cells[1], FieldKind.IdNumber),
            DocumentTailIndex = protector.BlindIndex(r.Cells[1][^4..], FieldKind.IdNumber),
            PhoneCipher = protector.Encrypt(r.Cells[5], FieldKind.Phone),
            PhoneIndex = protector.BlindIndex(r.Cells[5], FieldKind.Phone),
            PhoneTailIndex = protector.BlindIndex(r.Cells[5][^4..], FieldKind.Phone),
            Sex = r.Cells[2] == "男" ? Sex.Male : Sex.Female,
            BirthDate = DateOnly.Parse(r.Cells[4], CultureInfo.InvariantCulture),
            EthnicityCode = Ethnicities.Resolve(r.Cells[3]),
            HouseholdType = HouseholdType.Registered,
            Address = r.Cells[7],
            GridCode = r.Cells[8],
        }).ToList();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var clock = Stopwatch.StartNew();
        BulkWriter.InsertAsync(db, persons).GetAwaiter().GetResult();
        return clock.Elapsed;
    }

    /// <summary>An empty person table. On PostgreSQL a TRUNCATE: a DELETE would leave every index full of dead entries until a vacuum.</summary>
    private static void Clear(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        if (DatabaseMigrator.IsSqlite(db))
        {
            db.Set<Person>().IgnoreQueryFilters().ExecuteDelete();
        }
        else
        {
            db.Database.ExecuteSqlRaw("TRUNCATE registry_persons CASCADE");
        }
    }
}
