using BenchmarkDotNet.Attributes;
using CivicGrid.Modules.Geography.Spatial;
using NetTopologySuite.Geometries;

namespace CivicGrid.Benchmarks;

/// <summary>
/// Point-in-grid lookups at district scale (1,391 grids, Kundulun) and province scale (100,000).
/// </summary>
/// <remarks>
/// DemoPartitioner's cuts give grids of four to six vertices, far simpler than real ones, and
/// partitioning 100,000 on every setup is slow; so the grids are a jittered lattice whose cells
/// have 64-vertex wiggly edges, shared vertex for vertex with their neighbours like a real
/// partition.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class LatticeLocateBenchmarks
{
    private const int PointCount = 4096;

    private PointLocator<int> _locator = null!;
    private double[] _xs = [];
    private double[] _ys = [];

    [Params(1391, 100000)]
    public int Grids { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var lattice = new JitteredLattice(Grids);
        _locator = new PointLocator<int>(lattice.Cells());
        (_xs, _ys) = lattice.RandomPoints(PointCount, seed: 20240601);
    }

    [Benchmark(OperationsPerInvoke = PointCount)]
    public int Locate()
    {
        int sum = 0;
        var xs = _xs;
        var ys = _ys;
        for (int i = 0; i < xs.Length; i++)
        {
            if (_locator.TryLocate(xs[i], ys[i], out int key))
            {
                sum += key;
            }
        }

        return sum;
    }
}

/// <summary>
/// A near-square block of <c>count</c> grid cells around Baotou, row by row, each cell bounded
/// by four wiggly 16-segment edges between jittered corners.
/// </summary>
internal sealed class JitteredLattice
{
    public const double CellSize = 0.005;
    private const int SegmentsPerEdge = 16;
    private const double CornerJitter = 0.2;
    private const double EdgeWiggle = 0.04;
    private const double OriginX = 109.7;
    private const double OriginY = 40.5;

    private readonly int _count;
    private readonly int _columns;
    private readonly int _rows;
    private readonly GeometryFactory _factory = new();

    public JitteredLattice(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _count = count;
        _columns = (int)Math.Ceiling(Math.Sqrt(count));
        _rows = (count + _columns - 1) / _columns;
    }

    public IEnumerable<(int Key, Geometry Area)> Cells()
    {
        for (int k = 0; k < _count; k++)
        {
            yield return (k, Cell(k % _columns, k / _columns));
        }
    }

    public Polygon Cell(int column, int row)
    {
        var ring = new List<Coordinate>((4 * SegmentsPerEdge) + 1);
        AppendEdge(ring, Edge(column, row, horizontal: true), reverse: false);
        AppendEdge(ring, Edge(column + 1, row, horizontal: false), reverse: false);
        AppendEdge(ring, Edge(column, row + 1, horizontal: true), reverse: true);
        AppendEdge(ring, Edge(column, row, horizontal: false), reverse: true);
        ring.Add(ring[0].Copy());
        return _factory.CreatePolygon([.. ring]);
    }

    /// <summary>Uniform points over the full rows, where every point has a cell.</summary>
    public (double[] Xs, double[] Ys) RandomPoints(int count, int seed)
    {
        var random = new Random(seed);
        int fullRows = Math.Max(1, _count / _columns);
        var xs = new double[count];
        var ys = new double[count];
        for (int i = 0; i < count; i++)
        {
            xs[i] = OriginX + (random.NextDouble() * _columns * CellSize);
            ys[i] = OriginY + (random.NextDouble() * fullRows * CellSize);
        }

        return (xs, ys);
    }

    private static void AppendEdge(List<Coordinate> ring, Coordinate[] edge, bool reverse)
    {
        // The last point of each edge is the first of the next.
        for (int i = 0; i < SegmentsPerEdge; i++)
        {
            ring.Add(edge[reverse ? SegmentsPerEdge - i : i].Copy());
        }
    }

    // The edge leaving corner (column, row) to the right or upwards. Computed from the corner
    // indices alone, so both cells that share it get the very same coordinates.
    private Coordinate[] Edge(int column, int row, bool horizontal)
    {
        var (ax, ay) = Corner(column, row);
        var (bx, by) = horizontal ? Corner(column + 1, row) : Corner(column, row + 1);
        bool outer = horizontal ? row == 0 || row == _rows : column == 0 || column == _columns;
        double amplitude = outer ? 0 : EdgeWiggle * CellSize * (Noise(column, row, horizontal ? 7 : 11) - 0.5) * 2;
        double nx = -(by - ay);
        double ny = bx - ax;
        double length = Math.Sqrt((nx * nx) + (ny * ny));
        var points = new Coordinate[SegmentsPerEdge + 1];
        for (int i = 0; i <= SegmentsPerEdge; i++)
        {
            double t = (double)i / SegmentsPerEdge;

            // Zero at both corners, so wiggles never reach across into the neighbouring edges.
            double offset = amplitude * Math.Sin(Math.PI * t) * Math.Sin(3 * Math.PI * t);
            points[i] = new Coordinate(
                ax + (t * (bx - ax)) + (offset * nx / length),
                ay + (t * (by - ay)) + (offset * ny / length));
        }

        points[0] = new Coordinate(ax, ay);
        points[SegmentsPerEdge] = new Coordinate(bx, by);
        return points;
    }

    private (double X, double Y) Corner(int column, int row)
    {
        bool fixedX = column == 0 || column == _columns;
        bool fixedY = row == 0 || row == _rows;
        double jx = fixedX ? 0 : (Noise(column, row, 1) - 0.5) * 2 * CornerJitter;
        double jy = fixedY ? 0 : (Noise(column, row, 3) - 0.5) * 2 * CornerJitter;
        return (OriginX + ((column + jx) * CellSize), OriginY + ((row + jy) * CellSize));
    }

    // A hash rather than Random, so any corner's jitter can be computed on its own.
    private static double Noise(int column, int row, int salt)
    {
        uint h = (uint)column * 0x9E3779B1u;
        h ^= (uint)row * 0x85EBCA77u;
        h ^= (uint)salt * 0xC2B2AE3Du;
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        h ^= h >> 12;
        h *= 0x297A2D39u;
        h ^= h >> 15;
        return h / (double)uint.MaxValue;
    }
}
