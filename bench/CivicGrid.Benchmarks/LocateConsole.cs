using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using CivicGrid.Modules.Geography.Spatial;

namespace CivicGrid.Benchmarks;

/// <summary>
/// The locate figures BenchmarkDotNet does not give: build time and retained managed memory of
/// the index (<c>--memory</c>), the distribution of single lookups (<c>--latency</c>), and the
/// query points as a file for the HTTP load script (<c>--points SET FILE</c>). Run in Release:
/// <c>dotnet run -c Release --project bench/CivicGrid.Benchmarks -- --memory</c>.
/// </summary>
internal static class LocateConsole
{
    private const int Builds = 5;
    private const int LatencyPasses = 100;
    private const int WarmupPasses = 20;

    public static int? Run(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "--prepare":
                foreach (var name in GridSets.Names)
                {
                    Describe(GridSets.Get(name));
                }

                return 0;
            case "--memory":
                Header();
                foreach (var name in SetsOf(args))
                {
                    Memory(name);
                }

                return 0;
            case "--latency":
                Header();
                foreach (var name in SetsOf(args))
                {
                    Latency(name);
                }

                return 0;
            case "--points" when args.Length == 3:
                WritePoints(GridSets.Get(args[1]), args[2]);
                return 0;
            case "--points":
                Console.Error.WriteLine("usage: --points SET FILE   (SET: " + string.Join(", ", GridSets.Names) + ")");
                return 2;
            default:
                return null;
        }
    }

    private static IEnumerable<string> SetsOf(string[] args) => args.Length > 1 ? args.Skip(1) : GridSets.Names;

    // The load average goes with the figures: on a shared 2-core machine it explains outliers.
    private static void Header() =>
        Console.WriteLine($"// {RuntimeInformationLine()}, Server GC: {GCSettings.IsServerGC}, processors: {Environment.ProcessorCount}, load average: {LoadAverage()}");

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string RuntimeInformationLine() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    private static void Describe(GridSet set)
    {
        long vertices = set.Grids.Sum(g => (long)g.Area.NumPoints);
        int multi = set.Grids.Count(g => g.Area.NumGeometries > 1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{set.Name}: {set.Grids.Length:N0} grids, {vertices:N0} vertices ({(double)vertices / set.Grids.Length:F1} per grid), {multi:N0} multi-part; {set.Points.Length:N0} query points, {set.InsidePoints:N0} inside"));
    }

    /// <summary>
    /// Managed memory the built index keeps alive (GC.GetTotalMemory after full collections,
    /// with the source geometries already loaded, so only the index is counted), and build time
    /// as the median and best of five builds.
    /// </summary>
    private static void Memory(string name)
    {
        var set = GridSets.Get(name);
        Describe(set);

        // Warm the JIT on a small build first, so the first timed build measures building.
        _ = new PointLocator<string>(set.Grids.Take(64));
        long before = Settle();
        var clock = Stopwatch.StartNew();
        var locator = new PointLocator<string>(set.Grids);
        var first = clock.Elapsed;
        long after = Settle();
        GC.KeepAlive(locator);

        var times = new List<double> { first.TotalMilliseconds };
        for (int i = 1; i < Builds; i++)
        {
            locator = null;
            Settle();
            clock.Restart();
            locator = new PointLocator<string>(set.Grids);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: index retains {(after - before) / 1048576.0:F1} MiB managed ({(double)(after - before) / set.Grids.Length:F0} B per grid); build median {times[times.Count / 2]:F1} ms, best {times[0]:F1} ms, first {first.TotalMilliseconds:F1} ms ({Builds} builds)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: managed heap with grids and index {after / 1048576.0:F1} MiB"));
    }

    private static long Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>
    /// Times every single lookup with Stopwatch timestamps (100 passes over the 4,096 points,
    /// after 20 warm-up passes), then prints percentiles. The timer's own cost, measured the
    /// same way around nothing, is printed too and is included in every sample.
    /// </summary>
    private static void Latency(string name)
    {
        var set = GridSets.Get(name);
        var locator = new PointLocator<string>(set.Grids);
        var xs = set.Points.Select(p => p.X).ToArray();
        var ys = set.Points.Select(p => p.Y).ToArray();
        var inside = new bool[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            inside[i] = locator.TryLocate(xs[i], ys[i], out _);
        }

        var samples = new long[LatencyPasses * xs.Length];
        var insideSamples = new List<long>();
        var outsideSamples = new List<long>();
        for (int pass = 0; pass < WarmupPasses; pass++)
        {
            Pass(locator, xs, ys, samples, 0);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int pass = 0; pass < LatencyPasses; pass++)
        {
            Pass(locator, xs, ys, samples, pass * xs.Length);
        }

        var whole = Stopwatch.GetElapsedTime(start);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        // Lookups without the per-call timer, for comparison with the BenchmarkDotNet mean.
        var plain = Stopwatch.StartNew();
        int found = 0;
        for (int pass = 0; pass < LatencyPasses; pass++)
        {
            for (int i = 0; i < xs.Length; i++)
            {
                found += locator.TryLocate(xs[i], ys[i], out _) ? 1 : 0;
            }
        }

        plain.Stop();
        for (int k = 0; k < samples.Length; k++)
        {
            (inside[k % xs.Length] ? insideSamples : outsideSamples).Add(samples[k]);
        }

        var overhead = new long[samples.Length];
        for (int k = 0; k < overhead.Length; k++)
        {
            long t0 = Stopwatch.GetTimestamp();
            overhead[k] = Stopwatch.GetTimestamp() - t0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {samples.Length:N0} single lookups ({found / LatencyPasses:N0} of {xs.Length:N0} points located), {allocated:N0} B allocated by the timed lookups"));
        Console.WriteLine($"{name}:   all      {Summary(samples)}");
        Console.WriteLine($"{name}:   inside   {Summary([.. insideSamples])}");
        Console.WriteLine($"{name}:   outside  {Summary([.. outsideSamples])}");
        Console.WriteLine($"{name}:   timer    {Summary(overhead)}  (Stopwatch pair alone, included above)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}:   mean without per-call timer {plain.Elapsed.TotalNanoseconds / samples.Length:F1} ns; with it {whole.TotalNanoseconds / samples.Length:F1} ns"));
    }

    private static void Pass(PointLocator<string> locator, double[] xs, double[] ys, long[] samples, int offset)
    {
        for (int i = 0; i < xs.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            locator.TryLocate(xs[i], ys[i], out _);
            samples[offset + i] = Stopwatch.GetTimestamp() - t0;
        }
    }

    private static string Summary(long[] ticks)
    {
        Array.Sort(ticks);
        double Ns(double q) => ticks[Math.Min(ticks.Length - 1, (int)(q * ticks.Length))] * 1e9 / Stopwatch.Frequency;
        double mean = ticks.Average() * 1e9 / Stopwatch.Frequency;
        return string.Create(CultureInfo.InvariantCulture,
            $"n={ticks.Length,7:N0}  p50 {Ns(0.50),7:F0} ns  p90 {Ns(0.90),7:F0} ns  p99 {Ns(0.99),7:F0} ns  p99.9 {Ns(0.999),7:F0} ns  max {Ns(1.0) / 1000,8:F1} µs  mean {mean,7:F0} ns");
    }

    private static void WritePoints(GridSet set, string file)
    {
        // The grid each point lies in goes along, so an answer can be checked against the set.
        var locator = new PointLocator<string>(set.Grids);
        using var writer = new StreamWriter(file);
        foreach (var (x, y) in set.Points)
        {
            string code = locator.TryLocate(x, y, out var found) ? found : "-";
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{x:R} {y:R} {code}"));
        }

        Console.WriteLine($"{set.Points.Length:N0} points of {set.Name} ({set.InsidePoints:N0} inside) written to {file}");
    }
}
