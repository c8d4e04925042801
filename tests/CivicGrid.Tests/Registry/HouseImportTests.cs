using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Cases;
using CivicGrid.Tests.Infrastructure;

namespace CivicGrid.Tests.Registry;

/// <summary><c>import ledger FILE --type house</c> on both databases: Chinese headers as they are, upsert, row errors, rejects file.</summary>
public sealed class HouseImportTests
{
    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_house_ledger_imports_its_good_rows_rejects_the_broken_ones_and_a_second_run_changes_nothing(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: HousesApiTests.Keys());
        var (township, _) = await CaseApiTests.TownshipsAsync(app);
        var (grid, _, _) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var folder = Directory.CreateTempSubdirectory("house-ledger-");
        try
        {
            var path = Path.Combine(folder.FullName, "房屋台账.csv");
            await File.WriteAllTextAsync(path, string.Join("\r\n",
                "小区,楼栋,单元,楼层,房号,面积,房屋用途,地址,网格编码",
                $"阳光小区,1号楼,1单元,1,101,89.5,自住,,{grid}",
                $"阳光小区,1号楼,1单元,1,102,90㎡,出租,,{grid}",
                $"阳光小区,1号楼,2单元,2,201,75,空置,,{grid}",
                $"阳光小区,2号楼,,3,301,100,商用,,{grid}",
                $",,,,12,60,自住,哈业胡同村一组,{grid}",
                $",,,,13,,自住,哈业胡同村一组,{grid}",
                // Broken: the same flat again, unreadable floor/area/use, a bungalow without address, a unit without building, an unknown grid.
                $"阳光小区,1号楼,1单元,1,101,89.5,自住,,{grid}",
                $"阳光小区,1号楼,1单元,一楼,103,abc,住人,,{grid}",
                $",,,,14,50,自住,,{grid}",
                $",,1单元,,15,50,自住,村里,{grid}",
                "阳光小区,1号楼,1单元,1,104,80,自住,,150203999999999") + "\r\n", new UTF8Encoding(false), TestContext.Current.CancellationToken);

            var (exit, output, error) = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "import", "ledger", path, "--type", "house");
            output.TrimEnd().Split('\n')[^1].Should().Be("imported 6, updated 0, rejected 5", output + error);
            exit.Should().Be(1);
            error.Should().Contain("row 8 [房号]: 与第 2 行是同一房屋")
                .And.Contain("row 9 [楼层]").And.Contain("row 9 [面积]").And.Contain("row 9 [房屋用途]")
                .And.Contain("row 10 [地址]").And.Contain("row 11 [楼栋]").And.Contain("row 12 [网格编码]");
            File.Exists(Path.Combine(folder.FullName, "房屋台账.rejects.xlsx")).Should().BeTrue();

            var staff = await app.ClientAsAsync(Roles.Township, township);
            var houses = await (await staff.GetPathAsync($"/api/v1/houses?within={grid}&pageSize=50")).JsonAsync();
            houses.GetProperty("total").GetInt32().Should().Be(6);
            houses.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("label").GetString())
                .Should().Contain(["阳光小区 1号楼 1单元 101", "阳光小区 1号楼 2单元 201", "阳光小区 2号楼 301", "哈业胡同村一组 12"]);
            var compounds = await (await staff.GetPathAsync($"/api/v1/compounds?within={grid}")).JsonAsync();
            compounds.GetProperty("total").GetInt32().Should().Be(1);
            compounds.GetProperty("items")[0].GetProperty("buildings").GetInt32().Should().Be(2);
            (await (await staff.GetPathAsync($"/api/v1/houses?within={grid}&use=Rented")).JsonAsync()).GetProperty("items")[0]
                .GetProperty("area").GetDecimal().Should().Be(90m);

            // Again: every good row is there already, unchanged.
            var again = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "import", "ledger", path, "--type", "house");
            again.Out.TrimEnd().Split('\n')[^1].Should().Be("imported 0, updated 0, rejected 5", again.Out + again.Err);
            (await (await staff.GetPathAsync($"/api/v1/houses?within={grid}")).JsonAsync()).GetProperty("total").GetInt32().Should().Be(6);

            var unknown = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "import", "ledger", path, "--type", "car");
            unknown.Exit.Should().Be(2);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
