using CivicGrid.Modules.Geography.Spatial;
using NetTopologySuite.Geometries;

namespace CivicGrid.Tests.Geography;

public sealed class DemoPartitionerTests
{
    private static readonly GeometryFactory Factory = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(112)]
    public void Split_returns_exactly_the_requested_number_of_non_empty_polygonal_pieces(int parts)
    {
        var pieces = DemoPartitioner.Split(TestShapes.Star(), parts);

        pieces.Should().HaveCount(parts);
        pieces.Should().AllSatisfy(p =>
        {
            p.Should().BeAssignableTo<IPolygonal>();
            p.IsEmpty.Should().BeFalse();
            p.Area.Should().BeGreaterThan(1e-12);
        });
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Split_covers_the_area_exactly_with_no_overlap(string shape, int parts)
    {
        var area = ShapeNamed(shape);

        var pieces = DemoPartitioner.Split(area, parts);

        pieces.Sum(p => p.Area).Should().BeApproximately(area.Area, area.Area * 1e-6);
        var union = Factory.BuildGeometry(pieces).Union();
        union.SymmetricDifference(area).Area.Should().BeLessThan(area.Area * 1e-9);
        for (int i = 0; i < pieces.Count; i++)
        {
            for (int j = i + 1; j < pieces.Count; j++)
            {
                pieces[i].Intersection(pieces[j]).Area.Should().BeLessThan(area.Area * 1e-12, $"pieces {i} and {j} must not overlap");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_piece_is_a_valid_polygonal_geometry_covered_by_the_input(string shape, int parts)
    {
        var area = ShapeNamed(shape);

        var pieces = DemoPartitioner.Split(area, parts);

        pieces.Should().OnlyContain(p => p.IsValid && area.Covers(p));
        pieces.Select(p => p.OgcGeometryType).Should().OnlyContain(
            t => t == OgcGeometryType.Polygon || t == OgcGeometryType.MultiPolygon);
    }

    [Fact]
    public void Split_is_deterministic()
    {
        var first = DemoPartitioner.Split(TestShapes.Star(), 200);
        var second = DemoPartitioner.Split(TestShapes.Star(), 200);

        second.Should().HaveCount(first.Count);
        for (int i = 0; i < first.Count; i++)
        {
            second[i].EqualsExact(first[i]).Should().BeTrue($"piece {i} must come out the same every time");
        }
    }

    [Fact]
    public void Splitting_into_a_power_of_two_gives_pieces_of_equal_area()
    {
        var area = TestShapes.LShapeWithHole();

        var pieces = DemoPartitioner.Split(area, 16);

        pieces.Should().OnlyContain(p => Math.Abs(p.Area - (area.Area / 16)) < area.Area * 1e-9);
    }

    [Fact]
    public void Pieces_of_a_rectangle_are_compact_blocks_not_strips()
    {
        var rectangle = TestShapes.Rectangle(110.0, 40.5, 110.2, 40.6);

        var pieces = DemoPartitioner.Split(rectangle, 64);

        // Judged in ground distance: a degree of longitude is about 0.76 of one of latitude here.
        pieces.Should().AllBeOfType<Polygon>();
        foreach (var piece in pieces)
        {
            var env = piece.EnvelopeInternal;
            double width = env.Width * Math.Cos(40.55 * Math.PI / 180);
            (Math.Max(width, env.Height) / Math.Min(width, env.Height)).Should().BeLessThan(2.5);
        }
    }

    [Fact]
    public void A_multipolygon_is_split_across_all_its_parts()
    {
        var islands = Factory.CreateMultiPolygon(
        [
            TestShapes.Rectangle(110.00, 40.00, 110.10, 40.10),
            TestShapes.Rectangle(110.30, 40.00, 110.35, 40.05),
        ]);

        var pieces = DemoPartitioner.Split(islands, 10);

        pieces.Should().HaveCount(10);
        pieces.Sum(p => p.Area).Should().BeApproximately(islands.Area, islands.Area * 1e-9);
        pieces.Should().OnlyContain(p => islands.Covers(p));
    }

    [Fact]
    public void An_invalid_self_touching_boundary_is_repaired_rather_than_rejected()
    {
        // A ring that touches itself at (110.1, 40.1), as quantized source boundaries sometimes do.
        var bowtie = Factory.CreatePolygon(
        [
            new(110.0, 40.0), new(110.2, 40.0), new(110.1, 40.1), new(110.2, 40.2),
            new(110.0, 40.2), new(110.1, 40.1), new(110.0, 40.0),
        ]);

        var pieces = DemoPartitioner.Split(bowtie, 8);

        pieces.Should().HaveCount(8);
        pieces.Should().OnlyContain(p => p.IsValid && p.Area > 0);
    }

    [Fact]
    public void Split_rejects_what_it_cannot_split()
    {
        var line = Factory.CreateLineString([new(110, 40), new(111, 41)]);

        FluentActions.Invoking(() => DemoPartitioner.Split(line, 2)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => DemoPartitioner.Split(TestShapes.Star(), 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => DemoPartitioner.Split(Factory.CreatePolygon(), 2)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Splitting_three_levels_down_to_1391_grids_keeps_every_count_and_the_area()
    {
        var district = TestShapes.Star();
        var townships = DemoPartitioner.Split(district, 16);
        var communityCounts = DemoPartitioner.Apportion(112, townships.Select(t => t.Area).ToArray());
        var communities = townships.SelectMany((t, i) => DemoPartitioner.Split(t, communityCounts[i])).ToList();
        var gridCounts = DemoPartitioner.Apportion(1391, communities.Select(c => c.Area).ToArray());
        var grids = communities.SelectMany((c, i) => DemoPartitioner.Split(c, gridCounts[i])).ToList();

        communities.Should().HaveCount(112);
        grids.Should().HaveCount(1391);
        grids.Sum(g => g.Area).Should().BeApproximately(district.Area, district.Area * 1e-6);
    }

    [Theory]
    [InlineData(10, new[] { 1.0, 1.0, 1.0 })]
    [InlineData(1391, new[] { 3.5, 0.01, 12.0, 7.25, 1.0 })]
    [InlineData(5, new[] { 1.0, 1.0, 1.0, 1.0, 1.0 })]
    [InlineData(100, new[] { 1e300, 1e300, 5e299 })]
    public void Apportion_sums_exactly_to_the_total(int total, double[] weights)
    {
        DemoPartitioner.Apportion(total, weights).Sum().Should().Be(total);
    }

    [Fact]
    public void Apportion_is_proportional_and_uses_the_largest_remainders()
    {
        DemoPartitioner.Apportion(100, [1, 2, 3, 4]).Should().Equal(10, 20, 30, 40);
        DemoPartitioner.Apportion(10, [1, 1, 1]).Should().Equal(4, 3, 3);
        DemoPartitioner.Apportion(7, [0.5, 0.3, 0.2]).Should().Equal(4, 2, 1);
    }

    [Fact]
    public void Apportion_gives_every_share_at_least_one()
    {
        var shares = DemoPartitioner.Apportion(12, [1000, 1, 1, 1, 0.001]);

        shares.Should().OnlyContain(s => s >= 1);
        shares.Sum().Should().Be(12);
        shares[0].Should().Be(8);
    }

    [Fact]
    public void Apportion_rejects_a_total_too_small_to_go_round()
    {
        FluentActions.Invoking(() => DemoPartitioner.Apportion(2, [1, 1, 1]))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => DemoPartitioner.Apportion(3, [1, 0, 1]))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => DemoPartitioner.Apportion(3, [1, double.NaN, 1]))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Apportion_of_nothing_among_nobody_is_empty()
    {
        DemoPartitioner.Apportion(0, []).Should().BeEmpty();
    }

    public static TheoryData<string, int> Shapes() => new()
    {
        { "star", 2 },
        { "star", 24 },
        { "l-shape", 5 },
        { "l-shape", 24 },
        { "rectangle", 13 },
    };

    private static Geometry ShapeNamed(string name) => name switch
    {
        "star" => TestShapes.Star(),
        "l-shape" => TestShapes.LShapeWithHole(),
        _ => TestShapes.Rectangle(110.0, 40.5, 110.2, 40.6),
    };
}
