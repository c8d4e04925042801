using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CivicGrid.Tests.Identity;

/// <summary>Capabilities (403), jurisdiction (404), the pages' cookie on the API, and the web hardening around them.</summary>
public sealed partial class AccessTests
{
    private const string TownshipA = "150203001";
    private const string TownshipB = "150203003";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> GridOfAsync(HttpClient client, string township) =>
        (await (await client.GetPathAsync($"/api/v1/grids?within={township}")).JsonAsync())
            .GetProperty("features")[0].GetProperty("id").GetString()!;

    private static async Task<string> GeometryOfAsync(HttpClient client, string code) =>
        (await (await client.GetPathAsync($"/api/v1/divisions/{code}/boundary")).JsonAsync()).GetProperty("geometry").GetRawText();

    private static Task<HttpResponseMessage> PutBoundaryAsync(HttpClient client, string code, string geometry) =>
        client.PutAsync(new Uri($"/api/v1/divisions/{code}/boundary", UriKind.Relative),
            new StringContent(geometry, Encoding.UTF8, "application/json"), Ct);

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_missing_capability_is_403_another_jurisdiction_is_404_and_ones_own_is_allowed(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var township = await app.ClientAsAsync(Roles.Township, TownshipA);
        var own = await GridOfAsync(township, TownshipA);
        var shape = await GeometryOfAsync(township, own);

        // A grid worker reads his grid but may not redraw it: 403, whatever the grid.
        var worker = await app.ClientAsAsync(Roles.GridWorker, own);
        (await worker.GetPathAsync($"/api/v1/divisions/{own}")).StatusCode.Should().Be(HttpStatusCode.OK);
        var forbidden = await PutBoundaryAsync(worker, own, shape);
        forbidden.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await forbidden.JsonAsync()).GetProperty("code").GetString().Should().Be("auth.forbidden");

        // Township A may redraw its own grid, but township B's does not exist for it.
        var admin = await app.AdminClientAsync("150203");
        var other = await GridOfAsync(admin, TownshipB);
        var hidden = await PutBoundaryAsync(township, other, await GeometryOfAsync(admin, other));
        hidden.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await hidden.JsonAsync()).GetProperty("code").GetString().Should().Be("geo.division_not_found");
        (await township.GetPathAsync($"/api/v1/divisions/{other}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await PutBoundaryAsync(township, own, shape)).StatusCode.Should().Be(HttpStatusCode.OK);

        // The district above township A is visible (breadcrumbs) but not editable: 403, not a change.
        var district = await PutBoundaryAsync(township, "150203", await GeometryOfAsync(admin, "150203"));
        district.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await district.JsonAsync()).GetProperty("code").GetString().Should().Be("geo.edit_forbidden");

        // Imports need geo.import, which a township does not hold.
        var import = await township.PostAsync(new Uri("/api/v1/grids/import", UriKind.Relative),
            new StringContent("""{"type":"FeatureCollection","features":[]}""", Encoding.UTF8, "application/geo+json"), Ct);
        import.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_pages_cookie_writes_through_the_api_only_with_the_antiforgery_token(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        (await app.ClientAsAsync(Roles.Township, TownshipA)).Dispose();
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

        // Anonymous pages send the visitor to the sign-in page.
        var redirected = await browser.GetPathAsync("/geo");
        redirected.StatusCode.Should().Be(HttpStatusCode.Redirect);
        redirected.Headers.Location!.ToString().Should().Contain("/account/login");

        var form = await (await browser.GetPathAsync("/account/login")).Content.ReadAsStringAsync(Ct);
        var wrong = await browser.PostAsync(new Uri("/account/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = $"t-{Roles.Township}-{TownshipA}",
            ["Password"] = "not-the-password",
            ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups[1].Value,
        }), Ct);
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await wrong.Content.ReadAsStringAsync(Ct)).Should().Contain("用户名或密码错误");

        form = await wrong.Content.ReadAsStringAsync(Ct);
        var signedIn = await browser.PostAsync(new Uri("/account/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = $"t-{Roles.Township}-{TownshipA}",
            ["Password"] = CivicGridApp.TestPassword,
            ["ReturnUrl"] = "/geo",
            ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups[1].Value,
        }), Ct);
        signedIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.ToString().Should().Be("/geo");
        signedIn.Headers.GetValues("Set-Cookie").Should().Contain(c => c.Contains("civicgrid.auth=", StringComparison.Ordinal)
            && c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));

        // The cookie reads the API; a write needs the page's token in X-CSRF-TOKEN.
        var grid = await GridOfAsync(browser, TownshipA);
        var shape = await GeometryOfAsync(browser, grid);
        var forged = await PutBoundaryAsync(browser, grid, shape);
        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await forged.JsonAsync()).GetProperty("code").GetString().Should().Be("auth.antiforgery");

        var page = await (await browser.GetPathAsync("/geo")).Content.ReadAsStringAsync(Ct);
        var token = CsrfMeta().Match(page).Groups[1].Value;
        token.Should().NotBeEmpty();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/api/v1/divisions/{grid}/boundary", UriKind.Relative))
        {
            Content = new StringContent(shape, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-CSRF-TOKEN", token);
        (await browser.SendAsync(request, Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_tampered_cookie_is_no_sign_in()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var api = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/auth/me", UriKind.Relative));
        api.Headers.Add("Cookie", "civicgrid.auth=CfDJ8Forged" + new string('A', 300));
        (await client.SendAsync(api, Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var page = new HttpRequestMessage(HttpMethod.Get, new Uri("/geo", UriKind.Relative));
        page.Headers.Add("Cookie", "civicgrid.auth=CfDJ8Forged" + new string('A', 300));
        var response = await client.SendAsync(page, Ct);
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/account/login");
    }

    [Fact]
    public async Task Sign_in_is_rate_limited_per_address_with_a_429_problem()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false,
            settings: new Dictionary<string, string?> { ["RateLimits:SignInPerMinute"] = "3" });
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            (await client.PostJsonAsync("/api/v1/auth/token", new { userName = "nobody", password = "x" }))
                .StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
        var limited = await client.PostJsonAsync("/api/v1/auth/token", new { userName = "nobody", password = "x" });
        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.Should().NotBeNull();
        (await limited.JsonAsync()).GetProperty("code").GetString().Should().Be("request.rate_limited");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_by_the_real_server()
    {
        await using var app = await CivicGridApp.StartOnSocketAsync(DatabaseProvider.Sqlite,
            new Dictionary<string, string?> { ["Limits:MaxRequestBodyMegabytes"] = "1", ["Demo:SeedOnStart"] = "false" });
        var client = await app.AdminClientAsync("99");
        var big = new string('x', 2 * 1024 * 1024);
        var response = await client.PostJsonAsync("/api/v1/divisions", new { code = "99", name = big });
        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await client.PostJsonAsync("/api/v1/divisions", new { code = "99", name = "测试省" })).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Over_tls_every_answer_tells_the_browser_to_stay_on_https()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        var tls = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://civicgrid.example") });
        var response = await tls.GetPathAsync("/account/login");
        response.Headers.GetValues("Strict-Transport-Security").Single().Should().StartWith("max-age=31536000");
        var plain = await app.CreateClient().GetPathAsync("/account/login");
        plain.Headers.Contains("Strict-Transport-Security").Should().BeFalse("HSTS over plain HTTP means nothing and is not sent");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Script_and_sql_in_a_name_are_stored_as_text_and_shown_inert(DatabaseProvider provider)
    {
        const string Hostile = "<script>alert('x')</script>' OR '1'='1'; DROP TABLE geo_divisions;--";
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var admin = await app.AdminClientAsync("99");
        (await admin.PostJsonAsync("/api/v1/divisions", new { code = "99", name = "测试省" })).EnsureSuccessStatusCode();
        (await admin.PostJsonAsync("/api/v1/divisions", new { code = "9901", name = Hostile })).StatusCode.Should().Be(HttpStatusCode.Created);

        (await (await admin.GetPathAsync("/api/v1/divisions/9901")).JsonAsync()).GetProperty("name").GetString().Should().Be(Hostile);
        var search = await (await admin.GetPathAsync($"/api/v1/divisions?q={Uri.EscapeDataString("' OR '1'='1")}")).JsonAsync();
        search.GetProperty("total").GetInt32().Should().Be(1, "the quote is a character to match, not SQL");

        var html = await (await admin.GetPathAsync("/geo?code=99")).Content.ReadAsStringAsync(Ct);
        html.Should().NotContain("<script>alert").And.Contain("&lt;script&gt;alert(");
        (await admin.GetPathAsync("/api/v1/divisions/99")).StatusCode.Should().Be(HttpStatusCode.OK, "the table is still there");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfMeta();
}
