using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using CivicGrid.Modules.Geography.Spatial;

namespace CivicGrid.Benchmarks;

/// <summary>
/// <see cref="PointLocator{TKey}.TryLocate"/> per lookup, over the fixed 4,096 query points of a
/// set (about 90% inside a grid). One invocation asks every point once, so Mean/Median/P95 are
/// per-lookup averages over 4,096 lookups; the distribution of single lookups (p50/p99) comes
/// from the console mode <c>-- --latency</c>, build time and memory from <c>-- --memory</c>
/// (see <see cref="LocateConsole"/>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Percentiles))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
public class LocateBenchmarks
{
    private PointLocator<string> _locator = null!;
    private double[] _xs = [];
    private double[] _ys = [];

    [Params(GridSets.Kundulun, GridSets.Province100k)]
    public string Set { get; set; } = GridSets.Kundulun;

    [GlobalSetup]
    public void Build()
    {
        var set = GridSets.Get(Set);
        _locator = new PointLocator<string>(set.Grids);
        _xs = [.. set.Points.Select(p => p.X)];
        _ys = [.. set.Points.Select(p => p.Y)];
        int found = TryLocate();
        Console.WriteLine($"// {Set}: {_locator.Count:N0} grids, {found:N0} of {GridSets.PointCount:N0} points located, {set.InsidePoints:N0} drawn inside");
    }

    [Benchmark(OperationsPerInvoke = GridSets.PointCount)]
    public int TryLocate()
    {
        var locator = _locator;
        var xs = _xs;
        var ys = _ys;
        int found = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            if (locator.TryLocate(xs[i], ys[i], out _))
            {
                found++;
            }
        }

        return found;
    }

    private sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Min, StatisticColumn.Max);
    }
}
