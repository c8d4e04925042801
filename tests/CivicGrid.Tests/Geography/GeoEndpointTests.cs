using System.Net;
using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Geography;

/// <summary>The Geography API: locate, boundaries, grids, edits with history, and every bad input.</summary>
public sealed class GeoEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.Should().Be(status, text);
        var body = await response.JsonAsync();
        body.GetProperty("code").GetString().Should().Be(code);
        if (field is not null)
        {
            body.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue(text);
        }
    }

    private static (double X, double Y) InteriorPoint(System.Text.Json.JsonElement feature)
    {
        var geometry = System.Text.Json.JsonSerializer.Deserialize<NetTopologySuite.Geometries.Geometry>(
            feature.GetProperty("geometry").GetRawText(), CivicGrid.Modules.Geography.Spatial.Shapes.Json)!;
        var p = geometry.InteriorPoint;
        return (p.X, p.Y);
    }

    // The first grid of 少先路街道 (150203001) and its GeoJSON feature.
    private static async Task<(string Code, System.Text.Json.JsonElement Feature)> FirstGridAsync(HttpClient client)
    {
        var grids = await (await client.GetPathAsync("/api/v1/grids?within=150203001")).JsonAsync();
        var feature = grids.GetProperty("features")[0];
        return (feature.GetProperty("id").GetString()!, feature);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Locate_returns_the_grid_and_every_division_above_it(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var client = await app.AdminClientAsync();
        var (code, grid) = await FirstGridAsync(client);
        var (x, y) = InteriorPoint(grid);

        var response = await client.GetPathAsync(FormattableString.Invariant($"/api/v1/geo/locate?lon={x}&lat={y}"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        body.GetProperty("grid").GetProperty("code").GetString().Should().Be(code);
        body.GetProperty("community").GetProperty("code").GetString().Should().Be(code[..12]);
        body.GetProperty("township").GetProperty("name").GetString().Should().Be("少先路街道");
        body.GetProperty("county").GetProperty("name").GetString().Should().Be("昆都仑区");
        body.GetProperty("city").GetProperty("name").GetString().Should().Be("包头市");
        body.GetProperty("province").GetProperty("name").GetString().Should().Be("内蒙古自治区");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Locate_answers_the_deepest_division_outside_grids_and_404_outside_all(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var client = await app.AdminClientAsync();
        // Baotou's other districts have real outlines but no grids in the demo.
        var qingshan = await (await client.GetPathAsync("/api/v1/divisions/150204/boundary")).JsonAsync();
        var (x, y) = InteriorPoint(qingshan);
        var inCounty = await (await client.GetPathAsync(FormattableString.Invariant($"/api/v1/geo/locate?lon={x}&lat={y}"))).JsonAsync();
        inCounty.GetProperty("county").GetProperty("code").GetString().Should().Be("150204");
        inCounty.GetProperty("grid").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);

        await ShouldBeProblemAsync(await client.GetPathAsync("/api/v1/geo/locate?lon=0&lat=0"), HttpStatusCode.NotFound, "geo.outside_coverage");
    }

    [Theory]
    [InlineData("/api/v1/geo/locate?lon=181&lat=40", "lon")]
    [InlineData("/api/v1/geo/locate?lon=109&lat=-91", "lat")]
    [InlineData("/api/v1/geo/locate?lat=40", "lon")]
    [InlineData("/api/v1/geo/locate?lon=abc&lat=40", "lon")]
    [InlineData("/api/v1/geo/locate?lon=NaN&lat=40", "lon")]
    [InlineData("/api/v1/geo/locate?lon=109&lat=40&at=2999-01-01T00:00:00Z", "at")]
    [InlineData("/api/v1/divisions/15x/boundary", "code")]
    [InlineData("/api/v1/divisions/150203/boundary?simplify=-1", "simplify")]
    [InlineData("/api/v1/divisions/150203/children/boundaries?simplify=999999", "simplify")]
    [InlineData("/api/v1/grids", "within")]
    [InlineData("/api/v1/grids?within=1502031", "within")]
    [InlineData("/api/v1/divisions?parent=abc", "parent")]
    [InlineData("/api/v1/divisions?page=0", "page")]
    [InlineData("/api/v1/divisions/150203x", "code")]
    [InlineData("/api/v1/divisions/150203x/children", "code")]
    public async Task Bad_input_is_a_400_naming_the_field(string url, string field)
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        await ShouldBeProblemAsync(await (await app.AdminClientAsync()).GetPathAsync(url), HttpStatusCode.BadRequest, "request.validation_failed", field);
    }

    [Theory]
    [InlineData("/api/v1/divisions/990000/boundary", "geo.division_not_found")]
    [InlineData("/api/v1/divisions/990000/children/boundaries", "geo.division_not_found")]
    [InlineData("/api/v1/divisions/990000/children", "geo.division_not_found")]
    [InlineData("/api/v1/grids?within=990000", "geo.division_not_found")]
    [InlineData("/api/v1/divisions/150203001001001999/boundary", "geo.division_not_found")]
    [InlineData("/api/v1/divisions/15/boundary", "geo.boundary_not_found")]
    public async Task Unknown_codes_are_404_problems(string url, string code)
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite);
        await ShouldBeProblemAsync(await (await app.AdminClientAsync()).GetPathAsync(url), HttpStatusCode.NotFound, code);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Grids_within_a_district_are_one_feature_collection_and_too_many_is_refused(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var response = await (await app.AdminClientAsync()).GetPathAsync("/api/v1/grids?within=150203");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/geo+json");
        var collection = await response.JsonAsync();
        collection.GetProperty("type").GetString().Should().Be("FeatureCollection");
        var features = collection.GetProperty("features").EnumerateArray().ToList();
        features.Should().HaveCount(1391);
        features.Should().OnlyContain(f => f.GetProperty("id").GetString()!.Length == 15
                                           && f.GetProperty("properties").GetProperty("code").GetString() == f.GetProperty("id").GetString());

        var simplified = await (await app.AdminClientAsync()).GetPathAsync("/api/v1/grids?within=150203001&simplify=50");
        simplified.StatusCode.Should().Be(HttpStatusCode.OK);

        await using var limited = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite,
            settings: new Dictionary<string, string?> { ["Geo:MaxFeatures"] = "100" });
        await ShouldBeProblemAsync(await (await limited.AdminClientAsync()).GetPathAsync("/api/v1/grids?within=150203"),
            HttpStatusCode.BadRequest, "geo.too_many", "within");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Editing_a_grid_keeps_the_old_shape_so_past_locations_still_resolve(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var client = await app.AdminClientAsync();
        var (code, feature) = await FirstGridAsync(client);
        var geometry = System.Text.Json.JsonSerializer.Deserialize<NetTopologySuite.Geometries.Geometry>(
            feature.GetProperty("geometry").GetRawText(), CivicGrid.Modules.Geography.Spatial.Shapes.Json)!;
        var point = geometry.InteriorPoint;
        var before = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await Task.Delay(50, Ct);

        // Shrink the grid to a small square around a different corner, away from the point.
        var e = geometry.EnvelopeInternal;
        var shrunk = geometry.Intersection(geometry.Factory.ToGeometry(new NetTopologySuite.Geometries.Envelope(
            e.MinX, e.MinX + e.Width / 4, e.MinY, e.MinY + e.Height / 4)));
        if (shrunk.Covers(point) || shrunk.IsEmpty)
        {
            shrunk = geometry.Intersection(geometry.Factory.ToGeometry(new NetTopologySuite.Geometries.Envelope(
                e.MaxX - e.Width / 4, e.MaxX, e.MaxY - e.Height / 4, e.MaxY)));
        }
        var json = System.Text.Json.JsonSerializer.Serialize(shrunk, CivicGrid.Modules.Geography.Spatial.Shapes.Json);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var edit = await client.PutAsync(new Uri($"/api/v1/divisions/{code}/boundary", UriKind.Relative), content, Ct);
        edit.StatusCode.Should().Be(HttpStatusCode.OK, await edit.Content.ReadAsStringAsync(Ct));
        (await edit.JsonAsync()).GetProperty("changed").GetBoolean().Should().BeTrue();

        var now = await (await client.GetPathAsync(FormattableString.Invariant($"/api/v1/geo/locate?lon={point.X}&lat={point.Y}"))).JsonAsync();
        now.GetProperty("deepestCode").GetString().Should().NotBe(code);
        var at = Uri.EscapeDataString(before.ToString("O"));
        var then = await (await client.GetPathAsync(FormattableString.Invariant($"/api/v1/geo/locate?lon={point.X}&lat={point.Y}&at={at}"))).JsonAsync();
        then.GetProperty("grid").GetProperty("code").GetString().Should().Be(code);
        var oldShape = await client.GetPathAsync($"/api/v1/divisions/{code}/boundary?at={at}");
        (await oldShape.JsonAsync()).GetProperty("properties").GetProperty("source").GetString().Should().Be("demo-partition");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task An_edit_that_leaves_the_community_is_refused_with_the_reason(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (code, _) = await FirstGridAsync(await app.AdminClientAsync());
        using var content = new StringContent(
            """{"type":"Polygon","coordinates":[[[100,30],[100.1,30],[100.1,30.1],[100,30.1],[100,30]]]}""",
            Encoding.UTF8, "application/json");
        var response = await (await app.AdminClientAsync()).PutAsync(new Uri($"/api/v1/divisions/{code}/boundary", UriKind.Relative), content, Ct);
        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "geo.outside_parent", "geometry");

        using var notPolygon = new StringContent("""{"type":"Point","coordinates":[109.8,40.6]}""", Encoding.UTF8, "application/json");
        var point = await (await app.AdminClientAsync()).PutAsync(new Uri($"/api/v1/divisions/{code}/boundary", UriKind.Relative), notPolygon, Ct);
        await ShouldBeProblemAsync(point, HttpStatusCode.BadRequest, "request.validation_failed", "geometry");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Shenmu_under_its_old_code_is_reported_with_the_closest_match_and_imports_with_an_alias(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var client = await app.AdminClientAsync("61");
        var file = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "DemoData", "boundaries", "6108-yulin.geojson"), Ct);

        using var first = new ByteArrayContent(file);
        first.Headers.ContentType = new("application/geo+json");
        var report = await (await client.PostAsync(new Uri("/api/v1/boundaries/import", UriKind.Relative), first, Ct)).JsonAsync();
        var shenmu = report.GetProperty("errors").EnumerateArray().Single(e => e.GetProperty("id").GetString() == "610821");
        shenmu.GetProperty("suggestion").GetString().Should().Contain("610881").And.Contain("神木市");
        (await client.GetPathAsync("/api/v1/divisions/610881/boundary")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        using var second = new ByteArrayContent(file);
        second.Headers.ContentType = new("application/geo+json");
        var aliased = await client.PostAsync(new Uri("/api/v1/boundaries/import?alias=610821:610881", UriKind.Relative), second, Ct);
        var aliasedReport = await aliased.JsonAsync();
        aliasedReport.GetProperty("errors").EnumerateArray().Should().NotContain(e => e.GetProperty("id").GetString() == "610821");
        (await client.GetPathAsync("/api/v1/divisions/610881/boundary")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_grid_import_creates_grids_inside_their_community_rejects_the_rest_and_is_idempotent(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var client = await app.AdminClientAsync();
        // A community of a district with no grids yet: Qingshan (150204) has an outline but no partition.
        var community = (await (await client.GetPathAsync("/api/v1/divisions?parent=150204001&pageSize=1")).JsonAsync())
            .GetProperty("items")[0].GetProperty("code").GetString()!;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var demo = scope.ServiceProvider.GetRequiredService<IDemoGeography>();
            await demo.SeedAsync(Path.Combine(AppContext.BaseDirectory, "DemoData", "boundaries"), "150204", 150, Ct);
        }
        var grids = await (await client.GetPathAsync($"/api/v1/grids?within={community}")).JsonAsync();
        var first = grids.GetProperty("features")[0];
        var geometry = first.GetProperty("geometry").GetRawText();
        var newCode = community + "901";
        var collection = $$$"""
            {"type":"FeatureCollection","features":[
              {"type":"Feature","id":"{{{newCode}}}","properties":{"name":"新网格"},"geometry":{{{geometry}}}},
              {"type":"Feature","id":"{{{community}}}902","properties":{"name":"远方网格"},"geometry":{"type":"Polygon","coordinates":[[[100,30],[100.1,30],[100.1,30.1],[100,30.1],[100,30]]]}},
              {"type":"Feature","id":"999999999999001","properties":{"name":"孤儿"},"geometry":{{{geometry}}}},
              {"type":"Feature","properties":{"name":"没有代码"},"geometry":{{{geometry}}}}
            ]}
            """;
        async Task<System.Text.Json.JsonElement> ImportAsync()
        {
            using var content = new StringContent(collection, Encoding.UTF8, "application/geo+json");
            var response = await client.PostAsync(new Uri("/api/v1/grids/import", UriKind.Relative), content, Ct);
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
            return await response.JsonAsync();
        }
        var report = await ImportAsync();
        report.GetProperty("imported").GetInt32().Should().Be(1);
        report.GetProperty("rejected").GetInt32().Should().Be(3);
        report.GetProperty("warnings").EnumerateArray().Should().Contain(w => w.GetProperty("reason").GetString()!.Contains("重叠"));
        (await client.GetPathAsync($"/api/v1/divisions/{newCode}")).StatusCode.Should().Be(HttpStatusCode.OK);

        var again = await ImportAsync();
        again.GetProperty("imported").GetInt32().Should().Be(0);
        again.GetProperty("unchanged").GetInt32().Should().Be(1);

        using var notGeoJson = new StringContent("{\"type\":\"Point\"}", Encoding.UTF8, "application/json");
        await ShouldBeProblemAsync(await client.PostAsync(new Uri("/api/v1/grids/import", UriKind.Relative), notGeoJson, Ct),
            HttpStatusCode.BadRequest, "request.validation_failed", "file");
        using var csv = new StringContent("a,b", Encoding.UTF8, "text/csv");
        await ShouldBeProblemAsync(await client.PostAsync(new Uri("/api/v1/grids/import", UriKind.Relative), csv, Ct),
            HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
    }

    [Theory]
    [InlineData("/api/v1/divisions/import", "application/zip", "not a zip", HttpStatusCode.BadRequest, "request.validation_failed", "file")]
    [InlineData("/api/v1/divisions/import", "text/csv", "code,name", HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type", null)]
    [InlineData("/api/v1/boundaries/import", "application/geo+json", "{\"type\":", HttpStatusCode.BadRequest, "request.validation_failed", "file")]
    [InlineData("/api/v1/boundaries/import?alias=610821", "application/geo+json", "{\"type\":\"FeatureCollection\",\"features\":[]}", HttpStatusCode.BadRequest, "request.validation_failed", "alias")]
    [InlineData("/api/v1/boundaries/import", "text/plain", "x", HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type", null)]
    [InlineData("/api/v1/grids/import", "application/json", "[]", HttpStatusCode.BadRequest, "request.validation_failed", "file")]
    public async Task Every_importer_refuses_bad_uploads_with_a_problem(string url, string contentType, string body,
        HttpStatusCode status, string code, string? field)
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new(contentType);
        var response = await (await app.AdminClientAsync()).PostAsync(new Uri(url, UriKind.Relative), content, Ct);
        await ShouldBeProblemAsync(response, status, code, field);
    }

    [Fact]
    public async Task A_boundary_edit_with_malformed_json_or_an_unknown_code_is_refused()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        var client = await app.AdminClientAsync();
        using var broken = new StringContent("{\"type\": Polygon", Encoding.UTF8, "application/json");
        await ShouldBeProblemAsync(await client.PutAsync(new Uri("/api/v1/divisions/150203/boundary", UriKind.Relative), broken, Ct),
            HttpStatusCode.BadRequest, "request.malformed_json");
        using var unknown = new StringContent("""{"type":"Polygon","coordinates":[]}""", Encoding.UTF8, "application/json");
        await ShouldBeProblemAsync(await client.PutAsync(new Uri("/api/v1/divisions/990000/boundary", UriKind.Relative), unknown, Ct),
            HttpStatusCode.NotFound, "geo.division_not_found");
    }
}
