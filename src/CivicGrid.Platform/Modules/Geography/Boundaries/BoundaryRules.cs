using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Domain;
using CivicGrid.Modules.Geography.Spatial;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using NetTopologySuite.Geometries;

namespace CivicGrid.Modules.Geography.Boundaries;

/// <summary>
/// The rules a grid's or division's shape must keep, shared by the importers and the map editor:
/// it lies inside its parent (up to <c>Geo:OutsideTolerance</c>, a share of its own area, default
/// 0.1%); overlaps with siblings are reported. Also writes new versions of a shape.
/// </summary>
internal sealed class BoundaryRules(CivicGridDbContext db, TimeProvider clock, IConfiguration configuration)
{
    /// <summary>How much of a shape may stick out of its parent, as a share of its area.</summary>
    public double OutsideTolerance => configuration.GetValue("Geo:OutsideTolerance", 0.001);

    public async Task<Geometry?> CurrentShapeAsync(string code, CancellationToken cancellationToken)
    {
        var wkb = await db.Set<Boundary>().IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.DivisionCode == code && b.ValidTo == null)
            .Select(b => b.Wkb)
            .FirstOrDefaultAsync(cancellationToken);
        return wkb is null ? null : Shapes.FromWkb(wkb);
    }

    /// <summary>Why the shape cannot be the boundary of <paramref name="code"/>, or null.</summary>
    public string? CheckInsideParent(string code, Geometry shape, Geometry? parentShape)
    {
        if (parentShape is null)
        {
            return null;
        }
        var outside = shape.Difference(parentShape).Area;
        var share = shape.Area <= 0 ? 1 : outside / shape.Area;
        return share > OutsideTolerance
            ? $"{code} 有 {share:P2} 的面积超出上级 {DivisionCode.ParentOf(code)} 的边界（允许 {OutsideTolerance:P2}）"
            : null;
    }

    /// <summary>Siblings (same parent, same level) whose current shapes overlap this one, with the overlap share.</summary>
    public async Task<List<string>> OverlapsAsync(string code, Geometry shape, CancellationToken cancellationToken)
    {
        var parent = DivisionCode.ParentOf(code) ?? string.Empty;
        var e = shape.EnvelopeInternal;
        var siblings = await db.Set<Boundary>().IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.ValidTo == null && b.DivisionCode != code && b.DivisionCode.StartsWith(parent)
                        && b.DivisionCode.Length == code.Length
                        && b.MinX <= e.MaxX && b.MaxX >= e.MinX && b.MinY <= e.MaxY && b.MaxY >= e.MinY)
            .Select(b => new { b.DivisionCode, b.Wkb })
            .ToListAsync(cancellationToken);
        var warnings = new List<string>();
        foreach (var sibling in siblings)
        {
            var other = Shapes.FromWkb(sibling.Wkb);
            var overlap = shape.Intersection(other).Area;
            if (overlap > shape.Area * 1e-6)
            {
                warnings.Add($"{code} 与同级 {sibling.DivisionCode} 重叠 {overlap / shape.Area:P2}");
            }
        }
        return warnings;
    }

    /// <summary>
    /// Makes <paramref name="shape"/> the current boundary of <paramref name="code"/>: the old version
    /// ends now and is kept. Returns false when the shape is the same as the current one.
    /// </summary>
    public async Task<bool> ReplaceAsync(string code, Geometry shape, string source, CancellationToken cancellationToken)
    {
        var wkb = Shapes.ToWkb(shape);
        var current = await db.Set<Boundary>().IgnoreQueryFilters().Where(b => b.DivisionCode == code && b.ValidTo == null).ToListAsync(cancellationToken);
        if (current.Count == 1 && current[0].Wkb.AsSpan().SequenceEqual(wkb))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        foreach (var old in current)
        {
            old.Retire(now);
        }
        db.Add(new Boundary(code, wkb, Shapes.EnvelopeOf(shape), now, source));
        return true;
    }
}
