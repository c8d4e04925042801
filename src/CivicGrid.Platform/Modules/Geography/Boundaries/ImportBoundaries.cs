using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Domain;
using CivicGrid.Modules.Geography.Spatial;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace CivicGrid.Modules.Geography.Boundaries;

/// <summary>
/// Imports a GeoJSON FeatureCollection of boundaries (feature <c>id</c> = division code,
/// <c>properties.name</c>). A feature whose code matches no division is rejected with the closest
/// division by name as a suggestion; an alias list maps such codes (old code → new).
/// In grid mode, grids and micro-grids are created or renamed, must lie inside their parent, and
/// overlaps with siblings and gaps in the parent's cover are reported. Idempotent.
/// </summary>
internal sealed class ImportBoundaries(CivicGridDbContext db, BoundaryRules rules, GeoIndex index, ICaller caller)
{
    public async Task<Result<BoundaryImportReport>> HandleAsync(Stream geoJson, string source, BoundaryImportMode mode,
        IReadOnlyDictionary<string, string>? aliases, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(geoJson, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            return new FieldErrors().Add("file", $"不是有效的 GeoJSON：{e.Message}").ToError()!;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("type", out var type) || type.GetString() != "FeatureCollection"
                || !document.RootElement.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            {
                return new FieldErrors().Add("file", "应为 GeoJSON FeatureCollection").ToError()!;
            }
            var parsed = features.EnumerateArray().Select((feature, index) => FromGeoJson(feature, index)).ToList();
            return await ImportAsync(parsed, source, mode, aliases ?? new Dictionary<string, string>(), cancellationToken);
        }
    }

    /// <summary>Imports an Esri Shapefile (.shp with its .dbf): fields <c>code</c> (or <c>id</c>) and <c>name</c>.</summary>
    public async Task<Result<BoundaryImportReport>> HandleShapefileAsync(string shpPath, string source, BoundaryImportMode mode,
        IReadOnlyDictionary<string, string>? aliases, CancellationToken cancellationToken)
    {
        NetTopologySuite.Features.Feature[] features;
        try
        {
            // The .cpg file names the DBF's code page; Chinese shapefiles are usually GBK.
            System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
            features = NetTopologySuite.IO.Esri.Shapefile.ReadAllFeatures(shpPath,
                new NetTopologySuite.IO.Esri.Shapefiles.Readers.ShapefileReaderOptions { Factory = Shapes.Factory });
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or FileNotFoundException)
        {
            return new FieldErrors().Add("file", $"无法读取 Shapefile：{e.Message}").ToError()!;
        }
        var parsed = features.Select((f, index) =>
        {
            string? Field(params string[] names)
            {
                var actual = f.Attributes?.GetNames().FirstOrDefault(n => names.Contains(n, StringComparer.OrdinalIgnoreCase));
                return actual is null ? null : Convert.ToString(f.Attributes![actual], System.Globalization.CultureInfo.InvariantCulture)?.Trim();
            }
            return new SourceFeature(index, Field("code", "id"), Field("name"), f.Geometry, null);
        }).ToList();
        return await ImportAsync(parsed, source, mode, aliases ?? new Dictionary<string, string>(), cancellationToken);
    }

    /// <summary>One feature as read from a file, before any rule is applied.</summary>
    private sealed record SourceFeature(int Index, string? Id, string? Name, Geometry? Geometry, string? GeometryError);

    private static SourceFeature FromGeoJson(JsonElement feature, int index)
    {
        var id = ReadId(feature);
        var name = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
                   && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!.Trim() : null;
        try
        {
            var geometry = feature.TryGetProperty("geometry", out var g) && g.ValueKind == JsonValueKind.Object
                ? g.Deserialize<Geometry>(Shapes.Json)
                : null;
            return new SourceFeature(index, id, name, geometry, null);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return new SourceFeature(index, id, name, null, $"几何无法解析：{e.Message}");
        }
    }

    private async Task<BoundaryImportReport> ImportAsync(IReadOnlyList<SourceFeature> features, string source, BoundaryImportMode mode,
        IReadOnlyDictionary<string, string> aliases, CancellationToken cancellationToken)
    {
        var divisions = await db.Set<Division>().IgnoreQueryFilters().ToDictionaryAsync(d => d.Code, StringComparer.Ordinal, cancellationToken);
        var errors = new List<FeatureIssue>();
        var warnings = new List<FeatureIssue>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var touchedParents = new HashSet<string>(StringComparer.Ordinal);
        int count = 0, imported = 0, unchanged = 0;
        var shapesOfParent = new Dictionary<string, Geometry?>(StringComparer.Ordinal);

        foreach (var feature in features)
        {
            count++;
            var (index, id, name) = (feature.Index, feature.Id, feature.Name);
            if (string.IsNullOrEmpty(id))
            {
                errors.Add(new FeatureIssue(index, null, "要素缺少 id（区划或网格代码）"));
                continue;
            }
            var code = aliases.TryGetValue(id, out var alias) ? alias : id;
            var level = DivisionCode.LevelOf(code);
            if (level is null)
            {
                errors.Add(new FeatureIssue(index, id, $"{code} 不是有效的区划或网格代码"));
                continue;
            }
            if (!seen.Add(code))
            {
                errors.Add(new FeatureIssue(index, id, $"{code} 在文件中重复"));
                continue;
            }
            if (!caller.Can(Capabilities.GeoImport, code))
            {
                errors.Add(new FeatureIssue(index, id, $"{code} 不在您的管辖范围内"));
                continue;
            }

            if (feature.GeometryError is not null)
            {
                errors.Add(new FeatureIssue(index, id, feature.GeometryError));
                continue;
            }
            var (shape, invalid, repaired) = Shapes.Prepare(feature.Geometry);
            if (shape is null)
            {
                errors.Add(new FeatureIssue(index, id, invalid!));
                continue;
            }
            if (repaired is not null)
            {
                warnings.Add(new FeatureIssue(index, id, repaired));
            }

            if (mode == BoundaryImportMode.Divisions || level < DivisionLevel.Grid)
            {
                if (!divisions.ContainsKey(code))
                {
                    errors.Add(new FeatureIssue(index, id, $"没有代码为 {code} 的区划", Suggest(divisions.Values, name, level.Value, id)));
                    continue;
                }
            }
            else
            {
                var parent = DivisionCode.ParentOf(code)!;
                if (!divisions.ContainsKey(parent))
                {
                    errors.Add(new FeatureIssue(index, id, $"上级 {parent} 不存在"));
                    continue;
                }
                if (!shapesOfParent.TryGetValue(parent, out var parentShape))
                {
                    shapesOfParent[parent] = parentShape = await rules.CurrentShapeAsync(parent, cancellationToken);
                }
                if (rules.CheckInsideParent(code, shape, parentShape) is { } outside)
                {
                    errors.Add(new FeatureIssue(index, id, outside));
                    continue;
                }
                if (string.IsNullOrWhiteSpace(name))
                {
                    errors.Add(new FeatureIssue(index, id, "网格缺少名称 properties.name"));
                    continue;
                }
                if (divisions.TryGetValue(code, out var existing))
                {
                    existing.Rename(name);
                }
                else
                {
                    var created = new Division(code, name, level.Value, parent);
                    db.Add(created);
                    divisions[code] = created;
                }
                touchedParents.Add(parent);
            }

            if (await rules.ReplaceAsync(code, shape, source, cancellationToken))
            {
                imported++;
            }
            else
            {
                unchanged++;
            }
        }

        // New shapes, new grids or renamed ones: the index (shapes and names) must be rebuilt.
        var changed = db.ChangeTracker.HasChanges();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (mode == BoundaryImportMode.Grids)
        {
            foreach (var parent in touchedParents)
            {
                await CheckCoverAsync(parent, shapesOfParent.GetValueOrDefault(parent), warnings, cancellationToken);
            }
        }
        if (changed)
        {
            await index.ReloadAsync(db, cancellationToken);
        }
        return new BoundaryImportReport(count, imported, unchanged, errors.Count, errors, warnings);
    }

    // Overlaps between siblings and gaps in the parent's cover, reported once per parent.
    private async Task CheckCoverAsync(string parent, Geometry? parentShape, List<FeatureIssue> warnings, CancellationToken cancellationToken)
    {
        var childLength = DivisionCode.ChildLengthOf(parent) ?? -1;
        var children = await db.Set<Boundary>().AsNoTracking()
            .Where(b => b.ValidTo == null && b.DivisionCode.StartsWith(parent) && b.DivisionCode.Length == childLength)
            .Select(b => new { b.DivisionCode, b.Wkb })
            .ToListAsync(cancellationToken);
        var shapes = children.Select(c => (c.DivisionCode, Shape: Shapes.FromWkb(c.Wkb))).ToList();
        for (var i = 0; i < shapes.Count; i++)
        {
            for (var j = i + 1; j < shapes.Count; j++)
            {
                if (!shapes[i].Shape.EnvelopeInternal.Intersects(shapes[j].Shape.EnvelopeInternal))
                {
                    continue;
                }
                var overlap = shapes[i].Shape.Intersection(shapes[j].Shape).Area;
                if (overlap > Math.Min(shapes[i].Shape.Area, shapes[j].Shape.Area) * 1e-6)
                {
                    warnings.Add(new FeatureIssue(-1, shapes[i].DivisionCode,
                        $"{shapes[i].DivisionCode} 与 {shapes[j].DivisionCode} 重叠（{overlap / shapes[i].Shape.Area:P2}）"));
                }
            }
        }
        if (parentShape is not null && shapes.Count > 0)
        {
            var union = NetTopologySuite.Operation.Union.CascadedPolygonUnion.Union(shapes.Select(s => s.Shape).ToArray());
            var gap = parentShape.Difference(union).Area / parentShape.Area;
            if (gap > rules.OutsideTolerance)
            {
                warnings.Add(new FeatureIssue(-1, parent, $"{parent} 有 {gap:P2} 的面积不属于任何下级网格（空隙）"));
            }
        }
    }

    private static string? ReadId(JsonElement feature)
    {
        if (feature.TryGetProperty("id", out var id))
        {
            return id.ValueKind switch
            {
                JsonValueKind.String => id.GetString()?.Trim(),
                JsonValueKind.Number => id.GetRawText(),
                _ => null,
            };
        }
        return feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
               && p.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
            ? code.GetString()?.Trim()
            : null;
    }

    // The closest division by name at the same level: equal names first, then the longest shared prefix.
    private static string? Suggest(IEnumerable<Division> divisions, string? name, DivisionLevel level, string id)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        static string Stem(string s) => s.TrimEnd('市', '县', '区', '旗', '镇', '乡', '街', '道');
        var stem = Stem(name);
        var best = divisions
            .Where(d => d.Level == level)
            .Select(d => (Division: d, Score: d.Name == name ? 1000 : Stem(d.Name) == stem ? 900 : CommonPrefix(Stem(d.Name), stem) * 10))
            .Where(x => x.Score >= 20)
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Division.Code, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Division is null ? null : $"{best.Division.Code} {best.Division.Name}（若是同一区划，导入时加别名 {id}={best.Division.Code}）";
    }

    private static int CommonPrefix(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }
        return i;
    }
}
