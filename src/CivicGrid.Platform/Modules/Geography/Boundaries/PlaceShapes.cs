using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Domain;
using CivicGrid.Modules.Geography.Spatial;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Simplify;

namespace CivicGrid.Modules.Geography.Boundaries;

/// <summary><see cref="IPlaceShapes"/> over the divisions and their current boundaries.</summary>
internal sealed class PlaceShapes(CivicGridDbContext db) : IPlaceShapes
{
    private const int MaxOutlinePoints = 64;

    public async Task<PlaceShape?> FindAsync(string code, CancellationToken cancellationToken = default)
    {
        var division = await db.Set<Division>().IgnoreQueryFilters().AsNoTracking().Where(d => d.Code == code)
            .Select(d => new { d.Code, d.Name, d.Level }).FirstOrDefaultAsync(cancellationToken);
        if (division is null)
        {
            return null;
        }
        var wkb = await db.Set<Boundary>().IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.DivisionCode == code && b.ValidTo == null).Select(b => b.Wkb).FirstOrDefaultAsync(cancellationToken);
        if (wkb is null)
        {
            return new PlaceShape(division.Code, division.Name, division.Level, null, null, []);
        }
        var shape = Shapes.FromWkb(wkb);
        // InteriorPoint, not the centroid: a crescent's centroid may lie outside it.
        var inside = shape.InteriorPoint;
        var largest = Enumerable.Range(0, shape.NumGeometries).Select(shape.GetGeometryN).OfType<Polygon>()
            .OrderByDescending(p => p.Area).FirstOrDefault();
        IReadOnlyList<(double, double)> outline = [];
        if (largest is not null)
        {
            var ring = largest.ExteriorRing;
            var tolerance = ring.EnvelopeInternal.Diameter / 200;
            Geometry simple = ring;
            while (simple.NumPoints > MaxOutlinePoints && tolerance < ring.EnvelopeInternal.Diameter)
            {
                simple = DouglasPeuckerSimplifier.Simplify(ring, tolerance);
                tolerance *= 2;
            }
            outline = [.. simple.Coordinates.Select(c => (c.X, c.Y))];
        }
        return new PlaceShape(division.Code, division.Name, division.Level, inside.X, inside.Y, outline);
    }

    public async Task<IReadOnlyList<DivisionSummary>> BelowAsync(string code, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        var upper = CivicGridDbContext.UpperBound(code);
        return await db.Set<Division>().IgnoreQueryFilters().AsNoTracking()
            .Where(d => string.Compare(d.Code, code) > 0 && string.Compare(d.Code, upper) < 0 && d.Level <= DivisionLevel.Grid)
            .OrderBy(d => d.Code).Take(max)
            .Select(d => new DivisionSummary(d.Code, d.Name, d.Level, d.ParentCode))
            .ToListAsync(cancellationToken);
    }
}
