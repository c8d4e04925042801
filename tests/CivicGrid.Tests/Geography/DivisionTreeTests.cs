using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Divisions;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Geography;

/// <summary>The tree pages' queries on both databases: counts by code prefix, ancestry, name search.</summary>
public sealed class DivisionTreeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_branch_counts_every_level_under_each_child_and_a_search_names_each_hits_ancestors(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        await using var scope = app.Services.CreateAsyncScope();
        var tree = scope.ServiceProvider.GetRequiredService<DivisionTree>();

        var top = (await tree.BranchAsync(null, Ct))!;
        top.Current.Should().BeNull();
        top.Children.Select(c => c.Code).Should().Equal("15", "61");
        top.CountLevels.Should().Equal(DivisionLevel.City, DivisionLevel.County, DivisionLevel.Township,
            DivisionLevel.Community, DivisionLevel.Grid, DivisionLevel.MicroGrid);
        top.Children[0].CountOf(DivisionLevel.Grid).Should().Be(1391);
        top.Children[1].CountOf(DivisionLevel.Grid).Should().Be(0);

        var kundulun = (await tree.BranchAsync("150203", Ct))!;
        kundulun.Ancestors.Select(a => a.Name).Should().Equal("内蒙古自治区", "包头市");
        kundulun.Children.Should().HaveCount(16).And.OnlyContain(c => c.Level == DivisionLevel.Township);
        kundulun.CountLevels.Should().Equal(DivisionLevel.Community, DivisionLevel.Grid, DivisionLevel.MicroGrid);
        kundulun.Children.Sum(c => c.CountOf(DivisionLevel.Community)).Should().Be(112);
        kundulun.Children.Sum(c => c.CountOf(DivisionLevel.Grid)).Should().Be(1391);
        kundulun.Current!.CountOf(DivisionLevel.Township).Should().Be(16);
        kundulun.Current.CountOf(DivisionLevel.Grid).Should().Be(1391);
        kundulun.Current.CountOf(DivisionLevel.MicroGrid).Should().Be(kundulun.Children.Sum(c => c.CountOf(DivisionLevel.MicroGrid)));

        (await tree.BranchAsync("150203001019001", Ct))!.Ancestors.Should().HaveCount(5);
        (await tree.BranchAsync("999999", Ct)).Should().BeNull();
        (await tree.BranchAsync("abc", Ct)).Should().BeNull();

        var hits = await tree.SearchAsync("友谊小区第一", new PageRequest(1, 5), Ct);
        hits.Total.Should().BeGreaterThan(5, "the community and its grids match");
        hits.Items[0].Division.Code.Should().Be("150203001019");
        hits.Items[0].Ancestors.Select(a => a.Code).Should().Equal("15", "1502", "150203", "150203001");
        hits.Items.Skip(1).Should().OnlyContain(h => h.Division.Level == DivisionLevel.Grid);

        var place = (await tree.PlaceAsync("150203001019", Ct))!;
        place.HasBoundary.Should().BeTrue();
        place.ChildCount.Should().BeGreaterThan(0);
        (await tree.PlaceAsync("61", Ct))!.HasBoundary.Should().BeFalse();
    }
}
