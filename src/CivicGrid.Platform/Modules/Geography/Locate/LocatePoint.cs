using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Domain;
using CivicGrid.Modules.Geography.Spatial;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries.Prepared;

namespace CivicGrid.Modules.Geography.Locate;

/// <summary>
/// <c>GET /api/v1/geo/locate?lon=&amp;lat=[&amp;at=]</c>: now, from the in-memory index; at a past
/// instant, from the boundary versions valid then (the database narrows by envelope, the exact
/// test runs in memory).
/// </summary>
internal sealed class LocatePoint(IGeoLocator locator, CivicGridDbContext db, TimeProvider clock, ICaller caller)
{
    public async Task<Result<GeoLocation>> HandleAsync(double? lon, double? lat, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors()
            .When(lon is null, "lon", "缺少经度 lon")
            .When(lat is null, "lat", "缺少纬度 lat")
            .When(lon is < -180 or > 180 || (lon is { } x && !double.IsFinite(x)), "lon", "经度须在 -180 到 180 之间")
            .When(lat is < -90 or > 90 || (lat is { } y && !double.IsFinite(y)), "lat", "纬度须在 -90 到 90 之间")
            .When(at > clock.GetUtcNow(), "at", "时间不能晚于现在");
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }

        var location = at is null
            ? locator.Locate(lon!.Value, lat!.Value)
            : await LocateAtAsync(lon!.Value, lat!.Value, at.Value, cancellationToken);
        // The in-memory index knows every grid: keep only the levels the caller may see.
        location = location is null ? null : Visible(location);
        return location is null
            ? Error.NotFound("geo.outside_coverage", $"点 ({lon}, {lat}) 不在任何已上图的区划或网格内")
            : location;
    }

    private GeoLocation? Visible(GeoLocation l)
    {
        PlaceRef? Keep(PlaceRef? p) => p is not null && caller.Sees(p.Code) ? p : null;
        var visible = new GeoLocation(Keep(l.Province), Keep(l.City), Keep(l.County), Keep(l.Township), Keep(l.Community),
            Keep(l.Grid), Keep(l.MicroGrid));
        return visible is { Province: null, City: null, County: null, Township: null, Community: null, Grid: null, MicroGrid: null }
            ? null
            : visible;
    }

    private async Task<GeoLocation?> LocateAtAsync(double lon, double lat, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var candidates = await db.Set<Boundary>().AsNoTracking()
            .Where(b => b.ValidFrom <= at && (b.ValidTo == null || b.ValidTo > at))
            .Where(b => b.MinX <= lon && b.MaxX >= lon && b.MinY <= lat && b.MaxY >= lat)
            .Select(b => new { b.DivisionCode, b.Wkb })
            .ToListAsync(cancellationToken);
        var point = Shapes.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(lon, lat));
        var deepest = candidates
            .Where(c => PreparedGeometryFactory.Prepare(Shapes.FromWkb(c.Wkb)).Covers(point))
            .Select(c => c.DivisionCode)
            .OrderByDescending(code => code.Length)
            .FirstOrDefault();
        if (deepest is null)
        {
            return null;
        }
        var prefixes = DivisionCode.AncestorsOf(deepest).Append(deepest).ToList();
        var names = await db.Set<Division>().AsNoTracking()
            .Where(d => prefixes.Contains(d.Code))
            .ToDictionaryAsync(d => d.Code, d => d.Name, cancellationToken);
        PlaceRef? Ref(int length) => deepest.Length >= length && names.TryGetValue(deepest[..length], out var name)
            ? new PlaceRef(deepest[..length], name)
            : null;
        return new GeoLocation(Ref(2), Ref(4), Ref(6), Ref(9), Ref(12), Ref(15), Ref(18));
    }
}
