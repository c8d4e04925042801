using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Divisions;
using CivicGrid.Modules.Geography.Domain;
using CivicGrid.Modules.Geography.Spatial;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using NetTopologySuite.Algorithm.Construct;
using NetTopologySuite.Geometries;
using NetTopologySuite.Simplify;

namespace CivicGrid.Modules.Geography.Boundaries;

/// <summary>Boundaries as RFC 7946 GeoJSON: one division's shape, a division's children, every grid under a code.</summary>
internal sealed class BoundaryQueries(CivicGridDbContext db, IConfiguration configuration)
{
    private const double MetresPerDegree = 111_320;

    /// <summary>Most features one request may ask for (<c>Geo:MaxFeatures</c>, default 20,000).</summary>
    public int MaxFeatures => configuration.GetValue("Geo:MaxFeatures", 20_000);

    public async Task<Result<byte[]>> BoundaryAsync(string code, DateTimeOffset? at, double? simplify, CancellationToken cancellationToken)
    {
        if (DivisionQueries.CheckCode(code) is { } invalid)
        {
            return invalid;
        }
        if (CheckSimplify(simplify) is { } badSimplify)
        {
            return badSimplify;
        }
        var division = await db.Set<Division>().AsNoTracking().SingleOrDefaultAsync(d => d.Code == code, cancellationToken);
        if (division is null)
        {
            return DivisionQueries.NotFound(code);
        }
        var query = db.Set<Boundary>().AsNoTracking().Where(b => b.DivisionCode == code);
        query = at is null
            ? query.Where(b => b.ValidTo == null)
            : query.Where(b => b.ValidFrom <= at && (b.ValidTo == null || b.ValidTo > at));
        var boundary = await query.Select(b => new { b.Wkb, b.ValidFrom, b.ValidTo, b.Source }).FirstOrDefaultAsync(cancellationToken);
        if (boundary is null)
        {
            return Error.NotFound("geo.boundary_not_found", at is null ? $"{code} 尚未上图（没有边界）" : $"{code} 在 {at:O} 没有边界");
        }
        var shape = Simplify(Shapes.FromWkb(boundary.Wkb), simplify);
        return Write(writer =>
        {
            WriteFeature(writer, division.Code, division.Name, division.Level, shape,
                w =>
                {
                    WriteLabelPoint(w, shape);
                    w.WriteString("validFrom", boundary.ValidFrom);
                    if (boundary.ValidTo is { } to)
                    {
                        w.WriteString("validTo", to);
                    }
                    w.WriteString("source", boundary.Source);
                });
        });
    }

    public async Task<Result<byte[]>> ChildrenAsync(string code, double? simplify, CancellationToken cancellationToken)
    {
        if (DivisionQueries.CheckCode(code) is { } invalid)
        {
            return invalid;
        }
        if (CheckSimplify(simplify) is { } badSimplify)
        {
            return badSimplify;
        }
        if (!await db.Set<Division>().AnyAsync(d => d.Code == code, cancellationToken))
        {
            return DivisionQueries.NotFound(code);
        }
        var rows = await (from d in db.Set<Division>().AsNoTracking()
                          where d.ParentCode == code
                          join b in db.Set<Boundary>().Where(b => b.ValidTo == null) on d.Code equals b.DivisionCode
                          orderby d.Code
                          select new { d.Code, d.Name, d.Level, b.Wkb }).ToListAsync(cancellationToken);
        var childLength = DivisionCode.ChildLengthOf(code) ?? -1;
        var childCounts = await db.Set<Division>().AsNoTracking()
            .Where(d => d.ParentCode != null && d.ParentCode.StartsWith(code) && d.ParentCode.Length == childLength)
            .GroupBy(d => d.ParentCode!)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return Collection(rows.Select(r => (r.Code, r.Name, r.Level, Shapes.FromWkb(r.Wkb), childCounts.GetValueOrDefault(r.Code))), simplify);
    }

    public async Task<Result<byte[]>> GridsWithinAsync(string? within, double? simplify, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(within))
        {
            return new FieldErrors().Add("within", "缺少区划代码 within").ToError()!;
        }
        if (DivisionQueries.CheckCode(within) is not null)
        {
            return new FieldErrors().Add("within", "区划代码应为 2/4/6/9/12/15 位数字").ToError()!;
        }
        if (CheckSimplify(simplify) is { } badSimplify)
        {
            return badSimplify;
        }
        if (!await db.Set<Division>().AnyAsync(d => d.Code == within, cancellationToken))
        {
            return DivisionQueries.NotFound(within);
        }
        var grids = db.Set<Boundary>().AsNoTracking()
            .Where(b => b.ValidTo == null && b.DivisionCode.StartsWith(within) && b.DivisionCode.Length == 15);
        var total = await grids.CountAsync(cancellationToken);
        if (total > MaxFeatures)
        {
            return Error.Validation("geo.too_many", $"{within} 下有 {total} 个网格，超过单次上限 {MaxFeatures}；请缩小范围",
                new Dictionary<string, string[]> { ["within"] = [$"{total} > {MaxFeatures}"] });
        }
        var rows = await (from b in grids
                          join d in db.Set<Division>() on b.DivisionCode equals d.Code
                          orderby d.Code
                          select new { d.Code, d.Name, d.Level, b.Wkb }).ToListAsync(cancellationToken);
        return Collection(rows.Select(r => (r.Code, r.Name, r.Level, Shapes.FromWkb(r.Wkb), 0)), simplify);
    }

    private static Error? CheckSimplify(double? simplify) => simplify is < 0 or > 10_000 || (simplify is { } s && !double.IsFinite(s))
        ? new FieldErrors().Add("simplify", "简化容差（米）须在 0 到 10000 之间").ToError()
        : null;

    private static Geometry Simplify(Geometry shape, double? metres) => metres is > 0
        ? TopologyPreservingSimplifier.Simplify(shape, metres.Value / MetresPerDegree)
        : shape;

    private static byte[] Collection(IEnumerable<(string Code, string Name, DivisionLevel Level, Geometry Shape, int Children)> features, double? simplify) =>
        Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            foreach (var (code, name, level, shape, children) in features)
            {
                var drawn = Simplify(shape, simplify);
                WriteFeature(writer, code, name, level, drawn, w =>
                {
                    w.WriteNumber("childCount", children);
                    WriteLabelPoint(w, drawn);
                });
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    // Where a map puts the name: the centre of the largest circle inside the (largest part of the)
    // shape, which stays inside concave and L-shaped areas where the centroid would not.
    private static void WriteLabelPoint(Utf8JsonWriter writer, Geometry shape)
    {
        var part = shape is MultiPolygon parts ? parts.Geometries.MaxBy(g => g.Area) : shape;
        if (part is null || part.IsEmpty)
        {
            return;
        }
        var tolerance = Math.Max(part.EnvelopeInternal.Diameter / 200, 1e-7);
        var centre = MaximumInscribedCircle.GetCenter(part, tolerance).Coordinate;
        writer.WriteStartArray("labelPoint");
        writer.WriteNumberValue(Math.Round(centre.X, 7));
        writer.WriteNumberValue(Math.Round(centre.Y, 7));
        writer.WriteEndArray();
    }

    private static void WriteFeature(Utf8JsonWriter writer, string code, string name, DivisionLevel level, Geometry shape, Action<Utf8JsonWriter> extra)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteString("id", code);
        writer.WriteStartObject("properties");
        writer.WriteString("code", code);
        writer.WriteString("name", name);
        writer.WriteString("level", level.ToString());
        extra(writer);
        writer.WriteEndObject();
        writer.WritePropertyName("geometry");
        JsonSerializer.Serialize(writer, shape, Shapes.Json);
        writer.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }
        return buffer.ToArray();
    }
}
