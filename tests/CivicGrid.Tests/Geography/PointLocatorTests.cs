using CivicGrid.Modules.Geography.Spatial;
using NetTopologySuite.Geometries;

namespace CivicGrid.Tests.Geography;

public sealed class PointLocatorTests
{
    private static readonly GeometryFactory Factory = new();

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(400)]
    public void Locator_agrees_with_brute_force_Covers_on_random_points(int parts)
    {
        var area = TestShapes.LShapeWithHole();
        var pieces = DemoPartitioner.Split(area, parts);
        var locator = new PointLocator<int>(pieces.Select((p, i) => (i, p)));
        var random = new Random(parts);
        var env = area.EnvelopeInternal;

        for (int n = 0; n < 10_000; n++)
        {
            // A margin around the envelope so that misses outside the area are exercised too.
            double x = env.MinX - 0.01 + (random.NextDouble() * (env.Width + 0.02));
            double y = env.MinY - 0.01 + (random.NextDouble() * (env.Height + 0.02));
            var point = Factory.CreatePoint(new Coordinate(x, y));
            var covering = Enumerable.Range(0, pieces.Count).Where(i => pieces[i].Covers(point)).ToList();

            bool found = locator.TryLocate(x, y, out int key);

            found.Should().Be(covering.Count > 0, $"({x}, {y}) is {(covering.Count > 0 ? "inside" : "outside")}");
            if (found)
            {
                covering.Should().Contain(key);
            }
        }
    }

    [Fact]
    public void Locator_agrees_with_brute_force_on_a_concave_star_cut_into_multipart_pieces()
    {
        var star = TestShapes.Star();
        var pieces = DemoPartitioner.Split(star, 60);
        var locator = new PointLocator<int>(pieces.Select((p, i) => (i, p)));
        var random = new Random(7);
        var env = star.EnvelopeInternal;

        for (int n = 0; n < 10_000; n++)
        {
            double x = env.MinX + (random.NextDouble() * env.Width);
            double y = env.MinY + (random.NextDouble() * env.Height);
            var point = Factory.CreatePoint(new Coordinate(x, y));
            int expected = Enumerable.Range(0, pieces.Count).FirstOrDefault(i => pieces[i].Covers(point), -1);

            bool found = locator.TryLocate(x, y, out int key);

            found.Should().Be(expected >= 0);
            if (found)
            {
                pieces[key].Covers(point).Should().BeTrue();
            }
        }
    }

    [Fact]
    public void Points_on_shared_edges_and_corners_go_to_one_of_the_neighbours()
    {
        var pieces = DemoPartitioner.Split(TestShapes.LShapeWithHole(), 50);
        var locator = new PointLocator<int>(pieces.Select((p, i) => (i, p)));

        foreach (var piece in pieces)
        {
            foreach (var vertex in piece.Coordinates)
            {
                locator.TryLocate(vertex.X, vertex.Y, out int key).Should().BeTrue($"{vertex} is on the partition");
                pieces[key].Distance(Factory.CreatePoint(vertex)).Should().BeLessThan(1e-9);
            }
        }
    }

    [Fact]
    public void A_comb_of_long_thin_teeth_is_located_like_any_other_area()
    {
        // Every tooth edge spans the full height, the worst case for edges bucketed into bands.
        var ring = new List<Coordinate> { new(110.0, 40.0) };
        for (int tooth = 0; tooth < 300; tooth++)
        {
            double left = 110.0 + (tooth * 0.001);
            ring.Add(new(left, 40.1));
            ring.Add(new(left + 0.0005, 40.1));
            ring.Add(new(left + 0.0005, 40.001));
            ring.Add(new(left + 0.001, 40.001));
        }

        ring[^1] = new(110.3, 40.0);
        ring.Add(new(110.0, 40.0));
        var comb = Factory.CreatePolygon([.. ring]);
        comb.IsValid.Should().BeTrue();
        var locator = new PointLocator<int>([(1, comb)]);
        var random = new Random(5);

        for (int n = 0; n < 5_000; n++)
        {
            double x = 110.0 + (random.NextDouble() * 0.3);
            double y = 40.0 + (random.NextDouble() * 0.1);

            locator.TryLocate(x, y, out _).Should().Be(comb.Covers(Factory.CreatePoint(new Coordinate(x, y))));
        }
    }

    [Fact]
    public void Points_outside_the_areas_are_not_located()
    {
        var locator = new PointLocator<string>([("L", TestShapes.LShapeWithHole())]);

        locator.TryLocate(109.86, 40.62, out _).Should().BeFalse("the point is in the hole");
        locator.TryLocate(109.88, 40.68, out _).Should().BeFalse("the point is in the notch of the L");
        locator.TryLocate(0, 0, out _).Should().BeFalse();
        locator.TryLocate(double.NaN, 40.62, out var missing).Should().BeFalse();
        missing.Should().BeNull();
        locator.TryLocate(109.82, 40.68, out var key).Should().BeTrue();
        key.Should().Be("L");
    }

    [Fact]
    public void Multipolygon_areas_are_found_in_every_part()
    {
        var islands = Factory.CreateMultiPolygon(
        [
            TestShapes.Rectangle(110.00, 40.00, 110.10, 40.10),
            TestShapes.Rectangle(110.30, 40.00, 110.35, 40.05),
        ]);
        var locator = new PointLocator<int>([(1, islands), (2, TestShapes.Rectangle(110.10, 40.00, 110.30, 40.05))]);

        locator.TryLocate(110.05, 40.05, out int west).Should().BeTrue();
        west.Should().Be(1);
        locator.TryLocate(110.32, 40.02, out int east).Should().BeTrue();
        east.Should().Be(1);
        locator.TryLocate(110.20, 40.02, out int between).Should().BeTrue();
        between.Should().Be(2);
        locator.TryLocate(110.20, 40.08, out _).Should().BeFalse();
    }

    [Fact]
    public void Count_is_the_number_of_areas_and_an_empty_locator_finds_nothing()
    {
        new PointLocator<int>(DemoPartitioner.Split(TestShapes.Star(), 9).Select((p, i) => (i, p))).Count.Should().Be(9);

        var empty = new PointLocator<int>([]);
        empty.Count.Should().Be(0);
        empty.TryLocate(110, 40, out _).Should().BeFalse();
    }

    [Fact]
    public void Non_polygonal_areas_are_rejected()
    {
        var line = Factory.CreateLineString([new(110, 40), new(111, 41)]);

        FluentActions.Invoking(() => new PointLocator<int>([(1, line)])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Lookups_allocate_nothing()
    {
        var locator = new PointLocator<int>(DemoPartitioner.Split(TestShapes.LShapeWithHole(), 300).Select((p, i) => (i, p)));
        var random = new Random(3);
        var points = Enumerable.Range(0, 10_000).Select(_ => (X: 109.79 + (random.NextDouble() * 0.12), Y: 40.59 + (random.NextDouble() * 0.12))).ToArray();
        LocateAll(locator, points);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int found = LocateAll(locator, points);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        found.Should().BePositive();
        allocated.Should().Be(0);
    }

    [Fact]
    public void Concurrent_lookups_see_the_same_answers_as_sequential_ones()
    {
        var pieces = DemoPartitioner.Split(TestShapes.Star(), 500);
        var locator = new PointLocator<int>(pieces.Select((p, i) => (i, p)));
        var random = new Random(11);
        var points = Enumerable.Range(0, 20_000).Select(_ => (X: 109.93 + (random.NextDouble() * 0.14), Y: 40.55 + (random.NextDouble() * 0.1))).ToArray();
        var sequential = points.Select(p => locator.TryLocate(p.X, p.Y, out int k) ? k : -1).ToArray();

        var parallel = new int[points.Length];
        Parallel.For(0, points.Length, i => parallel[i] = locator.TryLocate(points[i].X, points[i].Y, out int k) ? k : -1);

        parallel.Should().Equal(sequential);
    }

    private static int LocateAll(PointLocator<int> locator, (double X, double Y)[] points)
    {
        int found = 0;
        foreach (var (x, y) in points)
        {
            if (locator.TryLocate(x, y, out _))
            {
                found++;
            }
        }

        return found;
    }
}
