using System.Diagnostics;
using System.Globalization;
using CivicGrid.Infrastructure;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Cases.Deadlines;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CivicGrid.Benchmarks;

/// <summary>
/// <c>--sweep [N]</c>: the case deadline sweep (warnings, overdue, escalation to the township) over N
/// open cases (default 1,000,000) on PostgreSQL (<c>CIVICGRID_BENCH_POSTGRES</c>; database
/// <c>cg_bench_sweep</c>, recreated). Seeds the cases by COPY, then times three sweeps of the real
/// job: a normal minute (1% of the cases turning yellow, 1% red of which half escalate), the next
/// minute (nothing due), and a backlog (every remaining case turning yellow at once, as after a
/// long outage). Prints one line per sweep with what it did and how long it took.
/// </summary>
internal static class CaseSweepConsole
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        // Monday 30 November 2026, 10:00 in Beijing: working time.
        var clock = new SettableTime(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero));
        await using var provider = await SetUpAsync("cg_bench_sweep", clock);
        await SeedAsync(provider, Cases(count, clock.GetUtcNow()), count);
        var job = provider.GetRequiredService<CaseDeadlineJob>();
        await TimeAsync("a normal minute (1% yellow, 1% red, half of them escalated)", job);
        clock.Advance(TimeSpan.FromMinutes(1));
        await TimeAsync("the next minute (nothing due)", job);
        clock.Advance(TimeSpan.FromDays(12));
        await TimeAsync("a backlog (every other case turns yellow at once)", job);
        return 0;
    }

    /// <summary>
    /// <c>--evaluation [N]</c>: 综合评价 of one township over a year of N cases (default 200,000) in
    /// its grids, with every figure's counters filled; times the use case (as the system) 30 times
    /// after 3 warm-ups and prints p50/p95/max.
    /// </summary>
    public static async Task<int> EvaluationAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
        var clock = new SettableTime(new DateTimeOffset(2026, 12, 31, 2, 0, 0, TimeSpan.Zero));
        await using var provider = await SetUpAsync("cg_bench_evaluation", clock);
        await SeedAsync(provider, YearOfCases(count, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), count);
        var samples = new List<double>();
        CaseEvaluationReport? last = null;
        for (var i = 0; i < 33; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            var evaluation = scope.ServiceProvider.GetRequiredService<CaseEvaluation>();
            var watch = Stopwatch.StartNew();
            var result = await evaluation.HandleAsync("150203001", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), "division", default);
            watch.Stop();
            last = result.Value;
            if (i >= 3)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        samples.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaluation of township 150203001 for 2026 ({last!.Total.Received:N0} cases, {last.Rows.Count} communities, by division): p50 {samples[samples.Count / 2]:F1} ms, p95 {samples[(int)Math.Ceiling(samples.Count * 0.95) - 1]:F1} ms, max {samples[^1]:F1} ms over {samples.Count} runs"));
        return 0;
    }

    private static async Task<ServiceProvider> SetUpAsync(string database, TimeProvider clock)
    {
        var server = Environment.GetEnvironmentVariable(PostGisBenchmarks.ConnectionVariable)
            ?? throw new InvalidOperationException($"Set {PostGisBenchmarks.ConnectionVariable} to a PostgreSQL connection string.");
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Default"] = connection,
            ["DataProtection:KeyPath"] = Path.Combine(Path.GetTempPath(), "cg-bench-keys"),
            ["Security:KeyRingPath"] = Path.Combine(Path.GetTempPath(), "cg-bench-keys", "field-keys.json"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddCivicGrid(configuration);
        services.AddSingleton(clock);
        var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        // The evaluation names divisions: the demo district's divisions and grids.
        await scope.ServiceProvider.GetRequiredService<CivicGrid.Modules.Demo.SeedDemo>()
            .RunAsync(CivicGrid.Modules.Demo.SeedDemo.DefaultArea, CivicGrid.Modules.Demo.SeedDemo.DefaultGrids, 0, default);
        return provider;
    }

    private static async Task SeedAsync(ServiceProvider provider, IEnumerable<Case> cases, int count)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var seeding = Stopwatch.StartNew();
        await BulkWriter.InsertAsync(db, cases);
        // As autovacuum leaves a table that has settled: statistics, hint bits and the visibility map set
        // (right after a COPY every first read of a page also writes it).
        await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE cases");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeded {count:N0} cases by COPY in {seeding.Elapsed.TotalSeconds:F1} s; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
    }

    /// <summary>A year of cases in township 150203001's grids, at every stage of the loop, some late, some reworked.</summary>
    private static IEnumerable<Case> YearOfCases(int count, DateTimeOffset start)
    {
        string[] satisfactions = ["satisfied", "fairly_satisfied", "dissatisfied"];
        for (var i = 0; i < count; i++)
        {
            var at = start + TimeSpan.FromMinutes(i * (525_600.0 / count));
            var grid = string.Create(CultureInfo.InvariantCulture, $"150203001{1 + i % 19:D3}{1 + i % 7:D3}");
            var c = new Case(Guid.CreateVersion7(at), string.Create(CultureInfo.InvariantCulture, $"SJ-2026-{i:D7}"), "0301",
                109.8, 40.6, grid, "压力测试", CaseChannels.Patrol, null, "bench", null, at);
            c.StartClock(at, at + TimeSpan.FromHours(1), at + TimeSpan.FromHours(i % 10 == 0 ? 0 : 2));
            if (i % 20 != 0)
            {
                c.Transition("accept", CaseStates.Accepted, "bench", null, null, at + TimeSpan.FromMinutes(30));
                c.Transition("dispatch", CaseStates.Dispatched, "bench", null, null, at + TimeSpan.FromMinutes(40));
                if (i % 33 == 0)
                {
                    c.Transition("decline", CaseStates.Accepted, "bench", null, null, at + TimeSpan.FromMinutes(50));
                    c.Transition("dispatch", CaseStates.Dispatched, "bench", null, null, at + TimeSpan.FromMinutes(60));
                }
                c.AssignTo(i % 3 == 0 ? "urban-management" : "grid-worker-" + (i % 40));
                if (i % 10 != 1)
                {
                    c.Transition("report", CaseStates.ReportedBack, "worker-" + (i % 40), null, null, at + TimeSpan.FromHours(1 + i % 5));
                    if (i % 12 == 0)
                    {
                        c.Transition("return", CaseStates.Dispatched, "bench", null, null, at + TimeSpan.FromHours(6));
                        c.Transition("report", CaseStates.ReportedBack, "worker-" + (i % 40), null, null, at + TimeSpan.FromHours(8));
                    }
                    c.Transition("verify", CaseStates.Verified, "bench", null, null, at + TimeSpan.FromHours(9));
                    c.Transition("close", CaseStates.Closed, "bench", null, null, at + TimeSpan.FromHours(10));
                    if (i % 4 == 0)
                    {
                        c.Transition("followup", CaseStates.FollowedUp, "bench", null, null, at + TimeSpan.FromHours(30));
                        c.Rate(satisfactions[i % 3]);
                    }
                }
            }
            c.StopClock();
            yield return c;
        }
    }

    private static async Task TimeAsync(string what, CaseDeadlineJob job)
    {
        var watch = Stopwatch.StartNew();
        var sweep = await job.RunOnceAsync(default);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep over the open cases, {what}: {sweep.Warned:N0} warned, {sweep.Overdue:N0} overdue, {sweep.Escalated:N0} escalated in {watch.Elapsed.TotalSeconds:F2} s"));
    }

    /// <summary>
    /// N open cases: every 100th is past its warning instant, every 100th (offset 50) past its
    /// deadline (half of those dispatched to a grid worker, so the sweep escalates them); the rest
    /// warn in ten days and fall due in twenty.
    /// </summary>
    private static IEnumerable<Case> Cases(int count, DateTimeOffset now)
    {
        for (var i = 0; i < count; i++)
        {
            var at = now - TimeSpan.FromMinutes(i % 600);
            var grid = string.Create(CultureInfo.InvariantCulture, $"150203{1 + i % 15:D3}{1 + i % 9:D3}{1 + i % 12:D3}");
            var c = new Case(Guid.CreateVersion7(at), string.Create(CultureInfo.InvariantCulture, $"SJ-20261130-{i:D7}"), "0301",
                109.8 + (i % 1000) * 0.0001, 40.6 + (i / 1000 % 1000) * 0.0001, grid, "压力测试：垃圾堆放", CaseChannels.Patrol, null, "bench", null, at);
            if (i % 100 == 50 && i % 200 == 50)
            {
                c.Transition("accept", CaseStates.Accepted, "bench", null, null, at);
                c.Transition("dispatch", CaseStates.Dispatched, "bench", null, null, at);
                c.AssignTo("grid-worker");
            }
            var (warn, due) = (i % 100) switch
            {
                0 => (now - TimeSpan.FromMinutes(1), now + TimeSpan.FromHours(2)),
                50 => (now - TimeSpan.FromHours(2), now - TimeSpan.FromMinutes(1)),
                _ => (now + TimeSpan.FromDays(10), now + TimeSpan.FromDays(20)),
            };
            c.StartClock(at, warn, due);
            yield return c;
        }
    }

    private sealed class SettableTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
