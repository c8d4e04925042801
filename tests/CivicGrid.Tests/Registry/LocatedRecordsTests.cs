using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;

namespace CivicGrid.Tests.Registry;

/// <summary>Organizations, key places and components (<c>/api/v1/organizations</c>, <c>/places</c>, <c>/components</c>) on both databases.</summary>
public sealed class LocatedRecordsTests
{
    // GB 32100: a published example, and the same with a wrong check character.
    private const string CreditCode = "91350100M000100Y43";
    private const string WrongCreditCode = "91350100M000100Y44";
    private const string Phone = "13804712345";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Organizations_are_validated_located_masked_filtered_scoped_and_their_changes_kept(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: PersonsApiTests.Keys());
        var places = await PersonsApiTests.PlacesAsync(app);
        var township = await app.ClientAsAsync(Roles.Township, places.TownshipA, "org.township");

        // Field errors: kind, credit code check character, a grid or a point required.
        var invalid = await township.PostJsonAsync("/api/v1/organizations", new { name = "某公司", creditCode = WrongCreditCode });
        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await invalid.JsonAsync()).GetProperty("errors");
        errors.GetProperty("creditCode")[0].GetString().Should().Contain("校验位");
        errors.TryGetProperty("kind", out _).Should().BeTrue();
        errors.TryGetProperty("gridCode", out _).Should().BeTrue();
        (await township.PostJsonAsync("/api/v1/organizations", Org("某公司", "NonPublicEconomic", places.GridB))).StatusCode
            .Should().Be(HttpStatusCode.BadRequest, "a grid of another township is no grid of his");

        // By the point: the grid is the one the point lies in.
        var (lon, lat) = await CentreAsync(app, places.GridA);
        var created = await township.PostJsonAsync("/api/v1/organizations", new
        {
            name = "钢城机械有限公司",
            kind = "NonPublicEconomic",
            creditCode = CreditCode.ToLowerInvariant(),
            legalRepresentative = "周九",
            phone = Phone,
            lon,
            lat,
        });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        created.Headers.Location!.ToString().Should().StartWith("/api/v1/organizations/");
        var organization = await created.JsonAsync();
        var id = organization.GetProperty("id").GetString()!;
        organization.GetProperty("gridCode").GetString().Should().Be(places.GridA);
        organization.GetProperty("creditCode").GetString().Should().Be(CreditCode);
        organization.GetProperty("phone").GetString().Should().Be("138****2345");
        (await township.PostJsonAsync("/api/v1/organizations", Org("幸福社区志愿者协会", "Social", places.OtherGridA))).StatusCode
            .Should().Be(HttpStatusCode.Created);

        async Task<List<string>> NamesAsync(string query) => [.. (await (await township.GetPathAsync($"/api/v1/organizations?{query}")).JsonAsync())
            .GetProperty("items").EnumerateArray().Select(o => o.GetProperty("name").GetString()!)];
        (await NamesAsync("kind=Social")).Should().Equal("幸福社区志愿者协会");
        (await NamesAsync($"q={CreditCode}")).Should().Equal("钢城机械有限公司");
        (await NamesAsync($"q={Uri.EscapeDataString("机械")}")).Should().Equal("钢城机械有限公司");
        (await NamesAsync($"within={places.OtherGridA}")).Should().Equal("幸福社区志愿者协会");
        (await (await township.GetPathAsync("/api/v1/organizations")).Content.ReadAsStringAsync(Ct)).Should().NotContain(Phone);

        // A replacement is a change set in the history; the phone only as "changed".
        var updated = await township.PutAsJsonAsync(new Uri($"/api/v1/organizations/{id}", UriKind.Relative), new
        {
            name = "钢城机械有限公司",
            kind = "NonPublicEconomic",
            creditCode = CreditCode,
            legalRepresentative = "吴十",
            phone = "13904710000",
            gridCode = places.GridA,
        }, Ct);
        updated.StatusCode.Should().Be(HttpStatusCode.OK, await updated.Content.ReadAsStringAsync(Ct));
        var history = (await (await township.GetPathAsync($"/api/v1/registry/history?recordId={id}")).JsonAsync()).GetProperty("items")
            .EnumerateArray().Where(r => r.GetProperty("operation").GetString() == "updated").ToDictionary(r => r.GetProperty("field").GetString()!);
        history.Keys.Should().BeEquivalentTo(["legalRepresentative", "phone", "lon", "lat"]);
        history["legalRepresentative"].GetProperty("oldValue").GetString().Should().Be("周九");
        history["legalRepresentative"].GetProperty("newValue").GetString().Should().Be("吴十");
        history["phone"].GetProperty("newValue").ValueKind.Should().Be(JsonValueKind.Null);
        history["phone"].GetProperty("entityType").GetString().Should().Be("organization");

        // Another township: 404 for the record, its list and its grid.
        var townshipB = await app.ClientAsAsync(Roles.Township, places.TownshipB);
        (await townshipB.GetPathAsync($"/api/v1/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await townshipB.PutAsJsonAsync(new Uri($"/api/v1/organizations/{id}", UriKind.Relative), Org("改名", "Social", places.GridB), Ct))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await townshipB.GetPathAsync($"/api/v1/organizations?within={places.GridA}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await townshipB.GetPathAsync("/api/v1/organizations")).JsonAsync()).GetProperty("total").GetInt32().Should().Be(0);
        var leader = await app.ClientAsAsync(Roles.Leader, places.TownshipA);
        (await leader.GetPathAsync($"/api/v1/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await leader.PostJsonAsync("/api/v1/organizations", Org("领导登记", "Social", places.GridA))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Places_and_components_are_validated_and_filtered_by_kind_class_and_status(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: PersonsApiTests.Keys());
        var places = await PersonsApiTests.PlacesAsync(app);
        var worker = await app.ClientAsAsync(Roles.GridWorker, places.GridA);

        (await worker.PostJsonAsync("/api/v1/places", new { name = "第一小学", kind = "Castle", gridCode = places.GridA })).StatusCode
            .Should().Be(HttpStatusCode.BadRequest);
        (await worker.PostJsonAsync("/api/v1/places", new { name = "第一小学", kind = "School", responsiblePerson = "郑校长", gridCode = places.GridA }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        (await worker.PostJsonAsync("/api/v1/places", new { name = "加油站", kind = "HazardousSite", gridCode = places.GridA })).StatusCode
            .Should().Be(HttpStatusCode.Created);
        (await worker.PostJsonAsync("/api/v1/places", new { name = "别人的学校", kind = "School", gridCode = places.OtherGridA })).StatusCode
            .Should().Be(HttpStatusCode.BadRequest, "a grid worker registers in his own grid only");
        var schools = await (await worker.GetPathAsync("/api/v1/places?kind=School")).JsonAsync();
        schools.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Should().Equal("第一小学");

        var missing = await worker.PostJsonAsync("/api/v1/components", new { gridCode = places.GridA });
        var fields = (await missing.JsonAsync()).GetProperty("errors");
        fields.TryGetProperty("class", out _).Should().BeTrue();
        fields.TryGetProperty("subclass", out _).Should().BeTrue();
        var cover = await worker.PostJsonAsync("/api/v1/components",
            new { @class = "PublicFacilities", subclass = "井盖", code = "JG-0001", status = "Damaged", gridCode = places.GridA });
        cover.StatusCode.Should().Be(HttpStatusCode.Created, await cover.Content.ReadAsStringAsync(Ct));
        (await cover.JsonAsync()).GetProperty("name").GetString().Should().Be("井盖 JG-0001", "a component goes by its subclass and code");
        (await worker.PostJsonAsync("/api/v1/components", new { @class = "PublicFacilities", subclass = "消防栓", gridCode = places.GridA }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        (await worker.PostJsonAsync("/api/v1/components", new { @class = "Traffic", subclass = "路灯", status = "Damaged", gridCode = places.GridA }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        async Task<List<string>> SubclassesAsync(string query) => [.. (await (await worker.GetPathAsync($"/api/v1/components?{query}")).JsonAsync())
            .GetProperty("items").EnumerateArray().Select(c => c.GetProperty("subclass").GetString()!).Order()];
        (await SubclassesAsync("class=PublicFacilities")).Should().Equal("井盖", "消防栓");
        (await SubclassesAsync("status=Damaged")).Should().Equal("井盖", "路灯");
        (await SubclassesAsync("class=PublicFacilities&status=Damaged")).Should().Equal("井盖");
        (await SubclassesAsync("q=JG-0001")).Should().Equal("井盖");
        var page = await (await worker.GetAsync(new Uri("/registry/objects?type=components", UriKind.Relative), Ct)).Content.ReadAsStringAsync(Ct);
        page.Should().Contain("井盖 JG-0001").And.Contain("/registry/history/");
        (await (await worker.GetAsync(new Uri("/registry/objects?type=places", UriKind.Relative), Ct)).Content.ReadAsStringAsync(Ct))
            .Should().Contain("第一小学");
        var other = await app.ClientAsAsync(Roles.GridWorker, places.OtherGridA);
        (await (await other.GetPathAsync("/api/v1/components")).JsonAsync()).GetProperty("total").GetInt32().Should().Be(0);
    }

    private static object Org(string name, string kind, string grid) => new { name, kind, gridCode = grid };

    private static async Task<(double Lon, double Lat)> CentreAsync(CivicGridApp app, string grid)
    {
        var admin = await app.AdminClientAsync("150203");
        var geometry = (await (await admin.GetPathAsync($"/api/v1/divisions/{grid}/boundary")).JsonAsync()).GetProperty("geometry");
        var ring = geometry.GetProperty("type").GetString() == "MultiPolygon"
            ? geometry.GetProperty("coordinates")[0][0]
            : geometry.GetProperty("coordinates")[0];
        var points = ring.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList();
        return (points.Average(p => p.Item1), points.Average(p => p.Item2));
    }
}
