using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Boundaries;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Domain;
using CivicGrid.Modules.Geography.Spatial;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace CivicGrid.Modules.Geography.Demo;

/// <summary>
/// Communities have no published boundaries, so the demo draws a deterministic, plausible nested
/// partition from the district's real outline: district → its real townships → their real
/// communities → grids (apportioned by area to the requested total) → micro-grids under every
/// seventh grid. Each level is cut from its parent with complementary half-planes, so children
/// cover their parent exactly.
/// </summary>
internal sealed class DemoGeography(CivicGridDbContext db, ImportBoundaries importer, BoundaryRules rules, GeoIndex index, TimeProvider clock)
    : IDemoGeography
{
    private const int MicroGridEvery = 7;
    private const int MicroGridsPerGrid = 3;

    public async Task<DemoGeographyReport> SeedAsync(string boundariesFolder, string area, int grids, CancellationToken cancellationToken = default)
    {
        var county = await db.Set<Division>().AsNoTracking().SingleOrDefaultAsync(d => d.Code == area, cancellationToken)
            ?? throw new DemoSeedException($"区划 {area} 不存在：先导入区划表");
        if (county.Level != DivisionLevel.County)
        {
            throw new DemoSeedException($"{area} {county.Name} 不是县级区划（6 位代码）");
        }
        if (await db.Set<Division>().AnyAsync(d => d.Level == DivisionLevel.Grid && d.Code.StartsWith(area), cancellationToken))
        {
            return new DemoGeographyReport(area, 0, 0, 0, 0, AlreadySeeded: true, null);
        }

        BoundaryImportReport? imported = null;
        var outline = await rules.CurrentShapeAsync(area, cancellationToken);
        if (outline is null)
        {
            var file = Directory.Exists(boundariesFolder)
                ? Directory.EnumerateFiles(boundariesFolder, $"{area[..4]}-*.geojson").FirstOrDefault()
                : null;
            if (file is null)
            {
                throw new DemoSeedException($"{area} 没有边界，{boundariesFolder} 中也没有 {area[..4]}-*.geojson");
            }
            await using (var stream = File.OpenRead(file))
            {
                var result = await importer.HandleAsync(stream, $"import:{Path.GetFileName(file)}", BoundaryImportMode.Divisions, null, cancellationToken);
                imported = result.IsSuccess ? result.Value : throw new DemoSeedException(result.Error!.Message);
            }
            outline = await rules.CurrentShapeAsync(area, cancellationToken)
                ?? throw new DemoSeedException($"{Path.GetFileName(file)} 中没有 {area} 的边界");
        }

        var divisions = await db.Set<Division>().AsNoTracking()
            .Where(d => d.Code.StartsWith(area) && (d.Level == DivisionLevel.Township || d.Level == DivisionLevel.Community))
            .OrderBy(d => d.Code)
            .ToListAsync(cancellationToken);
        var townships = divisions.Where(d => d.Level == DivisionLevel.Township).ToList();
        var communities = divisions.Where(d => d.Level == DivisionLevel.Community).ToLookup(d => d.ParentCode!);
        var communityCount = divisions.Count(d => d.Level == DivisionLevel.Community);
        if (townships.Count == 0 || communityCount == 0)
        {
            throw new DemoSeedException($"{area} 没有乡镇或社区，无法划分网格");
        }
        if (grids < communityCount)
        {
            throw new DemoSeedException($"网格数 {grids} 少于社区数 {communityCount}：每个社区至少一个网格");
        }

        var now = clock.GetUtcNow();
        var boundaries = new List<Boundary>();
        var newDivisions = new List<Division>();
        void Draw(string code, Geometry shape) =>
            boundaries.Add(new Boundary(code, Shapes.ToWkb(shape), Shapes.EnvelopeOf(shape), now, "demo-partition"));

        var communityShapes = new List<(Division Community, Geometry Shape)>();
        var townshipPieces = DemoPartitioner.Split(outline, townships.Count);
        for (var t = 0; t < townships.Count; t++)
        {
            Draw(townships[t].Code, townshipPieces[t]);
            var members = communities[townships[t].Code].ToList();
            if (members.Count == 0)
            {
                continue;
            }
            var pieces = DemoPartitioner.Split(townshipPieces[t], members.Count);
            for (var c = 0; c < members.Count; c++)
            {
                Draw(members[c].Code, pieces[c]);
                communityShapes.Add((members[c], pieces[c]));
            }
        }

        var perCommunity = DemoPartitioner.Apportion(grids, communityShapes.Select(c => c.Shape.Area).ToList());
        var gridCount = 0;
        var microCount = 0;
        for (var c = 0; c < communityShapes.Count; c++)
        {
            var (community, shape) = communityShapes[c];
            var stem = ShortName(community.Name);
            var pieces = DemoPartitioner.Split(shape, perCommunity[c]);
            for (var g = 0; g < pieces.Count; g++)
            {
                var code = $"{community.Code}{g + 1:D3}";
                newDivisions.Add(new Division(code, $"{stem}第{g + 1}网格", DivisionLevel.Grid, community.Code));
                Draw(code, pieces[g]);
                gridCount++;
                if (gridCount % MicroGridEvery == 0)
                {
                    var micro = DemoPartitioner.Split(pieces[g], MicroGridsPerGrid);
                    for (var m = 0; m < micro.Count; m++)
                    {
                        var microCode = $"{code}{m + 1:D3}";
                        newDivisions.Add(new Division(microCode, $"{stem}第{g + 1}网格第{m + 1}微网格", DivisionLevel.MicroGrid, code));
                        Draw(microCode, micro[m]);
                        microCount++;
                    }
                }
            }
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await BulkWriter.InsertAsync(db, newDivisions, cancellationToken);
            await BulkWriter.InsertAsync(db, boundaries, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await index.ReloadAsync(db, cancellationToken);
        return new DemoGeographyReport(area, townships.Count, communityShapes.Count, gridCount, microCount, false, imported);
    }

    // "公主府社区居委会" → "公主府社区": the statistics tables carry the committee's full title.
    private static string ShortName(string name) => name.EndsWith("居委会", StringComparison.Ordinal)
        ? name[..^3]
        : name.EndsWith("村委会", StringComparison.Ordinal) ? name[..^2] : name;
}

/// <summary>The demo cannot be seeded as asked; the message says why.</summary>
public sealed class DemoSeedException(string message) : Exception(message);
