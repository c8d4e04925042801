using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Geography;

/// <summary>Importing the national division tables: counts, idempotence, row-level errors.</summary>
public sealed class DivisionImportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static string ShippedTables => Path.Combine(AppContext.BaseDirectory, "DemoData", "divisions");

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_shipped_tables_import_with_counts_equal_to_the_csv_rows_and_a_second_run_changes_nothing(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        await using var scope = app.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<IDivisionDirectory>();

        var first = await directory.ImportAsync(new FolderDivisionTables(ShippedTables), Ct);
        first.Errors.Should().BeEmpty();
        first.Levels.Select(l => l.Inserted).Should().Equal(2, 13, 109, 1245, 14956);
        (await directory.CountAsync(Ct)).Should().Be(2 + 13 + 109 + 1245 + 14956);

        var second = await directory.ImportAsync(new FolderDivisionTables(ShippedTables), Ct);
        second.Changed.Should().Be(0);
        second.Levels.Select(l => l.Unchanged).Should().Equal(2, 13, 109, 1245, 14956);
        (await directory.CountAsync(Ct)).Should().Be(16325);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_corrupted_copy_reports_every_bad_row_and_imports_the_rest(DatabaseProvider provider)
    {
        var folder = Directory.CreateTempSubdirectory("divisions-bad-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "provinces.csv"), "code,name\n98,\"甲省\"\n9X,\"坏代码\"\n", Ct);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "cities.csv"),
                "code,name,provinceCode\n9801,\"甲市\",98\n9802,\"\",98\n9701,\"孤儿市\",97\n9801,\"重复市\",98\n9803,\"错前缀\",99\n", Ct);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "areas.csv"),
                "code,name,cityCode,provinceCode\n980101,\"甲区\",9801,98\n98010,\"短代码\",9801,98\n970101,\"父被拒\",9701,97\n", Ct);

            await using var app = await CivicGridApp.StartAsync(provider, seed: false);
            await using var scope = app.Services.CreateAsyncScope();
            var directory = scope.ServiceProvider.GetRequiredService<IDivisionDirectory>();
            var report = await directory.ImportAsync(new FolderDivisionTables(folder.FullName), Ct);

            report.Levels.Take(3).Select(l => l.Inserted).Should().Equal(1, 1, 1);
            report.Errors.Select(e => (e.File, e.Line, e.Column)).Should().BeEquivalentTo(new[]
            {
                ("provinces.csv", 3, "code"),
                ("cities.csv", 3, "name"),
                ("cities.csv", 4, "parent"),
                ("cities.csv", 5, "code"),
                ("cities.csv", 6, "parent"),
                ("areas.csv", 3, "code"),
                ("areas.csv", 4, "parent"),
            });
            report.Errors.Should().OnlyContain(e => !string.IsNullOrWhiteSpace(e.Reason));
            (await directory.FindAsync("980101", Ct))!.Name.Should().Be("甲区");
            (await directory.FindAsync("9701", Ct)).Should().BeNull();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_fresh_start_seeds_kundulun_with_its_real_townships_and_communities(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var client = await app.AdminClientAsync();
        var response = await client.GetPathAsync("/api/v1/divisions/150203");
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var kundulun = await response.JsonAsync();
        kundulun.GetProperty("name").GetString().Should().Be("昆都仑区");
        kundulun.GetProperty("childCount").GetInt32().Should().Be(16);
        kundulun.GetProperty("ancestors").EnumerateArray().Select(a => a.GetProperty("name").GetString())
            .Should().Equal("内蒙古自治区", "包头市");

        var communities = await (await client.GetPathAsync("/api/v1/divisions?level=Community&q=&pageSize=500&parent=")).JsonAsync();
        // 14,956 communities are stored; an Inner Mongolia administrator sees Inner Mongolia's only.
        communities.GetProperty("total").GetInt32().Should().Be(14592);
        var shaanxi = await (await (await app.AdminClientAsync("61")).GetPathAsync("/api/v1/divisions?level=Community&pageSize=500")).JsonAsync();
        shaanxi.GetProperty("total").GetInt32().Should().Be(14956 - 14592);
    }
}
