using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Domain;
using CivicGrid.Modules.Geography.Spatial;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace CivicGrid.Tests.Geography;

/// <summary>The demo district as stored: exact nesting, and locate agreeing with brute force.</summary>
public sealed class DemoPartitionOnDatabaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Dictionary<string, Geometry>> CurrentShapesAsync(CivicGridApp app, string within)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var rows = await db.Set<Boundary>().AsNoTracking()
            .Where(b => b.ValidTo == null && b.DivisionCode.StartsWith(within))
            .Select(b => new { b.DivisionCode, b.Wkb })
            .ToListAsync(Ct);
        return rows.ToDictionary(r => r.DivisionCode, r => Shapes.FromWkb(r.Wkb));
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Every_level_of_kundulun_covers_its_parent_exactly_with_no_overlap(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var shapes = await CurrentShapesAsync(app, "150203");

        shapes.Keys.Count(k => k.Length == 9).Should().Be(16);
        shapes.Keys.Count(k => k.Length == 12).Should().Be(112);
        shapes.Keys.Count(k => k.Length == 15).Should().Be(1391);
        shapes.Keys.Count(k => k.Length == 18).Should().BeGreaterThan(0);

        foreach (var (parent, parentShape) in shapes.Where(s => s.Key.Length < 18))
        {
            var childLength = parent.Length == 6 ? 9 : parent.Length + 3;
            var children = shapes.Where(s => s.Key.Length == childLength && s.Key.StartsWith(parent, StringComparison.Ordinal))
                .Select(s => s.Value).ToList();
            if (children.Count == 0)
            {
                continue;
            }
            var sum = children.Sum(c => c.Area);
            (Math.Abs(sum - parentShape.Area) / parentShape.Area).Should().BeLessThan(1e-6, $"the children of {parent} add up to it");
            foreach (var child in children)
            {
                (child.Difference(parentShape).Area / child.Area).Should().BeLessThan(1e-6, $"every child of {parent} lies inside it");
            }
            var union = NetTopologySuite.Operation.Union.CascadedPolygonUnion.Union(children.ToArray());
            (Math.Abs(union.Area - sum) / parentShape.Area).Should().BeLessThan(1e-6, $"the children of {parent} do not overlap");
        }
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Locate_agrees_with_a_brute_force_search_on_ten_thousand_random_points(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var shapes = await CurrentShapesAsync(app, "150203");
        var grids = shapes.Where(s => s.Key.Length == 15).ToList();
        var micro = shapes.Where(s => s.Key.Length == 18).ToList();
        var county = shapes["150203"];
        var locator = app.Services.GetRequiredService<IGeoLocator>();
        var random = new Random(20261122);
        var e = county.EnvelopeInternal;
        int inGrids = 0, outside = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var x = e.MinX + random.NextDouble() * e.Width;
            var y = e.MinY + random.NextDouble() * e.Height;
            var point = new Point(x, y);
            var expectedMicro = micro.Where(g => g.Value.Covers(point)).Select(g => g.Key).ToList();
            var expectedGrids = grids.Where(g => g.Value.Covers(point)).Select(g => g.Key).ToList();
            var found = locator.Locate(x, y);
            if (expectedGrids.Count == 0)
            {
                // Outside Kundulun's grids: outside the county too, or in a neighbouring county.
                if (found is not null)
                {
                    found.DeepestCode.Should().NotStartWith("150203");
                }
                outside++;
                continue;
            }
            inGrids++;
            found.Should().NotBeNull($"({x}, {y}) lies in {expectedGrids[0]}");
            found!.Grid!.Code.Should().BeOneOf(expectedGrids);
            if (expectedMicro.Count > 0)
            {
                found.MicroGrid!.Code.Should().BeOneOf(expectedMicro);
            }
            found.Community!.Code.Should().Be(found.Grid.Code[..12]);
            found.County!.Name.Should().Be("昆都仑区");
        }
        inGrids.Should().BeGreaterThan(1000);
        outside.Should().BeGreaterThan(100);
    }
}
