using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Divisions;
using CivicGrid.Modules.Geography.Domain;
using CivicGrid.Modules.Geography.Spatial;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace CivicGrid.Modules.Geography.Boundaries;

/// <summary>The answer to a boundary edit: the new version and what to look at.</summary>
public sealed record BoundaryEdited(string Code, bool Changed, DateTimeOffset? ValidFrom, IReadOnlyList<string> Warnings);

/// <summary>
/// <c>PUT /api/v1/divisions/{code}/boundary</c>: draws or redraws a shape on the map with the same
/// rules as the importer (inside the parent; overlaps with siblings reported). The previous shape
/// is kept as history.
/// </summary>
internal sealed class EditBoundary(CivicGridDbContext db, BoundaryRules rules, GeoIndex index, TimeProvider clock, ICaller caller)
{
    public async Task<Result<BoundaryEdited>> HandleAsync(string code, JsonElement body, CancellationToken cancellationToken)
    {
        if (DivisionQueries.CheckCode(code) is { } invalid)
        {
            return invalid;
        }
        if (!await db.Set<Division>().AnyAsync(d => d.Code == code, cancellationToken))
        {
            return DivisionQueries.NotFound(code);
        }
        if (!caller.Can(Capabilities.GeoEdit, code))
        {
            return Error.Forbidden("geo.edit_forbidden", $"您无权修改 {code} 的边界");
        }

        // Accept a bare geometry or a Feature wrapping one.
        var geometryJson = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("type", out var t) && t.GetString() == "Feature"
            && body.TryGetProperty("geometry", out var g) ? g : body;
        Geometry? geometry;
        try
        {
            geometry = geometryJson.ValueKind == JsonValueKind.Object ? geometryJson.Deserialize<Geometry>(Shapes.Json) : null;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return new FieldErrors().Add("geometry", $"几何无法解析：{e.Message}").ToError()!;
        }
        var (shape, error, repaired) = Shapes.Prepare(geometry);
        if (shape is null)
        {
            return new FieldErrors().Add("geometry", error!).ToError()!;
        }
        var parent = DivisionCode.ParentOf(code);
        var parentShape = parent is null ? null : await rules.CurrentShapeAsync(parent, cancellationToken);
        if (rules.CheckInsideParent(code, shape, parentShape) is { } outside)
        {
            return new FieldErrors().Add("geometry", outside).ToError("geo.outside_parent", outside)!;
        }

        var warnings = new List<string>();
        if (repaired is not null)
        {
            warnings.Add(repaired);
        }
        warnings.AddRange(await rules.OverlapsAsync(code, shape, cancellationToken));
        var changed = await rules.ReplaceAsync(code, shape, "edit", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (changed)
        {
            await index.ReloadAsync(db, cancellationToken);
        }
        return new BoundaryEdited(code, changed, changed ? clock.GetUtcNow() : null, warnings);
    }
}
