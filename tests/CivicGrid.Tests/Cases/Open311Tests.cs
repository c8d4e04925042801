using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Web;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Cases;

/// <summary>
/// Open311 GeoReport v2 conformance, written from the spec (wiki.open311.org/GeoReport_v2): every
/// method in both formats, the spec's error documents (400, 403, 404), the 90-day window and its
/// filters, tokens, service discovery, and FixMyStreet's servicerequestupdates extension.
/// </summary>
public sealed partial class Open311Tests
{
    private const string Kundulun = "150203";
    private const string Root = "/open311/v2";
    private static readonly string[] Formats = ["json", "xml"];

    // The reporter's personal data: accepted by POST, never kept, never shown.
    private const string FirstName = "秀兰";
    private const string LastName = "欧阳";
    private const string Email = "ouyang.xiulan@example.com";
    private const string Phone = "13904716677";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"^SJ-\d{8}-\d{5}$")]
    private static partial Regex NumberFormat();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex W3cDateTime();

    private static Dictionary<string, string?> Unlimited => new() { ["RateLimits:PublicPerMinute"] = "10000" };

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Every_method_answers_in_json_and_xml_as_the_spec_describes(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Unlimited);
        var (township, _) = await CaseApiTests.TownshipsAsync(app);
        var (_, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var key = await ClientKeyAsync(app, "o311-app", Kundulun);
        var open311 = app.CreateClient();
        var posted = new Dictionary<string, (string Id, string Token)>();

        foreach (var format in Formats)
        {
            // Service discovery points at this endpoint and names both formats.
            var discovery = await GetAsync(open311, $"discovery.{format}", format, HttpStatusCode.OK, "discovery");
            discovery.Body.Should().Contain("http://wiki.open311.org/GeoReport_v2").And.Contain($"://localhost{Root}");
            discovery.Body.Should().Contain("text/xml").And.Contain("application/json");

            // GET services: the leaf categories of public groups, none of the people's matters.
            var services = await GetAsync(open311, $"services.{format}", format, HttpStatusCode.OK, "services", "service");
            var codes = services.Items.Select(s => s["service_code"]).ToList();
            codes.Should().Contain(["0301", "0401", "0501"]).And.NotContain(["03", "0101", "0201", "0601", "0701"]);
            var rubbish = services.Items.Single(s => s["service_code"] == "0301");
            rubbish["service_name"].Should().Be("垃圾乱堆乱放");
            rubbish["metadata"].Should().Be("false");
            rubbish["type"].Should().Be("realtime");
            rubbish["group"].Should().Be("环境卫生");
            rubbish.Keys.Should().Contain(["description", "keywords"]);

            // GET service definition.
            var definition = await GetAsync(open311, $"services/0301.{format}", format, HttpStatusCode.OK, "service_definition");
            definition.Items.Single()["service_code"].Should().Be("0301");
            definition.Items.Single().Should().ContainKey("attributes");

            // POST requests (form-encoded, api_key; jurisdiction_id accepted and ignored).
            var created = await PostAsync(open311, format, new Dictionary<string, string>
            {
                ["api_key"] = key,
                ["jurisdiction_id"] = "civicgrid.example",
                ["service_code"] = "0301",
                ["lat"] = lat.ToString("R", CultureInfo.InvariantCulture),
                ["long"] = lon.ToString("R", CultureInfo.InvariantCulture),
                ["description"] = $"Open311 {format}: 垃圾堆放",
                ["media_url"] = "https://photos.example.org/1.jpg",
                ["first_name"] = FirstName,
                ["last_name"] = LastName,
                ["email"] = Email,
                ["phone"] = Phone,
                ["device_id"] = "device-1",
                ["attribute[WHISPER]"] = "ignored",
            }, HttpStatusCode.OK);
            created.Root.Should().Be(format == "xml" ? "service_requests" : null);
            var receipt = created.Items.Single();
            receipt["service_request_id"].Should().MatchRegex(NumberFormat());
            receipt.Should().ContainKey("service_notice").And.ContainKey("account_id");
            posted[format] = (receipt["service_request_id"]!, receipt["token"]!);

            // GET a service request.
            var one = await GetAsync(open311, $"requests/{posted[format].Id}.{format}?jurisdiction_id=x", format, HttpStatusCode.OK, "service_requests", "request");
            var request = one.Items.Single();
            request["service_request_id"].Should().Be(posted[format].Id);
            request["status"].Should().Be("open");
            request["service_code"].Should().Be("0301");
            request["service_name"].Should().Be("垃圾乱堆乱放");
            request["description"].Should().StartWith($"Open311 {format}: 垃圾堆放").And.Contain("https://photos.example.org/1.jpg");
            request["agency_responsible"].Should().Be("urban-management");
            request["requested_datetime"].Should().MatchRegex(W3cDateTime());
            request["updated_datetime"].Should().MatchRegex(W3cDateTime());
            double.Parse(request["lat"]!, CultureInfo.InvariantCulture).Should().BeApproximately(lat, 1e-9);
            double.Parse(request["long"]!, CultureInfo.InvariantCulture).Should().BeApproximately(lon, 1e-9);
            request.Keys.Should().Contain(["status_notes", "service_notice", "expected_datetime", "address", "address_id", "zipcode", "media_url"]);

            // GET a token: the service_request_id it became.
            var token = await GetAsync(open311, $"tokens/{posted[format].Token}.{format}", format, HttpStatusCode.OK, "service_requests", "request");
            token.Items.Single()["service_request_id"].Should().Be(posted[format].Id);
            token.Items.Single()["token"].Should().Be(posted[format].Token);
        }

        // Staff move the cases on through the platform's own API: the JSON one accepted, the XML one rejected.
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var mine = await (await staff.GetPathAsync($"/api/v1/cases?within={township}")).JsonAsync();
        string GuidOf(string number) => mine.GetProperty("items").EnumerateArray()
            .Single(c => c.GetProperty("number").GetString() == number).GetProperty("id").GetString()!;
        var acceptedId = GuidOf(posted["json"].Id);
        var rejectedId = GuidOf(posted["xml"].Id);
        (await staff.PostJsonAsync($"/api/v1/cases/{acceptedId}/accept", new { note = "内部备注：已联系物业" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await staff.PostJsonAsync($"/api/v1/cases/{rejectedId}/reject", new { reason = "重复上报" })).StatusCode.Should().Be(HttpStatusCode.OK);
        // Not stored: the staff's own view of the case has none of the reporter's details, and the channel is open311.
        var staffView = await (await staff.GetPathAsync($"/api/v1/cases/{acceptedId}")).JsonAsync();
        staffView.GetProperty("channel").GetString().Should().Be("open311");
        staffView.GetProperty("reporterName").GetString().Should().Be("o311-app");
        staffView.ToString().Should().NotContainAny(FirstName, LastName, Email, Phone);
        // A patrol case in a public service, and one in a matter of people (a neighbours' dispute) that is never published.
        var worker = await app.ClientAsAsync(Roles.GridWorker, township);
        var dispute = await (await worker.PostJsonAsync("/api/v1/cases", new { categoryCode = "0101", lon, lat, description = "邻里纠纷：不公开" })).JsonAsync();
        var patrol = await (await worker.PostJsonAsync("/api/v1/cases", new { categoryCode = "0401", lon, lat, description = "巡查：占道经营" })).JsonAsync();
        var patrolNumber = patrol.GetProperty("number").GetString()!;

        foreach (var format in Formats)
        {
            // GET service requests: the last 90 days by default, newest first; filters by id, status, service and dates.
            var all = await RequestsAsync(open311, "", format);
            all.Should().Equal(patrolNumber, posted["xml"].Id, posted["json"].Id);
            (await RequestsAsync(open311, $"?service_request_id={posted["json"].Id},{dispute.GetProperty("number").GetString()}&status=closed", format))
                .Should().Equal(new string?[] { posted["json"].Id }, "service_request_id ignores the other filters, and unpublished cases stay unpublished");
            (await RequestsAsync(open311, "?status=open", format)).Should().Equal(patrolNumber, posted["json"].Id);
            (await RequestsAsync(open311, "?status=closed", format)).Should().Equal(posted["xml"].Id);
            (await RequestsAsync(open311, "?status=open,closed", format)).Should().HaveCount(3);
            (await RequestsAsync(open311, "?service_code=0401", format)).Should().Equal(patrolNumber);
            (await RequestsAsync(open311, "?service_code=0401,0301&jurisdiction_id=x", format)).Should().HaveCount(3);
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            (await RequestsAsync(open311, $"?start_date={W3c(now.AddDays(1))}", format)).Should().BeEmpty();
            (await RequestsAsync(open311, $"?end_date={W3c(now.AddDays(-1))}", format)).Should().BeEmpty();
            (await RequestsAsync(open311, $"?start_date={W3c(now.AddDays(-2))}&end_date={W3c(now.AddDays(1))}", format)).Should().HaveCount(3);
            // UTC's wall clock an hour from now, read in the configured zone (UTC+8), is seven hours ago.
            (await RequestsAsync(open311, $"?start_date={Uri.EscapeDataString(now.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture))}", format))
                .Should().HaveCount(3, "a date-time without an offset is read in the configured zone");

            var rejected = (await GetAsync(open311, $"requests/{posted["xml"].Id}.{format}", format, HttpStatusCode.OK, "service_requests", "request")).Items.Single();
            rejected["status"].Should().Be("closed");
            rejected["status_notes"].Should().Be("不予受理");
            rejected["description"].Should().BeNullOrEmpty("a rejected report's text is not published");
            (await GetAsync(open311, $"requests/{dispute.GetProperty("number").GetString()}.{format}", format, HttpStatusCode.NotFound, "errors", "error"))
                .Body.Should().NotContain("邻里纠纷");

            // servicerequestupdates (FixMyStreet): each step, with FixMyStreet's statuses and our fixed wording, never a staff note.
            var updates = await GetAsync(open311, $"servicerequestupdates.{format}?start_date={W3c(now.AddDays(-1))}&end_date={W3c(now.AddDays(1))}",
                format, HttpStatusCode.OK, "service_requests_updates", "request_update");
            var ofAccepted = updates.Items.Where(u => u["service_request_id"] == posted["json"].Id).ToList();
            ofAccepted.Select(u => u["status"]).Should().Equal("open", "investigating");
            ofAccepted.Select(u => u["external_status_code"]).Should().Equal("reported", "accepted");
            ofAccepted.Should().AllSatisfy(u =>
            {
                u["update_id"].Should().MatchRegex(@"^\d+$");
                u["updated_datetime"].Should().MatchRegex(W3cDateTime());
                u["description"].Should().NotBeNullOrEmpty();
            });
            updates.Items.Where(u => u["service_request_id"] == posted["xml"].Id).Select(u => u["status"]).Should().Equal("open", "closed");
            updates.Items.Select(u => u["service_request_id"]).Should().NotContain(dispute.GetProperty("number").GetString());
            updates.Body.Should().NotContain("内部备注").And.NotContain("重复上报").And.NotContain("t-township");

            // Nothing personal in any public answer.
            foreach (var path in new[] { $"requests.{format}", $"requests/{posted["json"].Id}.{format}", $"servicerequestupdates.{format}" })
            {
                var body = await open311.GetStringAsync(new Uri($"{Root}/{path}", UriKind.Relative), Ct);
                body.Should().NotContainAny(FirstName, LastName, Email, Phone, "o311-app", "t-grid-worker");
            }
        }

        // Every Open311 endpoint sits under the public rate limit, and none is in the /api OpenAPI document.
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(Root, StringComparison.Ordinal) == true).ToList();
        endpoints.Should().HaveCount(8);
        endpoints.Should().AllSatisfy(e => e.Metadata.GetMetadata<EnableRateLimitingAttribute>()!.PolicyName.Should().Be(RateLimits.Public));
        var document = await (await open311.GetPathAsync("/openapi/v1.json")).JsonAsync();
        document.GetProperty("paths").EnumerateObject().Should().NotContain(p => p.Name.StartsWith(Root, StringComparison.Ordinal));
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Errors_come_as_the_specs_error_documents_with_400_403_and_404(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Unlimited);
        var (townshipA, townshipB) = await CaseApiTests.TownshipsAsync(app);
        var (_, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, townshipA);
        var key = await ClientKeyAsync(app, "o311-district", Kundulun);
        var keyOfB = await ClientKeyAsync(app, "o311-township-b", townshipB);
        var open311 = app.CreateClient();
        var point = new Dictionary<string, string>
        {
            ["api_key"] = key,
            ["service_code"] = "0301",
            ["lat"] = lat.ToString("R", CultureInfo.InvariantCulture),
            ["long"] = lon.ToString("R", CultureInfo.InvariantCulture),
            ["description"] = "错误测试",
        };
        Dictionary<string, string> With(params (string Name, string? Value)[] changes)
        {
            var form = new Dictionary<string, string>(point);
            foreach (var (name, value) in changes)
            {
                if (value is null)
                {
                    form.Remove(name);
                }
                else
                {
                    form[name] = value;
                }
            }
            return form;
        }

        foreach (var format in Formats)
        {
            // 400: missing and invalid fields, each named in the description.
            var cases = new (Dictionary<string, string> Form, string Field)[]
            {
                (With(("service_code", null)), "service_code"),
                (With(("service_code", "9999")), "service_code"),
                (With(("service_code", "0701")), "service_code"),
                (With(("lat", null), ("long", null)), "lat"),
                (With(("lat", null), ("long", null), ("address_string", "昆都仑区钢铁大街 1 号")), "lat"),
                (With(("lat", "north")), "lat"),
                (With(("long", null)), "long"),
                (With(("lat", "0"), ("long", "0")), "long"),
                (With(("description", null)), "description"),
                (With(("description", new string('长', 2001))), "description"),
                (With(("media_url", "javascript:alert(1)")), "media_url"),
            };
            foreach (var (form, field) in cases)
            {
                var answer = await PostAsync(open311, format, form, HttpStatusCode.BadRequest);
                AssertErrors(answer, format, 400);
                answer.Items.Select(e => e["description"]).Should().Contain(d => d!.StartsWith(field + ":", StringComparison.Ordinal),
                    $"{field} is named ({string.Join(", ", form.Select(f => $"{f.Key}={f.Value[..Math.Min(f.Value.Length, 12)]}"))})");
            }
            var several = await PostAsync(open311, format, With(("service_code", null), ("lat", null), ("long", null)), HttpStatusCode.BadRequest);
            several.Items.Should().HaveCountGreaterThanOrEqualTo(2, "every broken field gets its own error");
            // Not a form.
            using (var json = new StringContent("{\"api_key\":\"x\"}", System.Text.Encoding.UTF8, "application/json"))
            {
                var response = await open311.PostAsync(new Uri($"{Root}/requests.{format}", UriKind.Relative), json, Ct);
                AssertErrors(await AnswerAsync(response, format, HttpStatusCode.BadRequest), format, 400);
            }

            // 403: no key, a wrong key, and a key whose client does not cover the place.
            AssertErrors(await PostAsync(open311, format, With(("api_key", null)), HttpStatusCode.Forbidden), format, 403);
            AssertErrors(await PostAsync(open311, format, With(("api_key", "not-a-key")), HttpStatusCode.Forbidden), format, 403);
            AssertErrors(await PostAsync(open311, format, With(("api_key", new string('A', 43))), HttpStatusCode.Forbidden), format, 403);
            AssertErrors(await PostAsync(open311, format, With(("api_key", keyOfB)), HttpStatusCode.Forbidden), format, 403);
            // The key is checked before the fields.
            AssertErrors(await PostAsync(open311, format, new Dictionary<string, string> { ["api_key"] = "bad" }, HttpStatusCode.Forbidden), format, 403);

            // 404: unknown service, request, token; unpublished services are unknown.
            foreach (var path in new[] { "services/9999", "services/0701", "requests/SJ-20000101-00001", "tokens/nope", $"tokens/{Guid.NewGuid()}" })
            {
                AssertErrors(await GetAsync(open311, $"{path}.{format}", format, HttpStatusCode.NotFound, "errors", "error"), format, 404);
            }

            // 400: filters out of the spec's bounds.
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            foreach (var query in new[]
            {
                "?status=pending",
                "?start_date=yesterday",
                "?end_date=2026-13-45",
                $"?start_date={W3c(now.AddDays(-91))}&end_date={W3c(now)}",
                $"?start_date={W3c(now)}&end_date={W3c(now.AddDays(-1))}",
            })
            {
                AssertErrors(await GetAsync(open311, $"requests.{format}{query}", format, HttpStatusCode.BadRequest, "errors", "error"), format, 400);
            }
            AssertErrors(await GetAsync(open311, $"servicerequestupdates.{format}?start_date=soon", format, HttpStatusCode.BadRequest, "errors", "error"),
                format, 400);
        }
        // A revoked key (the client got a new one) and a disabled client are refused.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<IApiKeys>().IssueAsync("o311-district", Ct)).IsSuccess.Should().BeTrue();
            (await scope.ServiceProvider.GetRequiredService<IUserAccounts>().DisableAsync("o311-township-b", Ct)).IsSuccess.Should().BeTrue();
            var resident = await scope.ServiceProvider.GetRequiredService<IUserAccounts>().CreateAsync("o311-not-a-client",
                new RoleGrant(Roles.Resident, Kundulun), CivicGridApp.TestPassword, cancellationToken: Ct);
            resident.IsSuccess.Should().BeTrue();
            (await scope.ServiceProvider.GetRequiredService<IApiKeys>().IssueAsync("o311-not-a-client", Ct)).Error!.Code.Should().Be("users.not_api_client");
        }
        AssertErrors(await PostAsync(open311, "json", point, HttpStatusCode.Forbidden), "json", 403);
        AssertErrors(await PostAsync(open311, "xml", With(("api_key", keyOfB)), HttpStatusCode.Forbidden), "xml", 403);
        // An unknown format is a 404 (in JSON: the caller named no format we speak).
        (await open311.GetAsync(new Uri($"{Root}/services.csv", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Users_add_with_role_open311_prints_an_api_key_and_users_key_replaces_it(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false, settings: Unlimited);
        var open311 = app.CreateClient();
        var add = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "users", "add", "city-app", "--role", "open311", "--jurisdiction", Kundulun);
        add.Exit.Should().Be(0, add.Err);
        var first = KeyFrom(add.Out);
        first.Should().MatchRegex("^[A-Za-z0-9_-]{43}$");
        // A valid key gets past the 403 to the fields (no service_code here): 400.
        (await PostAsync(open311, "json", new Dictionary<string, string> { ["api_key"] = first }, HttpStatusCode.BadRequest)).Status.Should().Be(HttpStatusCode.BadRequest);

        var again = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "users", "key", "city-app");
        again.Exit.Should().Be(0, again.Err);
        var second = KeyFrom(again.Out);
        second.Should().NotBe(first);
        await PostAsync(open311, "json", new Dictionary<string, string> { ["api_key"] = first }, HttpStatusCode.Forbidden);
        await PostAsync(open311, "json", new Dictionary<string, string> { ["api_key"] = second }, HttpStatusCode.BadRequest);

        var notClient = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "users", "add", "plain-user", "--role", "resident", "--jurisdiction", Kundulun);
        notClient.Out.Should().NotContain("api key:");
        (await CivicGridProcess.RunAsync(provider, app.ConnectionString, "users", "key", "plain-user")).Exit.Should().Be(1);
    }

    private static string KeyFrom(string output) =>
        output.Split('\n').Single(l => l.StartsWith("api key: ", StringComparison.Ordinal))["api key: ".Length..].Trim();

    private static string W3c(DateTimeOffset instant) =>
        Uri.EscapeDataString(instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));

    /// <summary>An open311 client user holding the role over <paramref name="jurisdiction"/>, and its API key.</summary>
    private static async Task<string> ClientKeyAsync(CivicGridApp app, string userName, string jurisdiction)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<IUserAccounts>().CreateAsync(userName,
            new RoleGrant(Roles.Open311, jurisdiction), cancellationToken: Ct);
        created.IsSuccess.Should().BeTrue(created.Error?.Message);
        var key = await scope.ServiceProvider.GetRequiredService<IApiKeys>().IssueAsync(userName, Ct);
        key.IsSuccess.Should().BeTrue(key.Error?.Message);
        return key.Value;
    }

    private static async Task<List<string?>> RequestsAsync(HttpClient client, string query, string format) =>
        [.. (await GetAsync(client, $"requests.{format}{query}", format, HttpStatusCode.OK, "service_requests", "request")).Items
            .Select(r => r["service_request_id"])];

    private static void AssertErrors(Answer answer, string format, int code)
    {
        answer.Root.Should().Be(format == "xml" ? "errors" : null);
        answer.ItemName.Should().Be(format == "xml" ? "error" : null);
        answer.Items.Should().NotBeEmpty().And.AllSatisfy(e =>
        {
            e["code"].Should().Be(code.ToString(CultureInfo.InvariantCulture));
            e["description"].Should().NotBeNullOrWhiteSpace();
        });
    }

    /// <summary>A response read the same way from either format: items of field name to text (nested values as their text).</summary>
    private sealed record Answer(HttpStatusCode Status, string? Root, string? ItemName, List<Dictionary<string, string?>> Items, string Body);

    private static async Task<Answer> GetAsync(HttpClient client, string path, string format, HttpStatusCode status, string root,
        string? item = null)
    {
        var answer = await AnswerAsync(await client.GetAsync(new Uri($"{Root}/{path}", UriKind.Relative), Ct), format, status);
        if (format == "xml")
        {
            answer.Root.Should().Be(root);
            if (item is not null && answer.Items.Count > 0)
            {
                answer.ItemName.Should().Be(item);
            }
        }
        return answer;
    }

    private static async Task<Answer> PostAsync(HttpClient client, string format, Dictionary<string, string> form, HttpStatusCode status)
    {
        using var content = new FormUrlEncodedContent(form);
        return await AnswerAsync(await client.PostAsync(new Uri($"{Root}/requests.{format}", UriKind.Relative), content, Ct), format, status);
    }

    private static async Task<Answer> AnswerAsync(HttpResponseMessage response, string format, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be(format == "xml" ? "text/xml" : "application/json");
        response.Content.Headers.ContentType.CharSet.Should().Be("utf-8");
        if (format == "xml")
        {
            body.Should().StartWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            var root = XDocument.Parse(body).Root!;
            var children = root.Elements().ToList();
            // A list holds items with fields; an object (discovery, service_definition) holds the fields itself.
            var isList = children.Count > 0 && children.All(c => c.Name == children[0].Name && c.HasElements);
            var items = isList ? children.Select(Fields).ToList() : children.Count == 0 ? [] : [Fields(root)];
            return new Answer(response.StatusCode, root.Name.LocalName, isList ? children[0].Name.LocalName : null, items, body);
        }
        var json = JsonDocument.Parse(body).RootElement;
        var objects = json.ValueKind == JsonValueKind.Array ? json.EnumerateArray().Select(Fields).ToList() : [Fields(json)];
        return new Answer(response.StatusCode, null, null, objects, body);
    }

    private static Dictionary<string, string?> Fields(XElement element) =>
        element.Elements().ToDictionary(e => e.Name.LocalName, e => e.HasElements ? e.ToString() : e.Value.Length == 0 ? null : e.Value);

    private static Dictionary<string, string?> Fields(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => p.Value.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => p.Value.GetRawText(),
        });
}
