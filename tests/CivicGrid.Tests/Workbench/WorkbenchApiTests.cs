using System.Net;
using System.Text.RegularExpressions;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Cases;
using CivicGrid.Tests.Infrastructure;
using CivicGrid.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Workbench;

/// <summary>The workbench's API: the day for the phone, and case steps applied only to the version the phone saw.</summary>
public sealed class WorkbenchApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_step_sent_with_the_version_the_phone_saw_applies_and_a_stale_version_is_409_with_the_current_case(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider,
            settings: new Dictionary<string, string?>(HousesApiTests.Keys()) { ["Demo:Persons"] = "60" });
        var (township, _) = await CaseApiTests.TownshipsAsync(app);
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var workerName = $"t-{Roles.GridWorker}-{grid}";
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var caseId = (await (await worker.PostJsonAsync("/api/v1/cases", new { categoryCode = "0301", lon, lat, description = "版本检查" })).JsonAsync())
            .GetProperty("id").GetString()!;
        await CaseApiTests.ActAsync(staff, caseId, "accept", new { }, "accepted");
        await CaseApiTests.ActAsync(staff, caseId, "dispatch", new { assignee = workerName }, "dispatched");

        var today = await (await worker.GetPathAsync("/api/v1/workbench/today")).JsonAsync();
        today.GetProperty("userName").GetString().Should().Be(workerName);
        var mine = today.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == caseId);
        mine.GetProperty("actions").EnumerateArray().Select(a => a.GetString()).Should().Contain("report").And.NotContain("verify");
        var version = mine.GetProperty("version").GetString()!;
        today.GetProperty("categories").GetArrayLength().Should().BeGreaterThan(10);

        (await StepAsync(worker, caseId, "report", null, new { note = "x" })).StatusCode.Should().Be(HttpStatusCode.BadRequest, "If-Match is required");
        (await StepAsync(worker, caseId, "report", "\"0000\"", new { note = "x" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var done = await StepAsync(worker, caseId, "report", version, new { note = "已处理" });
        done.StatusCode.Should().Be(HttpStatusCode.OK);
        (await done.JsonAsync()).GetProperty("state").GetString().Should().Be("reported_back");

        // The same step again, with the version it was taken on: the case moved on, and the answer says to what.
        var again = await StepAsync(worker, caseId, "report", version, new { note = "已处理" });
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var problem = await again.JsonAsync();
        problem.GetProperty("code").GetString().Should().Be("workbench.case_changed");
        problem.GetProperty("current").GetProperty("state").GetString().Should().Be("reported_back");
        problem.GetProperty("version").GetString().Should().NotBe(version);
        (await (await worker.GetPathAsync($"/api/v1/cases/{caseId}")).JsonAsync()).GetProperty("timeline").EnumerateArray()
            .Count(e => e.GetProperty("action").GetString() == "report").Should().Be(1);

        // The registry goes to the phone only for roles that read it: the township's staff get its households,
        // residents masked; a department officer (who handles cases) none; a resident has no workbench.
        var ofTownship = await (await staff.GetPathAsync("/api/v1/workbench/today")).JsonAsync();
        var households = ofTownship.GetProperty("households").EnumerateArray().ToList();
        households.Should().NotBeEmpty();
        households.SelectMany(h => h.GetProperty("residents").EnumerateArray()).Select(r => r.GetProperty("phone").GetString())
            .Where(p => p is not null).Should().NotBeEmpty().And.OnlyContain(p => p!.Contains("****", StringComparison.Ordinal));
        // The house's use, changed at the door: applied on the version seen, a conflict on an older one.
        var home = households.First(h => h.GetProperty("houseVersion").ValueKind == System.Text.Json.JsonValueKind.String);
        var houseId = home.GetProperty("houseId").GetString()!;
        var houseVersion = home.GetProperty("houseVersion").GetString()!;
        var use = home.GetProperty("houseUse").GetString() == "Vacant" ? "Rented" : "Vacant";
        (await PostAsync(staff, $"/api/v1/workbench/houses/{houseId}/use", houseVersion, new { use = "Nowhere" })).StatusCode
            .Should().Be(HttpStatusCode.BadRequest);
        var changed = await PostAsync(staff, $"/api/v1/workbench/houses/{houseId}/use", houseVersion, new { use });
        changed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await changed.JsonAsync()).GetProperty("use").GetString().Should().Be(use);
        var stale = await PostAsync(staff, $"/api/v1/workbench/houses/{houseId}/use", houseVersion, new { use = "Commercial" });
        stale.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var staleProblem = await stale.JsonAsync();
        staleProblem.GetProperty("code").GetString().Should().Be("workbench.house_changed");
        staleProblem.GetProperty("current").GetProperty("use").GetString().Should().Be(use, "the newer use stands");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<IUserAccounts>().CreateAsync("wb-urban-officer",
                new RoleGrant(Roles.Department, township[..6], "urban-management"), CivicGridApp.TestPassword, cancellationToken: Ct)).IsSuccess.Should().BeTrue();
        }
        var officer = await app.ClientAsAsync(Roles.Department, township[..6], "wb-urban-officer");
        var ofOfficer = await (await officer.GetPathAsync("/api/v1/workbench/today")).JsonAsync();
        ofOfficer.GetProperty("households").GetArrayLength().Should().Be(0);
        ofOfficer.GetProperty("householdsTotal").GetInt32().Should().Be(0);
        (await (await app.ClientAsAsync(Roles.Resident, grid)).GetPathAsync("/api/v1/workbench/today")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // Another township's worker does not see the case at all.
        var (_, townshipB) = await CaseApiTests.TownshipsAsync(app);
        var (gridB, _, _) = await CaseApiTests.PointInAGridOfAsync(app, townshipB);
        var stranger = await app.ClientAsAsync(Roles.GridWorker, gridB);
        (await StepAsync(stranger, caseId, "verify", version, new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_shell_travels_compressed_and_under_200_KB_and_its_service_worker_is_never_cached_by_HTTP()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        var worker = await app.ClientAsAsync(Roles.GridWorker, "150203001015001");
        var html = await (await worker.GetPathAsync("/m/")).Content.ReadAsStringAsync(Ct);
        html.Should().Contain("<style>", "the stylesheet is inlined").And.Contain("rel=\"manifest\"");
        var assets = Regex.Matches(html, "(?:href|src)=\"(?<path>/[^\"?#]+\\.(?:css|js|webmanifest))\"", RegexOptions.ExplicitCapture)
            .Select(m => m.Groups["path"].Value).Distinct().ToList();
        assets.Should().HaveCount(5, "four scripts and the manifest");
        var total = 0L;
        foreach (var url in assets.Prepend("/m/"))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
            request.Headers.AcceptEncoding.ParseAdd("gzip, br");
            var response = await worker.SendAsync(request, Ct);
            response.StatusCode.Should().Be(HttpStatusCode.OK, url);
            response.Content.Headers.ContentEncoding.Should().NotBeEmpty($"{url} travels compressed");
            if (url.EndsWith(".js", StringComparison.Ordinal))
            {
                // Fingerprinted by the page: cached for good, and a deployment names new URLs for the service worker.
                response.Headers.CacheControl!.ToString().Should().Contain("immutable", url);
            }
            total += (await response.Content.ReadAsByteArrayAsync(Ct)).LongLength;
        }
        total.Should().BeLessThan(200 * 1024, "the shell loads over a weak link");

        // The English switch: the same shell, English texts for the scripts too.
        using (var english = new HttpRequestMessage(HttpMethod.Get, new Uri("/m/", UriKind.Relative)))
        {
            english.Headers.AcceptLanguage.ParseAdd("en");
            var text = await (await worker.SendAsync(english, Ct)).Content.ReadAsStringAsync(Ct);
            text.Should().Contain("<html lang=\"en\">").And.Contain("<title>Workbench").And.Contain("{0} waiting to send");
        }

        var sw = await worker.GetPathAsync("/m/sw.js");
        sw.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        sw.Headers.CacheControl!.NoCache.Should().BeTrue();
        var direct = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        direct.DefaultRequestHeaders.Authorization = worker.DefaultRequestHeaders.Authorization;
        var redirect = await direct.GetPathAsync("/m");
        redirect.StatusCode.Should().Be(HttpStatusCode.Redirect);
        redirect.Headers.Location!.OriginalString.Should().Be("/m/", "the service worker's scope is /m/");
    }

    private static Task<HttpResponseMessage> StepAsync(HttpClient client, string caseId, string action, string? version, object body) =>
        PostAsync(client, $"/api/v1/workbench/cases/{caseId}/{action}", version, body);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string? version, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, UriKind.Relative))
        {
            Content = System.Net.Http.Json.JsonContent.Create(body),
        };
        if (version is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", version);
        }
        return await client.SendAsync(request, Ct);
    }
}
