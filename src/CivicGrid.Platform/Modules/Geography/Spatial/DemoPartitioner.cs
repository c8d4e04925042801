using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace CivicGrid.Modules.Geography.Spatial;

/// <summary>
/// Cuts real district boundaries into made-up but plausible sub-areas (townships, communities,
/// grids) for demo data, by recursive bisection with straight cuts at area quantiles.
/// </summary>
internal static class DemoPartitioner
{
    // Components smaller than this (square degrees, about 0.01 m² at these latitudes) are
    // slivers: invisible on a map, yet they would make a piece a MultiPolygon.
    private const double SliverArea = 1e-12;

    // How often a cut may be moved to get rid of a sliver before the result is accepted as is.
    private const int MaxCutMoves = 4;

    // A cut across the shorter side is only worth trying while the pieces it makes stay
    // reasonably compact.
    private const double MinAspectForOtherAxis = 0.5;

    private const int BisectionSteps = 200;

    // Interpolation is off by a few units in the last place at most.
    private const int MaxNudges = 16;

    private static readonly Comparer<(double Surplus, int Index)> MostSurplusFirst = Comparer<(double Surplus, int Index)>.Create(
        (a, b) => a.Surplus != b.Surplus ? b.Surplus.CompareTo(a.Surplus) : a.Index.CompareTo(b.Index));

    public static IReadOnlyList<Geometry> Split(Geometry area, int parts)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        if (area is not (Polygon or MultiPolygon))
        {
            throw new ArgumentException(
                $"Only Polygon and MultiPolygon areas can be split, not {area.GeometryType}.", nameof(area));
        }

        var start = ToPolygonal(area.Factory, PolygonsOf(Repair(area)));
        if (start is null || !(start.Area > 0))
        {
            throw new ArgumentException("The area is empty or has no extent.", nameof(area));
        }

        if (parts == 1)
        {
            // Never hand back the caller's own instance: NTS geometries are mutable.
            return [start.Copy()];
        }

        var pieces = new List<Geometry>(parts);
        SplitInto(start, parts, pieces);
        return pieces;
    }

    public static int[] Apportion(int total, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        int n = weights.Count;
        if (total < n)
        {
            throw new ArgumentOutOfRangeException(
                nameof(total), total, $"Cannot give each of {n} shares at least one of {total}.");
        }

        if (n == 0)
        {
            return total == 0
                ? []
                : throw new ArgumentException("There are no weights to apportion a positive total to.", nameof(weights));
        }

        // Scaling by the largest weight keeps the sum finite even for huge weights.
        double max = 0;
        for (int i = 0; i < n; i++)
        {
            double w = weights[i];
            if (!(w > 0) || double.IsPositiveInfinity(w))
            {
                throw new ArgumentOutOfRangeException(nameof(weights), w, $"Weight {i} must be positive and finite.");
            }

            max = Math.Max(max, w);
        }

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += weights[i] / max;
        }

        var quota = new double[n];
        var shares = new int[n];
        long given = 0;
        for (int i = 0; i < n; i++)
        {
            quota[i] = total * (weights[i] / max / sum);
            shares[i] = (int)Math.Min(Math.Floor(quota[i]), total);
            given += shares[i];
        }

        // Largest remainders first; index order breaks ties so equal inputs give equal outputs.
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            int byRemainder = (quota[b] - shares[b]).CompareTo(quota[a] - shares[a]);
            return byRemainder != 0 ? byRemainder : a.CompareTo(b);
        });

        // Rounding in the quotas can leave the floors a little over or under the total.
        for (int k = 0; given < total; k = (k + 1) % n)
        {
            shares[order[k]]++;
            given++;
        }

        for (int k = n - 1; given > total; k = (k + n - 1) % n)
        {
            if (shares[order[k]] > 0)
            {
                shares[order[k]]--;
                given--;
            }
        }

        // Every share must be usable (a community with no grid makes no sense), so the tiny ones
        // borrow from whichever share is most over its exact quota. A heap keeps this fast when
        // thousands of shares need topping up.
        var donors = new PriorityQueue<int, (double Surplus, int Index)>(MostSurplusFirst);
        for (int i = 0; i < n; i++)
        {
            if (shares[i] > 1)
            {
                donors.Enqueue(i, (shares[i] - quota[i], i));
            }
        }

        for (int i = 0; i < n; i++)
        {
            if (shares[i] > 0)
            {
                continue;
            }

            int donor = donors.Dequeue();
            shares[donor]--;
            shares[i]++;
            if (shares[donor] > 1)
            {
                donors.Enqueue(donor, (shares[donor] - quota[donor], donor));
            }
        }

        return shares;
    }

    // Source boundaries are quantized and now and then touch or cross themselves, and overlay
    // needs valid input. A ring that crosses itself has no agreed area: Area counts its twisted
    // lobe negatively, GeometryFixer keeps the lobe and Buffer(0) drops it. Whichever repair
    // stays closer to Area keeps the pieces adding up to what callers measure on the input.
    private static Geometry Repair(Geometry area)
    {
        if (area.IsValid)
        {
            return area;
        }

        var fixedUp = GeometryFixer.Fix(area);
        var buffered = area.Buffer(0);
        return Math.Abs(buffered.Area - area.Area) < Math.Abs(fixedUp.Area - area.Area) ? buffered : fixedUp;
    }

    private static void SplitInto(Geometry piece, int parts, List<Geometry> output)
    {
        if (parts == 1)
        {
            output.Add(piece);
            return;
        }

        int lowParts = parts / 2;
        var (low, high) = Cut(piece, (double)lowParts / parts);
        SplitInto(low, lowParts, output);
        SplitInto(high, parts - lowParts, output);
    }

    private static (Geometry Low, Geometry High) Cut(Geometry piece, double fraction)
    {
        var env = piece.EnvelopeInternal;

        // Degrees of longitude shrink with latitude; without this, blocks come out tall and thin.
        double lonScale = Math.Cos((env.MinY + env.MaxY) / 2 * Math.PI / 180);
        double width = env.Width * lonScale;
        double height = env.Height;
        bool alongX = width >= height;

        if (piece is Polygon polygon && polygon.NumInteriorRings == 0 && IsConvex(polygon.Shell.CoordinateSequence))
        {
            var axis = new Axis(alongX);
            double at = AreaProfile.Create(piece, axis).Solve(fraction);
            return ClipConvex(polygon, axis, at);
        }

        int before = CountPolygons(piece);
        var first = CutWithOverlay(piece, new Axis(alongX), fraction);
        int firstCount = CountPolygons(first.Low) + CountPolygons(first.High);
        bool squareEnough = Math.Min(width, height) >= MinAspectForOtherAxis * Math.Max(width, height);
        if (firstCount <= before + 1 || !squareEnough)
        {
            return first;
        }

        // The straight cut broke the piece into extra fragments; the other direction may not.
        var second = CutWithOverlay(piece, new Axis(!alongX), fraction);
        int secondCount = CountPolygons(second.Low) + CountPolygons(second.High);
        return secondCount < firstCount ? second : first;
    }

    private static (Geometry Low, Geometry High) CutWithOverlay(Geometry piece, Axis axis, double fraction)
    {
        var profile = AreaProfile.Create(piece, axis);
        double at = profile.Solve(fraction);
        int slivers = CountSlivers(piece);
        var result = ClipWithOverlay(piece, axis, at)
            ?? throw new InvalidOperationException("A cut at an interior area quantile left one side empty.");
        for (int move = 0; move < MaxCutMoves; move++)
        {
            var sliver = FindNewSliver(result, slivers);
            if (sliver is null)
            {
                break;
            }

            // A sliver is the tip of a bump that the cut barely grazes; cutting right through the
            // tip's vertex leaves the bump wholly on one side instead.
            double tip = FarthestCoordinate(sliver, axis, at);
            var moved = tip == at ? null : ClipWithOverlay(piece, axis, tip);
            if (moved is null)
            {
                break;
            }

            at = tip;
            result = moved.Value;
        }

        return result;
    }

    private static Polygon? FindNewSliver((Geometry Low, Geometry High) result, int sliversBefore)
    {
        if (CountSlivers(result.Low) + CountSlivers(result.High) <= sliversBefore)
        {
            return null;
        }

        foreach (var side in new[] { result.Low, result.High })
        {
            for (int i = 0; i < side.NumGeometries; i++)
            {
                if (side.GetGeometryN(i) is Polygon p && p.Area < SliverArea)
                {
                    return p;
                }
            }
        }

        return null;
    }

    private static double FarthestCoordinate(Polygon sliver, Axis axis, double at)
    {
        var seq = sliver.Shell.CoordinateSequence;
        double best = at;
        for (int i = 0; i < seq.Count; i++)
        {
            double u = axis.U(seq, i);
            if (Math.Abs(u - at) > Math.Abs(best - at))
            {
                best = u;
            }
        }

        return best;
    }

    private static (Geometry Low, Geometry High)? ClipWithOverlay(Geometry piece, Axis axis, double at)
    {
        var factory = piece.Factory;

        // Putting the crossing points on the rings ourselves means both overlays find vertices
        // lying exactly on the cut instead of each computing its own rounded intersection, so
        // the two sides share identical coordinates along the cut and leave no hairline gap.
        var cutReady = InsertCutVertices(piece, axis, at);
        var env = piece.EnvelopeInternal;
        double pad = Math.Max(env.Width, env.Height) + 1;
        double uMin = axis.AlongX ? env.MinX - pad : env.MinY - pad;
        double uMax = axis.AlongX ? env.MaxX + pad : env.MaxY + pad;
        double vMin = axis.AlongX ? env.MinY - pad : env.MinX - pad;
        double vMax = axis.AlongX ? env.MaxY + pad : env.MaxX + pad;

        var lowBox = Box(factory, axis, uMin, at, vMin, vMax);
        var highBox = Box(factory, axis, at, uMax, vMin, vMax);
        var low = OverlayNGRobust.Overlay(cutReady, lowBox, SpatialFunction.Intersection);
        var high = OverlayNGRobust.Overlay(cutReady, highBox, SpatialFunction.Intersection);
        var lowSide = ToPolygonal(factory, PolygonsOf(low));
        var highSide = ToPolygonal(factory, PolygonsOf(high));
        return lowSide is null || highSide is null ? null : (lowSide, highSide);
    }

    private static Polygon Box(GeometryFactory factory, Axis axis, double u0, double u1, double v0, double v1)
    {
        var ring = new[]
        {
            axis.ToCoordinate(u0, v0),
            axis.ToCoordinate(u1, v0),
            axis.ToCoordinate(u1, v1),
            axis.ToCoordinate(u0, v1),
            axis.ToCoordinate(u0, v0),
        };
        return factory.CreatePolygon(ring);
    }

    private static Geometry InsertCutVertices(Geometry piece, Axis axis, double at)
    {
        var factory = piece.Factory;
        var polygons = PolygonsOf(piece);
        var rebuilt = new Polygon[polygons.Count];
        for (int p = 0; p < polygons.Count; p++)
        {
            var polygon = polygons[p];
            var shell = factory.CreateLinearRing(InsertCutVertices(polygon.Shell.CoordinateSequence, false, axis, at));
            var holes = new LinearRing[polygon.NumInteriorRings];
            for (int h = 0; h < holes.Length; h++)
            {
                holes[h] = factory.CreateLinearRing(
                    InsertCutVertices(polygon.GetInteriorRingN(h).CoordinateSequence, true, axis, at));
            }

            rebuilt[p] = factory.CreatePolygon(shell, holes);
        }

        return rebuilt.Length == 1 ? rebuilt[0] : factory.CreateMultiPolygon(rebuilt);
    }

    private static Coordinate[] InsertCutVertices(CoordinateSequence ring, bool isHole, Axis axis, double at)
    {
        var interior = InteriorSide(ring, isHole);
        var result = new List<Coordinate>(ring.Count + 4);
        for (int i = 0; i < ring.Count; i++)
        {
            if (i > 0)
            {
                double u0 = axis.U(ring, i - 1);
                double u1 = axis.U(ring, i);
                if ((u0 < at && at < u1) || (u1 < at && at < u0))
                {
                    result.Add(CrossingPoint(ring, i - 1, i, interior, axis, at));
                }
            }

            result.Add(new Coordinate(ring.GetX(i), ring.GetY(i)));
        }

        return [.. result];
    }

    private static OrientationIndex InteriorSide(CoordinateSequence ring, bool isHole) =>
        Orientation.IsCCW(ring) != isHole ? OrientationIndex.Left : OrientationIndex.Right;

    // The point where edge a-b crosses the cut, rounded to a double that lies on the edge or on
    // the ring's interior side of it. Rounding outwards would leave the piece poking a hair
    // outside the area it was cut from, and exact predicates such as Covers would then fail.
    private static Coordinate CrossingPoint(
        CoordinateSequence ring, int a, int b, OrientationIndex interior, Axis axis, double at)
    {
        var from = ring.GetCoordinate(a);
        var to = ring.GetCoordinate(b);

        // Interpolating from the end with the smaller cut coordinate keeps the result
        // independent of the ring's direction.
        int lowEnd = axis.U(ring, a) <= axis.U(ring, b) ? a : b;
        int highEnd = lowEnd == a ? b : a;
        double ua = axis.U(ring, lowEnd);
        double va = axis.V(ring, lowEnd);
        double ub = axis.U(ring, highEnd);
        double vb = axis.V(ring, highEnd);
        double v = va + ((vb - va) * ((at - ua) / (ub - ua)));
        var point = axis.ToCoordinate(at, v);
        for (int step = 1; step <= MaxNudges && !Acceptable(point); step++)
        {
            double up = v;
            double down = v;
            for (int k = 0; k < step; k++)
            {
                up = Math.BitIncrement(up);
                down = Math.BitDecrement(down);
            }

            var above = axis.ToCoordinate(at, up);
            var below = axis.ToCoordinate(at, down);
            point = Acceptable(above) ? above : Acceptable(below) ? below : point;
        }

        return point;

        bool Acceptable(Coordinate candidate)
        {
            var side = Orientation.Index(from, to, candidate);
            return side == OrientationIndex.Collinear || side == interior;
        }
    }

    private static (Geometry Low, Geometry High) ClipConvex(Polygon polygon, Axis axis, double at)
    {
        var ring = polygon.Shell.CoordinateSequence;
        var interior = InteriorSide(ring, isHole: false);
        var low = new List<Coordinate>(ring.Count + 2);
        var high = new List<Coordinate>(ring.Count + 2);
        for (int i = 0; i < ring.Count - 1; i++)
        {
            double u = axis.U(ring, i);
            var here = new Coordinate(ring.GetX(i), ring.GetY(i));
            if (u <= at)
            {
                AddDistinct(low, here);
            }

            if (u >= at)
            {
                AddDistinct(high, here);
            }

            double next = axis.U(ring, i + 1);
            if ((u < at && at < next) || (next < at && at < u))
            {
                var crossing = CrossingPoint(ring, i, i + 1, interior, axis, at);
                AddDistinct(low, crossing);
                AddDistinct(high, crossing);
            }
        }

        var factory = polygon.Factory;
        return (ClosedPolygon(factory, low), ClosedPolygon(factory, high));
    }

    private static void AddDistinct(List<Coordinate> ring, Coordinate c)
    {
        if (ring.Count == 0 || !ring[^1].Equals2D(c))
        {
            ring.Add(c);
        }
    }

    private static Polygon ClosedPolygon(GeometryFactory factory, List<Coordinate> ring)
    {
        if (ring.Count > 1 && ring[^1].Equals2D(ring[0]))
        {
            ring.RemoveAt(ring.Count - 1);
        }

        if (ring.Count < 3)
        {
            throw new InvalidOperationException("A cut at an interior area quantile left one side empty.");
        }

        ring.Add(ring[0].Copy());
        return factory.CreatePolygon([.. ring]);
    }

    // Valid rings whose turns all go the same way are convex; collinear and repeated points
    // are neutral.
    private static bool IsConvex(CoordinateSequence ring)
    {
        int n = ring.Count - 1;
        if (n < 3)
        {
            return false;
        }

        int sign = 0;
        for (int i = 0; i < n; i++)
        {
            int j = (i + 1) % n;
            int k = (i + 2) % n;
            double cross = ((ring.GetX(j) - ring.GetX(i)) * (ring.GetY(k) - ring.GetY(j)))
                - ((ring.GetY(j) - ring.GetY(i)) * (ring.GetX(k) - ring.GetX(j)));
            int s = Math.Sign(cross);
            if (s == 0)
            {
                continue;
            }

            if (sign == 0)
            {
                sign = s;
            }
            else if (s != sign)
            {
                return false;
            }
        }

        return sign != 0;
    }

    private static int CountPolygons(Geometry g) => g.NumGeometries;

    private static int CountSlivers(Geometry g)
    {
        int count = 0;
        for (int i = 0; i < g.NumGeometries; i++)
        {
            if (g.GetGeometryN(i).Area < SliverArea)
            {
                count++;
            }
        }

        return count;
    }

    private static List<Polygon> PolygonsOf(Geometry g)
    {
        var polygons = new List<Polygon>();
        for (int i = 0; i < g.NumGeometries; i++)
        {
            switch (g.GetGeometryN(i))
            {
                case Polygon p when !p.IsEmpty && p.Area > 0:
                    polygons.Add(p);
                    break;
                case MultiPolygon or GeometryCollection:
                    polygons.AddRange(PolygonsOf(g.GetGeometryN(i)));
                    break;
                default:
                    // Overlay can leave touching points and lines behind; they carry no area.
                    break;
            }
        }

        return polygons;
    }

    private static Geometry? ToPolygonal(GeometryFactory factory, List<Polygon> polygons) => polygons.Count switch
    {
        0 => null,
        1 => polygons[0],
        _ => factory.CreateMultiPolygon([.. polygons]),
    };

    /// <summary>Names the cut coordinate u and the coordinate along the cut line v.</summary>
    private readonly record struct Axis(bool AlongX)
    {
        public double U(CoordinateSequence seq, int i) => AlongX ? seq.GetX(i) : seq.GetY(i);

        public double V(CoordinateSequence seq, int i) => AlongX ? seq.GetY(i) : seq.GetX(i);

        public Coordinate ToCoordinate(double u, double v) => AlongX ? new Coordinate(u, v) : new Coordinate(v, u);
    }

    /// <summary>
    /// The area of a piece lying at or below a cut coordinate, as a function of that coordinate,
    /// evaluated straight from the rings. Searching it is far cheaper than overlaying trial cuts.
    /// </summary>
    private sealed class AreaProfile
    {
        // Per edge: the cut-coordinate range it spans, the other coordinate at each end, and the
        // sign that turns its share of the boundary integral into area.
        private readonly double[] _uLow;
        private readonly double[] _uHigh;
        private readonly double[] _vAtLow;
        private readonly double[] _vAtHigh;
        private readonly double[] _sign;
        private readonly double _uOrigin;
        private readonly double _uMin;
        private readonly double _uMax;
        private readonly double _total;

        private AreaProfile(
            double[] uLow, double[] uHigh, double[] vAtLow, double[] vAtHigh, double[] sign, double uOrigin)
        {
            _uLow = uLow;
            _uHigh = uHigh;
            _vAtLow = vAtLow;
            _vAtHigh = vAtHigh;
            _sign = sign;
            _uOrigin = uOrigin;
            _uMin = uLow.Length == 0 ? 0 : uLow.Min();
            _uMax = uHigh.Length == 0 ? 0 : uHigh.Max();
            _total = Below(double.PositiveInfinity);
        }

        public static AreaProfile Create(Geometry piece, Axis axis)
        {
            var env = piece.EnvelopeInternal;

            // Working relative to the centre keeps products of coordinates small, so the
            // integral does not lose its digits to cancellation.
            double uOrigin = axis.AlongX ? env.Centre.X : env.Centre.Y;
            double vOrigin = axis.AlongX ? env.Centre.Y : env.Centre.X;
            var uLow = new List<double>();
            var uHigh = new List<double>();
            var vAtLow = new List<double>();
            var vAtHigh = new List<double>();
            var sign = new List<double>();
            foreach (var polygon in PolygonsOf(piece))
            {
                AddRing(polygon.Shell.CoordinateSequence, isHole: false);
                for (int h = 0; h < polygon.NumInteriorRings; h++)
                {
                    AddRing(polygon.GetInteriorRingN(h).CoordinateSequence, isHole: true);
                }
            }

            return new AreaProfile([.. uLow], [.. uHigh], [.. vAtLow], [.. vAtHigh], [.. sign], uOrigin);

            void AddRing(CoordinateSequence ring, bool isHole)
            {
                int first = uLow.Count;
                double full = 0;
                for (int i = 1; i < ring.Count; i++)
                {
                    double u0 = axis.U(ring, i - 1) - uOrigin;
                    double u1 = axis.U(ring, i) - uOrigin;
                    if (u0 == u1)
                    {
                        continue;
                    }

                    double v0 = axis.V(ring, i - 1) - vOrigin;
                    double v1 = axis.V(ring, i) - vOrigin;
                    bool forward = u0 < u1;
                    uLow.Add(forward ? u0 : u1);
                    uHigh.Add(forward ? u1 : u0);
                    vAtLow.Add(forward ? v0 : v1);
                    vAtHigh.Add(forward ? v1 : v0);
                    sign.Add(forward ? 1 : -1);
                    full += (u1 - u0) * (v0 + v1) / 2;
                }

                // The integral's sign follows the ring's winding, which the data does not fix;
                // normalise so shells add area and holes take it away.
                double ringSign = (full >= 0 ? 1 : -1) * (isHole ? -1 : 1);
                for (int e = first; e < sign.Count; e++)
                {
                    sign[e] *= ringSign;
                }
            }
        }

        public double Solve(double fraction)
        {
            double target = fraction * _total;
            double lo = _uMin;
            double hi = _uMax;
            for (int step = 0; step < BisectionSteps; step++)
            {
                double mid = lo + ((hi - lo) / 2);
                if (mid <= lo || mid >= hi)
                {
                    break;
                }

                if (Below(mid) < target)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            return (lo + ((hi - lo) / 2)) + _uOrigin;
        }

        private double Below(double at)
        {
            double sum = 0;
            for (int e = 0; e < _uLow.Length; e++)
            {
                double u0 = _uLow[e];
                if (at <= u0)
                {
                    continue;
                }

                double u1 = _uHigh[e];
                double v0 = _vAtLow[e];
                double v1 = _vAtHigh[e];
                if (at >= u1)
                {
                    sum += _sign[e] * (u1 - u0) * (v0 + v1) / 2;
                }
                else
                {
                    double vAt = v0 + ((v1 - v0) * ((at - u0) / (u1 - u0)));
                    sum += _sign[e] * (at - u0) * (v0 + vAt) / 2;
                }
            }

            return sum;
        }
    }
}
