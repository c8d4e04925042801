using System.Net;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Cases;

/// <summary>
/// Case detail reads answered in groups (docs/adr/0026): many callers' reads in one query, each
/// caller still seeing only his own jurisdiction's cases, on both databases (SQLite reads one by one).
/// </summary>
public sealed class CaseDetailReadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Reads_of_several_callers_at_once_each_get_their_own_cases_and_never_the_others(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (townshipA, townshipB) = await CaseApiTests.TownshipsAsync(app);
        var a = await app.ClientAsAsync(Roles.Township, townshipA);
        var b = await app.ClientAsAsync(Roles.Township, townshipB);
        var leader = await app.ClientAsAsync(Roles.Leader, "150203");
        var idsOfA = await ReportAsync(app, a, townshipA, 3);
        var idsOfB = await ReportAsync(app, b, townshipB, 3);
        var missing = Guid.CreateVersion7().ToString();

        // Every caller reads every case (and one that does not exist) at once, several times over.
        var reads = (from round in Enumerable.Range(0, 4)
                     from reader in new[] { ("A", a), ("B", b), ("leader", leader) }
                     from id in idsOfA.Concat(idsOfB).Append(missing)
                     select (Reader: reader.Item1, Client: reader.Item2, Id: id)).ToList();
        var answers = await Task.WhenAll(reads.Select(async r =>
        {
            var response = await r.Client.GetPathAsync($"/api/v1/cases/{r.Id}");
            var id = response.StatusCode == HttpStatusCode.OK ? (await response.JsonAsync()).GetProperty("id").GetString() : null;
            return (r.Reader, r.Id, response.StatusCode, Read: id);
        }));

        foreach (var (reader, id, status, read) in answers)
        {
            var visible = id != missing && (reader == "leader" || (reader == "A" ? idsOfA : idsOfB).Contains(id));
            status.Should().Be(visible ? HttpStatusCode.OK : HttpStatusCode.NotFound, $"{reader} reading {id}");
            if (visible)
            {
                read.Should().Be(id, "each read gets its own case, not a neighbour's in the group");
            }
        }
        if (provider == DatabaseProvider.Postgres)
        {
            app.Services.GetRequiredService<CaseDetailReads>().LastBatchSize.Should().BeGreaterThan(0);
        }
    }

    [Fact]
    public void The_filter_evaluated_in_memory_is_the_filter_of_the_database()
    {
        using var db = new CivicGridDbContext(new DbContextOptionsBuilder<CivicGridDbContext>()
            .UseSqlite("Data Source=:memory:").Options);
        db.InScope("150203001001001").Should().BeTrue("the system sees everything");

        db.Scope = new TestScope("150203001", "150299");
        db.InScope("150203001").Should().BeTrue("the root itself");
        db.InScope("150203001015001").Should().BeTrue("a grid under the root");
        db.InScope("150203002001001").Should().BeFalse("the next street");
        db.InScope("15020300").Should().BeFalse("above the root");
        db.InScope("150299999999999").Should().BeTrue("under an all-nines tail");
        db.InScope("150300").Should().BeFalse();
        db.InScope(null).Should().BeFalse();

        db.Scope = new TestScope();
        db.InScope("150203001015001").Should().BeFalse("an anonymous caller sees nothing");
    }

    private static async Task<List<string>> ReportAsync(CivicGridApp app, HttpClient client, string township, int count)
    {
        var (_, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var created = await client.PostJsonAsync("/api/v1/cases",
                new { categoryCode = "0301", lon, lat, description = $"分组读取测试 {i}", channel = "patrol" });
            created.StatusCode.Should().Be(HttpStatusCode.Created);
            ids.Add((await created.JsonAsync()).GetProperty("id").GetString()!);
        }
        return ids;
    }

    private sealed class TestScope(params string[] roots) : IDataScope
    {
        public bool Unrestricted => false;

        public IReadOnlyList<string> Roots { get; } = roots;

        public IReadOnlyList<string> Ancestors => [];
    }
}
