using NetTopologySuite.Geometries;

namespace CivicGrid.Tests.Geography;

/// <summary>Hand-made test areas near Baotou, shared by the partitioner and locator tests.</summary>
internal static class TestShapes
{
    private static readonly GeometryFactory Factory = new();

    public static Polygon Rectangle(double minX, double minY, double maxX, double maxY) => Factory.CreatePolygon(
    [
        new(minX, minY), new(maxX, minY), new(maxX, maxY), new(minX, maxY), new(minX, minY),
    ]);

    // About the size of an urban district near Baotou: L-shaped, with a lake in its foot.
    public static Polygon LShapeWithHole() => Factory.CreatePolygon(
        Factory.CreateLinearRing(
        [
            new(109.80, 40.60), new(109.90, 40.60), new(109.90, 40.64), new(109.84, 40.64),
            new(109.84, 40.70), new(109.80, 40.70), new(109.80, 40.60),
        ]),
        [
            Factory.CreateLinearRing(
            [
                new(109.85, 40.61), new(109.85, 40.625), new(109.87, 40.625), new(109.87, 40.61), new(109.85, 40.61),
            ]),
        ]);

    // A ten-pointed star with an octagonal hole: concave everywhere, so cuts make multi-part pieces.
    public static Polygon Star()
    {
        const double cx = 110.0;
        const double cy = 40.6;
        var shell = new Coordinate[21];
        for (int i = 0; i < 20; i++)
        {
            double radius = i % 2 == 0 ? 0.05 : 0.02;
            double angle = i * Math.PI / 10;
            shell[i] = new Coordinate(cx + (radius * Math.Cos(angle) / 0.76), cy + (radius * Math.Sin(angle)));
        }

        shell[20] = shell[0].Copy();
        var hole = new Coordinate[9];
        for (int i = 0; i < 8; i++)
        {
            double angle = i * Math.PI / 4;
            hole[i] = new Coordinate(cx + (0.008 * Math.Cos(angle) / 0.76), cy + (0.008 * Math.Sin(angle)));
        }

        hole[8] = hole[0].Copy();
        return Factory.CreatePolygon(Factory.CreateLinearRing(shell), [Factory.CreateLinearRing(hole)]);
    }
}
