using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Cases;

/// <summary>Cases through the API, as the roles that work them, on both databases.</summary>
public sealed partial class CaseApiTests
{
    private const string Kundulun = "150203";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"^SJ-\d{8}-\d{5}$")]
    private static partial Regex NumberFormat();

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_case_goes_the_whole_loop_from_report_to_follow_up_by_the_roles_that_work_it(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (township, _) = await TownshipsAsync(app);
        var (grid, lon, lat) = await PointInAGridOfAsync(app, township);
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, township);

        var categories = await (await worker.GetPathAsync("/api/v1/case-categories")).JsonAsync();
        categories.GetArrayLength().Should().BeGreaterThanOrEqualTo(25);
        categories.EnumerateArray().Select(c => c.GetProperty("name").GetString()).Should().Contain(["矛盾纠纷", "安全隐患", "公共设施"]);

        var created = await worker.PostJsonAsync("/api/v1/cases",
            new { categoryCode = "0301", lon, lat, description = "小区门口垃圾堆放三天无人清理", channel = "patrol" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var report = await created.JsonAsync();
        var id = report.GetProperty("id").GetString()!;
        report.GetProperty("number").GetString().Should().MatchRegex(NumberFormat());
        report.GetProperty("gridCode").GetString().Should().Be(grid);
        report.GetProperty("state").GetString().Should().Be("reported");
        created.Headers.Location!.ToString().Should().Be($"/api/v1/cases/{id}");

        // A grid worker may not accept (cases.dispatch): 403.
        (await worker.PostJsonAsync($"/api/v1/cases/{id}/accept", new { })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        // Not yet dispatched: reporting back is an illegal transition.
        var illegal = await worker.PostJsonAsync($"/api/v1/cases/{id}/report", new { note = "已清理" });
        illegal.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await illegal.JsonAsync()).GetProperty("code").GetString().Should().Be("cases.illegal_transition");

        await ActAsync(staff, id, "accept", new { note = "立案" }, "accepted");
        (await staff.PostJsonAsync($"/api/v1/cases/{id}/dispatch", new { })).StatusCode.Should().Be(HttpStatusCode.BadRequest, "dispatch needs an assignee");
        await ActAsync(staff, id, "dispatch", new { assignee = $"t-{Roles.GridWorker}-{grid}" }, "dispatched");
        await ActAsync(worker, id, "report", new { note = "已联系物业清运完毕" }, "reported_back");
        await ActAsync(staff, id, "return", new { reason = "仍有残留" }, "dispatched");
        await ActAsync(worker, id, "report", new { note = "残留已清理" }, "reported_back");
        await ActAsync(worker, id, "verify", new { note = "现场核查无误" }, "verified");
        await ActAsync(staff, id, "close", new { }, "closed");
        (await staff.PostJsonAsync($"/api/v1/cases/{id}/followup", new { satisfaction = "very" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var done = await ActAsync(staff, id, "followup", new { satisfaction = "satisfied" }, "followed_up");
        (await staff.PostJsonAsync($"/api/v1/cases/{id}/close", new { })).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var detail = await (await worker.GetPathAsync($"/api/v1/cases/{id}")).JsonAsync();
        detail.GetProperty("state").GetString().Should().Be("followed_up");
        detail.GetProperty("satisfaction").GetString().Should().Be("satisfied");
        var timeline = detail.GetProperty("timeline").EnumerateArray().ToList();
        timeline.Select(e => e.GetProperty("action").GetString()).Should().Equal(
            "report_case", "accept", "dispatch", "start_handling", "report", "return", "start_handling", "report", "verify", "close", "followup");
        timeline.Select(e => e.GetProperty("sequence").GetInt32()).Should().Equal(Enumerable.Range(1, 11));
        timeline[1].GetProperty("actor").GetString().Should().Be($"t-{Roles.Township}-{township}");
        timeline[1].GetProperty("role").GetString().Should().Be(Roles.Township);
        timeline[4].GetProperty("fromState").GetString().Should().Be("handling");
        done.GetProperty("timeline").GetArrayLength().Should().Be(11);

        var list = await (await staff.GetPathAsync($"/api/v1/cases?state=followed_up&within={township}")).JsonAsync();
        list.GetProperty("total").GetInt32().Should().Be(1);
        list.GetProperty("items")[0].GetProperty("id").GetString().Should().Be(id);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Bad_input_other_jurisdictions_races_and_retries_get_the_answers_they_should(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (townshipA, townshipB) = await TownshipsAsync(app);
        var (grid, lon, lat) = await PointInAGridOfAsync(app, townshipA);
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);

        // 400 with field errors.
        await FieldErrorAsync(worker, new { categoryCode = "9999", lon, lat, description = "x" }, "categoryCode");
        await FieldErrorAsync(worker, new { categoryCode = "03", lon, lat, description = "x" }, "categoryCode");
        await FieldErrorAsync(worker, new { categoryCode = "0301", lon = 0.0, lat = 0.0, description = "x" }, "lon");
        await FieldErrorAsync(worker, new { categoryCode = "0301", lon, lat, description = "  " }, "description");
        await FieldErrorAsync(worker, new { categoryCode = "0301", lon, lat, description = new string('长', 2001) }, "description");
        await FieldErrorAsync(worker, new { categoryCode = "0301", lon, lat, description = "x", channel = "pigeon" }, "channel");

        // Idempotency: a retry with the same key returns the first case; another key makes another case.
        var body = new { categoryCode = "0401", lon, lat, description = "路口占道摆摊" };
        var first = await PostWithKeyAsync(worker, body, "key-1");
        var retry = await PostWithKeyAsync(worker, body, "key-1");
        var other = await PostWithKeyAsync(worker, body, "key-2");
        retry.GetProperty("id").GetString().Should().Be(first.GetProperty("id").GetString());
        retry.GetProperty("number").GetString().Should().Be(first.GetProperty("number").GetString());
        other.GetProperty("id").GetString().Should().NotBe(first.GetProperty("id").GetString());
        other.GetProperty("number").GetString().Should().NotBe(first.GetProperty("number").GetString());
        // Concurrent retries with one key still make one case.
        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostWithKeyAsync(worker, body, "key-3")));
        racing.Select(r => r.GetProperty("id").GetString()).Distinct().Should().ContainSingle();

        // Numbers stay unique under concurrent intake.
        var burst = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => PostWithKeyAsync(worker, body, $"burst-{i}")));
        var numbers = burst.Select(r => r.GetProperty("number").GetString()).Append(first.GetProperty("number").GetString())
            .Append(other.GetProperty("number").GetString()).Append(racing[0].GetProperty("number").GetString()).ToList();
        numbers.Should().OnlyHaveUniqueItems().And.AllSatisfy(n => n.Should().MatchRegex(NumberFormat()));

        // Two township officers accept at once: one wins, the other gets 409.
        var id = first.GetProperty("id").GetString()!;
        var officers = new[]
        {
            await app.ClientAsAsync(Roles.Township, townshipA, "officer-1"),
            await app.ClientAsAsync(Roles.Township, townshipA, "officer-2"),
        };
        var answers = await Task.WhenAll(officers.Select(o => o.PostJsonAsync($"/api/v1/cases/{id}/accept", new { })));
        answers.Select(a => a.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.Conflict]);
        var code = (await answers.Single(a => a.StatusCode == HttpStatusCode.Conflict).JsonAsync()).GetProperty("code").GetString();
        code.Should().BeOneOf("cases.concurrency", "cases.illegal_transition");
        var timeline = (await (await officers[0].GetPathAsync($"/api/v1/cases/{id}")).JsonAsync()).GetProperty("timeline");
        timeline.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "accept").Should().Be(1);

        // Township B neither sees nor moves A's case: 404, and nothing in its list.
        var townshipBStaff = await app.ClientAsAsync(Roles.Township, townshipB);
        (await townshipBStaff.GetPathAsync($"/api/v1/cases/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await townshipBStaff.PostJsonAsync($"/api/v1/cases/{id}/dispatch", new { assignee = "x" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var listOfB = await (await townshipBStaff.GetPathAsync("/api/v1/cases")).JsonAsync();
        listOfB.GetProperty("total").GetInt32().Should().Be(0);
        // ... and may not report into A's grid.
        (await townshipBStaff.PostJsonAsync("/api/v1/cases", body)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        // A leader holds no cases.report anywhere.
        var leader = await app.ClientAsAsync(Roles.Leader, Kundulun);
        (await leader.PostJsonAsync("/api/v1/cases", body)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private static async Task<JsonElement> ActAsync(HttpClient client, string id, string action, object body, string state)
    {
        var response = await client.PostJsonAsync($"/api/v1/cases/{id}/{action}", body);
        var json = await response.JsonAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"{action}: {json}");
        json.GetProperty("state").GetString().Should().Be(state);
        return json;
    }

    private static async Task FieldErrorAsync(HttpClient client, object body, string field)
    {
        var response = await client.PostJsonAsync("/api/v1/cases", body);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue($"{field} is wrong in {body}");
    }

    private static async Task<JsonElement> PostWithKeyAsync(HttpClient client, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/cases", UriKind.Relative))
        {
            Content = System.Net.Http.Json.JsonContent.Create(body),
        };
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request, Ct);
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return await response.JsonAsync();
    }

    internal static async Task<(string A, string B)> TownshipsAsync(CivicGridApp app)
    {
        var admin = await app.AdminClientAsync(Kundulun);
        var townships = (await (await admin.GetPathAsync($"/api/v1/divisions/{Kundulun}/children")).JsonAsync())
            .EnumerateArray().Select(t => t.GetProperty("code").GetString()!).ToList();
        return (townships[0], townships[1]);
    }

    /// <summary>A grid of the township and a point that the locator puts in it.</summary>
    internal static async Task<(string Grid, double Lon, double Lat)> PointInAGridOfAsync(CivicGridApp app, string township)
    {
        var admin = await app.AdminClientAsync(Kundulun);
        var grids = await (await admin.GetPathAsync($"/api/v1/grids?within={township}")).JsonAsync();
        var locator = app.Services.GetRequiredService<IGeoLocator>();
        foreach (var feature in grids.GetProperty("features").EnumerateArray())
        {
            var geometry = feature.GetProperty("geometry");
            var ring = geometry.GetProperty("type").GetString() == "MultiPolygon"
                ? geometry.GetProperty("coordinates")[0][0]
                : geometry.GetProperty("coordinates")[0];
            var points = ring.EnumerateArray().Select(p => (Lon: p[0].GetDouble(), Lat: p[1].GetDouble())).ToList();
            var (lon, lat) = (points.Average(p => p.Lon), points.Average(p => p.Lat));
            var code = feature.GetProperty("id").GetString()!;
            if (locator.Locate(lon, lat)?.Grid?.Code == code)
            {
                return (code, lon, lat);
            }
        }
        throw new InvalidOperationException($"no grid of {township} contains its own centre");
    }
}
