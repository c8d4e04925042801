using System.Diagnostics;
using System.Globalization;
using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Demo;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Domain;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Modules.Registry.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace CivicGrid.Benchmarks;

/// <summary>
/// The ledger import's per-row pieces, each alone on one thread, warm (<c>--ledger-stages [ROWS]</c>,
/// default 100,000): reading the .csv and the .xlsx, checking and encrypting a row
/// (<see cref="RowPlan.Evaluate"/>), building its <c>Person</c>; µs and bytes allocated a row, best of
/// three rounds. No database write: that is <c>--ledger</c>'s raw bulk write.
/// </summary>
internal static class LedgerStagesConsole
{
    public static async Task<int?> RunAsync(string[] args)
    {
        if (args.FirstOrDefault() != "--ledger-stages")
        {
            return null;
        }
        var rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var folder = Directory.CreateTempSubdirectory("cg-bench-stages-");
        try
        {
            using var services = LedgerImportConsole.Host("Sqlite", $"Data Source={Path.Combine(folder.FullName, "stages.db")}", folder.FullName);
            using var scope = services.CreateScope();
            var provider = scope.ServiceProvider;
            await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            await provider.GetRequiredService<SeedDemo>().RunAsync(SeedDemo.DefaultArea, SeedDemo.DefaultGrids, 0, default);
            string[] grids = [.. await provider.GetRequiredService<CivicGridDbContext>().Set<Division>().AsNoTracking()
                .Where(d => d.Code.Length == 15).Select(d => d.Code).OrderBy(c => c).ToListAsync()];
            var csv = Path.Combine(folder.FullName, "ledger.csv");
            var xlsx = Path.Combine(folder.FullName, "ledger.xlsx");
            using (var output = File.Create(csv))
            {
                DemoLedger.WriteCsv(output, DemoLedger.Rows(rows, grids).Select(r => r.Cells), Encoding.UTF8);
            }
            using (var output = File.Create(xlsx))
            {
                DemoLedger.WriteXlsx(output, DemoLedger.Rows(rows, grids).Select(r => r.Cells));
            }
            var excel = Path.Combine(folder.FullName, "ledger-shared-strings.xlsx");
            using (var output = File.Create(excel))
            {
                SharedStringsXlsx.Write(output, new[] { DemoLedger.Headers }.Concat(DemoLedger.Rows(rows, grids).Select(r => r.Cells)));
            }
            // CIVICGRID_BENCH_LEDGER_KEEP=DIR keeps a copy of it (for timing the CLI on it).
            if (Environment.GetEnvironmentVariable("CIVICGRID_BENCH_LEDGER_KEEP") is { Length: > 0 } keep)
            {
                Directory.CreateDirectory(keep);
                File.Copy(excel, Path.Combine(keep, Path.GetFileName(excel)), overwrite: true);
            }

            Console.WriteLine($"ledger import stages, {rows:N0} rows, one thread each, best of 3, {Environment.OSVersion}, .NET {Environment.Version}");
            Console.WriteLine("| stage | µs a row | bytes allocated a row |");
            Console.WriteLine("|---|---|---|");
            List<LedgerRow> read = [];
            IReadOnlyList<string> headers = [];
            var counts = new List<int>();
            foreach (var file in new[] { csv, xlsx, excel })
            {
                Report(file == excel ? "read the .xlsx as Excel saves it (shared strings)" : $"read the {Path.GetExtension(file)}", rows, () =>
                {
                    using var ledger = LedgerFile.Open(File.OpenRead(file), file);
                    headers = ledger.Headers;
                    read = [.. ledger.Rows];
                });
                counts.Add(read.Count);
            }
            // The reader it replaced, for the comparison (docs/adr/0028): MiniExcel's dictionary per row, then the cells as text.
            foreach (var file in new[] { xlsx, excel })
            {
                Report(file == excel ? "MiniExcel, before: the .xlsx as Excel saves it" : "MiniExcel, before: the .xlsx", rows, () =>
                {
                    using var stream = File.OpenRead(file);
                    var count = 0;
                    foreach (IDictionary<string, object?> row in MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX))
                    {
                        var cells = new string?[row.Count];
                        var i = 0;
                        foreach (var value in row.Values)
                        {
                            cells[i++] = value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString();
                        }
                        count += cells.Length > 0 ? 1 : 0;
                    }
                    counts.Add(count - 1);
                });
            }
            if (counts.Distinct().Count() != 1)
            {
                throw new InvalidOperationException($"the three files read as {string.Join(", ", counts)} rows");
            }
            var columns = LedgerColumns.Resolve(headers, null);
            var plan = new RowPlan(columns, provider.GetRequiredService<IFieldProtector>(), TimeProvider.System);
            var places = new GridPlaces(provider.GetRequiredService<ICaller>(), provider.GetRequiredService<IDivisionDirectory>(), null);
            await places.ResolveAsync(read.Select(r => (columns.Cell(r, LedgerField.GridCode), columns.Cell(r, LedgerField.GridName))), default);
            var outcomes = new RowOutcome[read.Count];
            Report("check, encrypt, index (RowPlan.Evaluate)", rows, () =>
            {
                for (var i = 0; i < read.Count; i++)
                {
                    outcomes[i] = plan.Evaluate(read[i], places);
                }
            });
            var bad = outcomes.Count(o => o.Problems.Count > 0);
            if (bad > 0)
            {
                throw new InvalidOperationException($"{bad} rows rejected: {outcomes.First(o => o.Problems.Count > 0).Problems[0]}");
            }
            var now = TimeProvider.System.GetUtcNow();
            Report("build the Person (ToPerson, its id as the import makes it)", rows, () =>
            {
                var ids = new OrderedIds(now);
                foreach (var outcome in outcomes)
                {
                    GC.KeepAlive(outcome.ToPerson(ids.Next(), now, "bench"));
                }
            });
            // The client's side of the bulk write (this process's CPU while the rows go out), with CIVICGRID_BENCH_POSTGRES.
            if (LedgerImportConsole.FreshPostgres("cg_bench_stages") is { } connection)
            {
                using var postgres = LedgerImportConsole.Host("Postgres", connection, folder.FullName);
                using var pgScope = postgres.CreateScope();
                await pgScope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
                var ids = new OrderedIds(now);
                var persons = outcomes.Select(o => o.ToPerson(ids.Next(), now, "bench")).ToList();
                var db = pgScope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
                for (var round = 0; round < 3; round++)
                {
                    await db.Database.ExecuteSqlRawAsync("TRUNCATE registry_persons CASCADE");
                    using var process = Process.GetCurrentProcess();
                    var cpu = process.TotalProcessorTime;
                    var allocated = GC.GetTotalAllocatedBytes(precise: true);
                    var clock = Stopwatch.StartNew();
                    await BulkWriter.InsertAsync(db, persons);
                    clock.Stop();
                    process.Refresh();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| COPY to PostgreSQL, round {round + 1}: this process's CPU (elapsed) | {(process.TotalProcessorTime - cpu).TotalMicroseconds / rows:F2} ({clock.Elapsed.TotalMicroseconds / rows:F2}) | {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / rows:N0} |"));
                }
            }
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void Report(string stage, int rows, Action run)
    {
        run(); // warm
        var best = TimeSpan.MaxValue;
        long bytes = 0;
        for (var round = 0; round < 3; round++)
        {
            GC.Collect();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            run();
            clock.Stop();
            if (clock.Elapsed < best)
            {
                best = clock.Elapsed;
                bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {stage} | {best.TotalMicroseconds / rows:F2} | {bytes / rows:N0} |"));
    }
}
