using System.Diagnostics.CodeAnalysis;
using NetTopologySuite.Geometries;

namespace CivicGrid.Modules.Geography.Spatial;

/// <summary>
/// Answers "which area holds this point" for a fixed set of non-overlapping areas (a partition
/// into grids, say) without allocating, so it can sit on hot paths such as geocoding every
/// incoming report. Immutable once built, hence safe for any number of concurrent readers.
/// </summary>
/// <remarks>
/// Layout: a packed R-tree over the areas' bounding boxes, leaves in Hilbert order so that
/// neighbours share nodes; and per area, one block of doubles holding its edges bucketed into
/// horizontal bands, so the crossing test reads only the few edges whose latitude range covers
/// the point. Everything lives in a handful of flat arrays: no per-area objects for the GC to
/// trace, and a lookup touches few cache lines, which is what bounds its speed once the index
/// outgrows the CPU caches.
/// </remarks>
internal sealed class PointLocator<TKey>
{
    // A point this close (in degrees, about 0.1 mm) to an area's edge counts as on its boundary.
    // It only matters when no area strictly claims the point: on the outer edge of the union,
    // or in the hairline left where one area's edge has a vertex its neighbour's lacks.
    private const double BoundaryTolerance = 1e-9;

    private const int NodeCapacity = 16;

    // Bands this full keep the crossing test to a handful of edges, without long edges copied
    // into many bands inflating memory.
    private const int EdgesPerBand = 6;
    private const int MaxBandsPerArea = 1 << 14;
    private const int MaxCopiesPerEdge = 3;

    private const int HilbertOrder = 16;

    // Leaf record: minX, minY, maxX, maxY of the area, then where its block starts in _blob.
    private const int LeafStride = 5;

    // Block: baseY, bands per degree, band count; then band count + 1 band offsets (relative
    // to the block start); then the edges, four doubles each: x0, y0, x1, y1 with y0 <= y1.
    // Keeping an area's header, offsets and edges together means one lookup reads one region
    // of memory instead of three. Offsets are small integers, stored exactly as doubles.
    private const int HeaderSize = 3;

    private readonly TKey[] _keys;
    private readonly double[] _leaves;
    private readonly double[] _blob;

    // Inner nodes, lowest level first, the root last: four doubles of box each, and the range
    // of children each, which are leaves for nodes below _leafParents, inner nodes otherwise.
    private readonly double[] _nodes;
    private readonly int[] _children;
    private readonly int _leafParents;
    private readonly int _root;
    private readonly int _stackDepth;

    public PointLocator(IEnumerable<(TKey Key, Geometry Area)> areas)
    {
        ArgumentNullException.ThrowIfNull(areas);
        var input = areas.ToArray();
        int n = input.Length;
        for (int i = 0; i < n; i++)
        {
            if (input[i].Area is not (Polygon or MultiPolygon))
            {
                throw new ArgumentException(
                    $"Area {i} is a {input[i].Area?.GeometryType ?? "null"}; only Polygon and MultiPolygon can be located.",
                    nameof(areas));
            }
        }

        var order = HilbertOrderOf(input);
        _keys = new TKey[n];
        _leaves = new double[LeafStride * n];

        // Sizing the blob exactly in a first pass avoids regrowing (and briefly doubling) what
        // is by far the largest array.
        var ring = new RingBuffer();
        long size = 0;
        for (int a = 0; a < n; a++)
        {
            _keys[a] = input[order[a]].Key;
            ring.Load(input[order[a]].Area);
            _leaves[(LeafStride * a) + 4] = size;
            size += BlockSize(ring);
        }

        _blob = new double[checked((int)size)];
        for (int a = 0; a < n; a++)
        {
            ring.Load(input[order[a]].Area);
            int leaf = LeafStride * a;
            _leaves[leaf] = ring.MinX - BoundaryTolerance;
            _leaves[leaf + 1] = ring.MinY - BoundaryTolerance;
            _leaves[leaf + 2] = ring.MaxX + BoundaryTolerance;
            _leaves[leaf + 3] = ring.MaxY + BoundaryTolerance;
            FillBlock(ring, (int)_leaves[leaf + 4]);
        }

        (_nodes, _children, _leafParents, _root, _stackDepth) = BuildTree();
    }

    public int Count => _keys.Length;

    public bool TryLocate(double x, double y, [MaybeNullWhen(false)] out TKey key)
    {
        int found = Find(x, y, onBoundary: false);
        if (found < 0)
        {
            found = Find(x, y, onBoundary: true);
        }

        if (found < 0)
        {
            key = default;
            return false;
        }

        key = _keys[found];
        return true;
    }

    private int Find(double x, double y, bool onBoundary)
    {
        if (_root < 0)
        {
            return -1;
        }

        var nodes = _nodes;
        var leaves = _leaves;
        var children = _children;
        Span<int> stack = stackalloc int[_stackDepth];
        int top = 0;
        stack[top++] = _root;
        while (top > 0)
        {
            int node = stack[--top];
            int first = children[2 * node];
            int end = children[(2 * node) + 1];
            if (node < _leafParents)
            {
                for (int leaf = first; leaf < end; leaf++)
                {
                    int b = LeafStride * leaf;
                    if (x >= leaves[b] && y >= leaves[b + 1] && x <= leaves[b + 2] && y <= leaves[b + 3]
                        && (onBoundary ? IsOnBoundary((int)leaves[b + 4], x, y) : Contains((int)leaves[b + 4], x, y)))
                    {
                        return leaf;
                    }
                }

                continue;
            }

            for (int child = end - 1; child >= first; child--)
            {
                int b = 4 * child;
                if (x >= nodes[b] && y >= nodes[b + 1] && x <= nodes[b + 2] && y <= nodes[b + 3])
                {
                    stack[top++] = child;
                }
            }
        }

        return -1;
    }

    // Even-odd ray casting to +x over every ring of the area, so holes and multi-part areas need
    // no special case. Edges are half-open in y, which hands a point on an edge shared by two
    // areas to exactly one of them; and since edges are stored lower end first, neighbours
    // compute the bit-identical crossing for a shared edge, so they cannot both claim or both
    // miss a point on it.
    private bool Contains(int block, double x, double y)
    {
        var blob = _blob;
        int band = BandOf(y, blob[block], blob[block + 1], (int)blob[block + 2]);
        int from = block + (int)blob[block + HeaderSize + band];
        int end = block + (int)blob[block + HeaderSize + band + 1];
        bool inside = false;
        for (int e = from; e < end; e += 4)
        {
            double y0 = blob[e + 1];
            double y1 = blob[e + 3];
            if (y0 <= y && y < y1)
            {
                double x0 = blob[e];
                if (x < x0 + ((y - y0) * (blob[e + 2] - x0) / (y1 - y0)))
                {
                    inside = !inside;
                }
            }
        }

        return inside;
    }

    private bool IsOnBoundary(int block, double x, double y)
    {
        var blob = _blob;
        int count = (int)blob[block + 2];
        int firstBand = BandOf(y - BoundaryTolerance, blob[block], blob[block + 1], count);
        int lastBand = BandOf(y + BoundaryTolerance, blob[block], blob[block + 1], count);
        int from = block + (int)blob[block + HeaderSize + firstBand];
        int end = block + (int)blob[block + HeaderSize + lastBand + 1];
        const double tolerance2 = BoundaryTolerance * BoundaryTolerance;
        for (int e = from; e < end; e += 4)
        {
            double x0 = blob[e];
            double y0 = blob[e + 1];
            double dx = blob[e + 2] - x0;
            double dy = blob[e + 3] - y0;
            double length2 = (dx * dx) + (dy * dy);
            double t = length2 > 0 ? Math.Clamp((((x - x0) * dx) + ((y - y0) * dy)) / length2, 0, 1) : 0;
            double ex = x0 + (t * dx) - x;
            double ey = y0 + (t * dy) - y;
            if ((ex * ex) + (ey * ey) <= tolerance2)
            {
                return true;
            }
        }

        return false;
    }

    // Build and query must use this one formula: it is monotone in y, which is what guarantees
    // an edge is filed in every band a point on it can fall into.
    private static int BandOf(double y, double baseY, double scale, int count)
    {
        double t = (y - baseY) * scale;
        if (!(t > 0))
        {
            return 0;
        }

        return t >= count ? count - 1 : (int)t;
    }

    private static (int Bands, double Scale) BandsFor(RingBuffer ring)
    {
        if (!(ring.MaxY > ring.MinY))
        {
            return (1, 0);
        }

        // An edge is copied into every band it spans, so a comb of long teeth would copy each
        // tooth into every band; fewer, taller bands keep such shapes within memory.
        int bands = Math.Clamp(ring.EdgeCount / EdgesPerBand, 1, MaxBandsPerArea);
        while (true)
        {
            double scale = bands / (ring.MaxY - ring.MinY);
            if (bands == 1 || Sum(ring.Tally(bands, ring.MinY, scale), bands) <= MaxCopiesPerEdge * (long)ring.EdgeCount)
            {
                return (bands, scale);
            }

            bands /= 2;
        }
    }

    private static long Sum(int[] tally, int bands)
    {
        long sum = 0;
        for (int b = 0; b < bands; b++)
        {
            sum += tally[b];
        }

        return sum;
    }

    private static long BlockSize(RingBuffer ring)
    {
        var (bands, scale) = BandsFor(ring);
        return HeaderSize + bands + 1 + (4 * Sum(ring.Tally(bands, ring.MinY, scale), bands));
    }

    private void FillBlock(RingBuffer ring, int block)
    {
        var (bands, scale) = BandsFor(ring);
        double baseY = ring.MinY;
        _blob[block] = baseY;
        _blob[block + 1] = scale;
        _blob[block + 2] = bands;

        // Counting sort: tally each band's edges, turn the tallies into offsets, then file.
        var next = ring.Tally(bands, baseY, scale);
        int offset = HeaderSize + bands + 1;
        for (int b = 0; b < bands; b++)
        {
            int count = next[b];
            _blob[block + HeaderSize + b] = offset;
            next[b] = block + offset;
            offset += 4 * count;
        }

        _blob[block + HeaderSize + bands] = offset;
        ring.File(bands, baseY, scale, next, _blob);
    }

    private static int[] HilbertOrderOf((TKey Key, Geometry Area)[] input)
    {
        int n = input.Length;
        var centres = new (double X, double Y)[n];
        double minX = double.PositiveInfinity;
        double minY = double.PositiveInfinity;
        double maxX = double.NegativeInfinity;
        double maxY = double.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            var env = input[i].Area.EnvelopeInternal;
            if (env.IsNull)
            {
                centres[i] = (double.NaN, double.NaN);
                continue;
            }

            centres[i] = ((env.MinX + env.MaxX) / 2, (env.MinY + env.MaxY) / 2);
            minX = Math.Min(minX, centres[i].X);
            minY = Math.Min(minY, centres[i].Y);
            maxX = Math.Max(maxX, centres[i].X);
            maxY = Math.Max(maxY, centres[i].Y);
        }

        const double cells = (1 << HilbertOrder) - 1;
        double scaleX = maxX > minX ? cells / (maxX - minX) : 0;
        double scaleY = maxY > minY ? cells / (maxY - minY) : 0;

        // Hilbert index in the high half, input position in the low half: a total order, so
        // equal inputs always build the same tree.
        var sortKeys = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            var (cx, cy) = centres[i];
            ulong h = double.IsNaN(cx)
                ? 0
                : Hilbert((uint)((cx - minX) * scaleX), (uint)((cy - minY) * scaleY));
            sortKeys[i] = (h << 32) | (uint)i;
        }

        Array.Sort(sortKeys);
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = (int)(sortKeys[i] & uint.MaxValue);
        }

        return order;
    }

    // Position of cell (x, y) along the Hilbert curve filling a 2^16 x 2^16 grid.
    private static uint Hilbert(uint x, uint y)
    {
        const uint last = (1u << HilbertOrder) - 1;
        uint d = 0;
        for (uint s = 1u << (HilbertOrder - 1); s > 0; s >>= 1)
        {
            uint rx = (x & s) != 0 ? 1u : 0u;
            uint ry = (y & s) != 0 ? 1u : 0u;
            d += s * s * ((3 * rx) ^ ry);
            if (ry == 0)
            {
                if (rx == 1)
                {
                    x = last - x;
                    y = last - y;
                }

                (x, y) = (y, x);
            }
        }

        return d;
    }

    private (double[] Nodes, int[] Children, int LeafParents, int Root, int StackDepth) BuildTree()
    {
        int n = _keys.Length;
        if (n == 0)
        {
            return ([], [], 0, -1, 0);
        }

        int inner = 0;
        for (int level = n; ;)
        {
            level = (level + NodeCapacity - 1) / NodeCapacity;
            inner += level;
            if (level == 1)
            {
                break;
            }
        }

        var nodes = new double[4 * inner];
        var children = new int[2 * inner];
        int leafParents = (n + NodeCapacity - 1) / NodeCapacity;
        int levelStart = 0;
        int levelEnd = n;
        int node = 0;
        int levels = 0;
        bool overLeaves = true;
        do
        {
            int nodesStart = node;
            for (int child = levelStart; child < levelEnd; child += NodeCapacity)
            {
                int end = Math.Min(child + NodeCapacity, levelEnd);
                children[2 * node] = child;
                children[(2 * node) + 1] = end;
                var (boxes, stride) = overLeaves ? (_leaves, LeafStride) : (nodes, 4);
                double minX = double.PositiveInfinity;
                double minY = double.PositiveInfinity;
                double maxX = double.NegativeInfinity;
                double maxY = double.NegativeInfinity;
                for (int c = child; c < end; c++)
                {
                    minX = Math.Min(minX, boxes[stride * c]);
                    minY = Math.Min(minY, boxes[(stride * c) + 1]);
                    maxX = Math.Max(maxX, boxes[(stride * c) + 2]);
                    maxY = Math.Max(maxY, boxes[(stride * c) + 3]);
                }

                nodes[4 * node] = minX;
                nodes[(4 * node) + 1] = minY;
                nodes[(4 * node) + 2] = maxX;
                nodes[(4 * node) + 3] = maxY;
                node++;
            }

            levelStart = nodesStart;
            levelEnd = node;
            overLeaves = false;
            levels++;
        }
        while (levelEnd - levelStart > 1);

        // Every inner node popped pushes at most all its inner children, leaving itself off.
        return (nodes, children, leafParents, node - 1, 1 + (levels * (NodeCapacity - 1)));
    }

    /// <summary>Scratch space holding one area's vertices while its edges are filed, reused for all.</summary>
    private sealed class RingBuffer
    {
        private readonly List<int> _ringEnds = [];
        private double[] _xs = new double[256];
        private double[] _ys = new double[256];
        private int[] _tally = new int[64];
        private int _count;

        public double MinX { get; private set; }

        public double MinY { get; private set; }

        public double MaxX { get; private set; }

        public double MaxY { get; private set; }

        public int EdgeCount { get; private set; }

        public void Load(Geometry area)
        {
            _count = 0;
            _ringEnds.Clear();
            EdgeCount = 0;
            MinX = MinY = double.PositiveInfinity;
            MaxX = MaxY = double.NegativeInfinity;
            for (int p = 0; p < area.NumGeometries; p++)
            {
                var polygon = (Polygon)area.GetGeometryN(p);
                Append(polygon.Shell.CoordinateSequence);
                for (int h = 0; h < polygon.NumInteriorRings; h++)
                {
                    Append(polygon.GetInteriorRingN(h).CoordinateSequence);
                }
            }
        }

        // How many edges each band gets; an edge goes into every band its latitude range meets.
        public int[] Tally(int bands, double baseY, double scale)
        {
            if (_tally.Length < bands)
            {
                _tally = new int[Math.Max(bands, 2 * _tally.Length)];
            }

            Array.Clear(_tally, 0, bands);
            int start = 0;
            foreach (int end in _ringEnds)
            {
                for (int v = start; v < end - 1; v++)
                {
                    int last = BandOf(Math.Max(_ys[v], _ys[v + 1]), baseY, scale, bands);
                    for (int b = BandOf(Math.Min(_ys[v], _ys[v + 1]), baseY, scale, bands); b <= last; b++)
                    {
                        _tally[b]++;
                    }
                }

                start = end;
            }

            return _tally;
        }

        public void File(int bands, double baseY, double scale, int[] next, double[] blob)
        {
            int start = 0;
            foreach (int end in _ringEnds)
            {
                for (int v = start; v < end - 1; v++)
                {
                    int low = _ys[v] <= _ys[v + 1] ? v : v + 1;
                    int high = low == v ? v + 1 : v;
                    int last = BandOf(_ys[high], baseY, scale, bands);
                    for (int b = BandOf(_ys[low], baseY, scale, bands); b <= last; b++)
                    {
                        int at = next[b];
                        next[b] += 4;
                        blob[at] = _xs[low];
                        blob[at + 1] = _ys[low];
                        blob[at + 2] = _xs[high];
                        blob[at + 3] = _ys[high];
                    }
                }

                start = end;
            }
        }

        private void Append(CoordinateSequence ring)
        {
            int n = ring.Count;
            if (_count + n > _xs.Length)
            {
                int size = Math.Max(_count + n, 2 * _xs.Length);
                Array.Resize(ref _xs, size);
                Array.Resize(ref _ys, size);
            }

            for (int i = 0; i < n; i++)
            {
                double x = ring.GetX(i);
                double y = ring.GetY(i);
                _xs[_count + i] = x;
                _ys[_count + i] = y;
                MinX = Math.Min(MinX, x);
                MinY = Math.Min(MinY, y);
                MaxX = Math.Max(MaxX, x);
                MaxY = Math.Max(MaxY, y);
            }

            _count += n;
            _ringEnds.Add(_count);
            EdgeCount += Math.Max(0, n - 1);
        }
    }
}
