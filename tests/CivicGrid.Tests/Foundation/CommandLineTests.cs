using CivicGrid.Infrastructure.Data;
using CivicGrid.Tests.Infrastructure;

namespace CivicGrid.Tests.Foundation;

/// <summary>The same executable is the command line: verbs run against either database.</summary>
public sealed class CommandLineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Help_lists_the_verbs()
    {
        var (exit, output, _) = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, "Data Source=:memory:", "--help");
        exit.Should().Be(0);
        output.Should().Contain("migrate").And.Contain("seed").And.Contain("import");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Import_divisions_migrates_imports_and_reports_per_level(DatabaseProvider provider)
    {
        TestDatabases.Require(provider);
        var connectionString = await TestDatabases.CreateAsync(provider);
        try
        {
            var (exit, output, error) = await CivicGridProcess.RunAsync(provider, connectionString, "import", "divisions",
                Path.Combine(AppContext.BaseDirectory, "DemoData", "divisions"));
            exit.Should().Be(0, error);
            output.Should().Contain("Community").And.Contain("14956");

            var again = await CivicGridProcess.RunAsync(provider, connectionString, "import", "divisions",
                Path.Combine(AppContext.BaseDirectory, "DemoData", "divisions"));
            again.Exit.Should().Be(0, again.Err);
            again.Out.Should().MatchRegex(@"Community\s+villages\.csv\s+14956\s+0\s+0\s+14956\s+0");
        }
        finally
        {
            await TestDatabases.DropAsync(provider, connectionString);
        }
    }

    [Fact]
    public async Task A_missing_folder_is_a_clear_error_and_a_nonzero_exit()
    {
        var (exit, _, error) = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, "Data Source=:memory:", "import", "divisions", "/no/such/folder");
        exit.Should().NotBe(0);
        error.Should().Contain("no such folder");
    }

    [Fact]
    public async Task Seed_demo_partitions_any_district_of_the_shipped_data_to_the_asked_grid_count()
    {
        var connectionString = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        try
        {
            // 九原区 (150207) is a MultiPolygon in the shipped outlines.
            var (exit, output, error) = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, connectionString, "seed", "demo", "--area", "150207", "--grids", "300");
            exit.Should().Be(0, error);
            output.Should().MatchRegex(@"area 150207: \d+ townships, \d+ communities, 300 grids");

            var again = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, connectionString, "seed", "demo", "--area", "150207", "--grids", "300");
            again.Exit.Should().Be(0, again.Err);
            again.Out.Should().Contain("already has grids");

            var tooFew = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, connectionString, "seed", "demo", "--area", "150203", "--grids", "5");
            tooFew.Exit.Should().Be(2);
            tooFew.Err.Should().Contain("少于社区数");
        }
        finally
        {
            await TestDatabases.DropAsync(DatabaseProvider.Sqlite, connectionString);
        }
    }

    [Fact]
    public async Task Import_boundaries_reports_an_unknown_code_and_takes_an_alias()
    {
        var connectionString = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var data = Path.Combine(AppContext.BaseDirectory, "DemoData");
        try
        {
            (await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, connectionString, "import", "divisions", Path.Combine(data, "divisions"))).Exit.Should().Be(0);
            var file = Path.Combine(data, "boundaries", "6108-yulin.geojson");
            var plain = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, connectionString, "import", "boundaries", file);
            plain.Exit.Should().Be(1);
            plain.Err.Should().Contain("610821").And.Contain("610881 神木市");

            var aliased = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, connectionString, "import", "boundaries", file, "--alias", "610821=610881");
            // Yulin's other counties are not in the shipped tables: they stay rejected, Shenmu goes in.
            aliased.Err.Should().NotContain("610821: 没有代码").And.Contain("610822: 没有代码");
            aliased.Out.Should().MatchRegex(@"\b1 imported");

            var badAlias = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, connectionString, "import", "boundaries", file, "--alias", "610821");
            badAlias.Exit.Should().Be(2);
        }
        finally
        {
            await TestDatabases.DropAsync(DatabaseProvider.Sqlite, connectionString);
        }
    }

    [Fact]
    public async Task Import_grids_reads_an_esri_shapefile_with_chinese_names()
    {
        var connectionString = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var folder = Directory.CreateTempSubdirectory("shp-");
        try
        {
            (await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, connectionString, "seed", "demo", "--area", "150207", "--grids", "200")).Exit.Should().Be(0);
            // Redraw one community's first grid as a shapefile feature with a new code beside it.
            var settings = new CivicGrid.Infrastructure.Data.DatabaseSettings(DatabaseProvider.Sqlite, connectionString);
            var options = CivicGrid.Infrastructure.Data.DatabaseSetup.Configure(
                new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<CivicGrid.Infrastructure.Data.CivicGridDbContext>(), settings);
            string gridCode;
            NetTopologySuite.Geometries.Geometry shape;
            await using (var db = new CivicGrid.Infrastructure.Data.CivicGridDbContext(
                             (Microsoft.EntityFrameworkCore.DbContextOptions<CivicGrid.Infrastructure.Data.CivicGridDbContext>)options.Options))
            {
                var row = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(
                        db.Set<CivicGrid.Modules.Geography.Domain.Boundary>())
                    .Where(b => b.ValidTo == null && b.DivisionCode.Length == 15)
                    .OrderBy(b => b.DivisionCode).First();
                gridCode = row.DivisionCode;
                shape = CivicGrid.Modules.Geography.Spatial.Shapes.FromWkb(row.Wkb);
            }
            var newCode = gridCode[..12] + "950";
            var attributes = new NetTopologySuite.Features.AttributesTable { { "code", newCode }, { "name", "测试网格" } };
            var shp = Path.Combine(folder.FullName, "grids.shp");
            NetTopologySuite.IO.Esri.Shapefile.WriteAllFeatures(
                [new NetTopologySuite.Features.Feature(shape, attributes)], shp, encoding: System.Text.Encoding.UTF8);

            var (exit, output, error) = await CivicGridProcess.RunAsync(DatabaseProvider.Sqlite, connectionString, "import", "grids", shp);
            exit.Should().Be(0, error);
            output.Should().Contain("1 features: 1 imported");
            error.Should().Contain("重叠", "the new grid lies on top of an existing one");
        }
        finally
        {
            folder.Delete(recursive: true);
            await TestDatabases.DropAsync(DatabaseProvider.Sqlite, connectionString);
        }
    }
}
