using System.Text.Json;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Converters;

namespace CivicGrid.Modules.Geography.Spatial;

/// <summary>Geometry plumbing shared by the importers, the index and the endpoints (lon/lat, EPSG:4326).</summary>
internal static class Shapes
{
    public static readonly GeometryFactory Factory =
        NtsGeometryServices.Instance.CreateGeometryFactory(new PrecisionModel(PrecisionModels.Floating), 4326);

    /// <summary>System.Text.Json options that read and write GeoJSON geometries.</summary>
    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory(Factory));
        return options;
    }

    public static byte[] ToWkb(Geometry geometry) => new WKBWriter().Write(geometry);

    public static Geometry FromWkb(byte[] wkb) => new WKBReader(NtsGeometryServices.Instance).Read(wkb);

    public static (double, double, double, double) EnvelopeOf(Geometry geometry)
    {
        var e = geometry.EnvelopeInternal;
        return (e.MinX, e.MinY, e.MaxX, e.MaxY);
    }

    /// <summary>
    /// Checks a shape for use as a boundary: polygonal, inside lon/lat range, valid (repaired when
    /// it is not, and the repair is reported). Returns the shape to store, or the reason it cannot be.
    /// </summary>
    public static (Geometry? Shape, string? Error, string? Warning) Prepare(Geometry? geometry)
    {
        if (geometry is null || geometry.IsEmpty)
        {
            return (null, "几何为空", null);
        }
        if (geometry is not (Polygon or MultiPolygon))
        {
            return (null, $"几何类型 {geometry.GeometryType} 不是面（Polygon/MultiPolygon）", null);
        }
        var e = geometry.EnvelopeInternal;
        if (e.MinX < -180 || e.MaxX > 180 || e.MinY < -90 || e.MaxY > 90)
        {
            return (null, "坐标超出经纬度范围（经度 -180..180，纬度 -90..90）", null);
        }
        string? warning = null;
        if (!geometry.IsValid)
        {
            var fixedShape = GeometryFixer.Fix(geometry);
            fixedShape = Polygonal(fixedShape);
            if (fixedShape is null || fixedShape.IsEmpty)
            {
                return (null, "几何无效且无法修复", null);
            }
            warning = "几何无效（自相交等），已自动修复";
            geometry = fixedShape;
        }
        geometry.SRID = 4326;
        return (geometry, null, warning);
    }

    // A repair can yield a collection; keep its polygons.
    private static Geometry? Polygonal(Geometry geometry)
    {
        if (geometry is Polygon or MultiPolygon)
        {
            return geometry;
        }
        var polygons = Enumerable.Range(0, geometry.NumGeometries)
            .Select(geometry.GetGeometryN)
            .SelectMany(g => g is MultiPolygon mp ? Enumerable.Range(0, mp.NumGeometries).Select(i => (Polygon)mp.GetGeometryN(i)) : g is Polygon p ? [p] : [])
            .ToArray();
        return polygons.Length switch
        {
            0 => null,
            1 => polygons[0],
            _ => Factory.CreateMultiPolygon(polygons),
        };
    }
}
