using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Spatial;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Playwright;
using NetTopologySuite.Geometries;

namespace CivicGrid.Tests.Pages;

/// <summary>One demo app for the Geography pages: seeding Kundulun once is the slow part.</summary>
public sealed class GeographyPagesApp : IAsyncLifetime
{
    public CivicGridApp App { get; private set; } = null!;

    public string Origin => App.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);

    public async ValueTask InitializeAsync() => App = await CivicGridApp.StartOnSocketAsync(DatabaseProvider.Sqlite);

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>The division tree and the map, in a real headless Chromium against the seeded demo district.</summary>
public sealed class GeographyPagesTests(BrowserFixture browser, GeographyPagesApp demo) : IClassFixture<GeographyPagesApp>
{
    private const string Kundulun = "150203";
    private const string Community = "150203001019"; // 友谊小区第一社区居委会, in 少先路街道

    [Fact]
    public async Task The_tree_lists_the_sixteen_townships_of_Kundulun_with_their_community_and_grid_counts()
    {
        var (context, page, problems) = await OpenAsync(1280, 900);
        await using var _ = context;

        var response = await page.GotoAsync($"{demo.Origin}/geo?code={Kundulun}");
        response!.Status.Should().Be(200);
        (await page.TitleAsync()).Should().Be("昆都仑区 · 网格智治");
        (await page.Locator(".breadcrumb").InnerTextAsync()).Should().Contain("内蒙古自治区").And.Contain("包头市");

        var rows = page.Locator("#geo-children tbody tr");
        (await rows.CountAsync()).Should().Be(16);
        (await rows.First.InnerTextAsync()).Should().Contain("乡镇街道");
        (await SumAsync(page, "#geo-children td.cg-count[data-level=Community]")).Should().Be(112);
        (await SumAsync(page, "#geo-children td.cg-count[data-level=Grid]")).Should().Be(1391);
        (await page.Locator("#geo-current .cg-total[data-level=Grid]").InnerTextAsync()).Should().Be("1,391 网格");
        (await page.Locator("#geo-children a[href='/geo/map/150203001']").CountAsync()).Should().Be(1);
        await ScreenshotAsync(page, "geo-tree.png", fullPage: true);

        await page.ClickAsync("#geo-children a[href='/geo?code=150203001']");
        await page.WaitForURLAsync($"{demo.Origin}/geo?code=150203001");
        (await page.Locator("#geo-children tbody tr").CountAsync()).Should().Be(9);

        await page.ClickAsync("a[lang=en]");
        await page.WaitForURLAsync($"{demo.Origin}/geo?code=150203001");
        (await page.Locator("#geo-children thead").InnerTextAsync()).Should().Contain("Name").And.Contain("Grids");
        (await page.Locator("#geo-current .badge").InnerTextAsync()).Should().Be("Township");
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_grid_worker_signed_in_sees_only_his_own_grid()
    {
        var grid = $"{Community}003";
        var (context, page, problems) = await OpenAsync(1280, 900, CivicGrid.Modules.Identity.Contracts.Roles.GridWorker, grid);
        await using var _ = context;

        (await page.Locator("#signed-in-user").InnerTextAsync()).Should().Be($"t-grid-worker-{grid}");
        await page.GotoAsync($"{demo.Origin}/geo?code={Community}");
        var rows = page.Locator("#geo-children tbody tr");
        (await rows.CountAsync()).Should().Be(1, "the community has more grids, but a grid worker sees his own");
        (await rows.First.InnerTextAsync()).Should().Contain(grid);
        (await page.Locator(".breadcrumb").InnerTextAsync()).Should().Contain("昆都仑区", "the divisions above are shown for orientation");

        await page.GotoAsync($"{demo.Origin}/geo/map/{Community}");
        (await ReadyAsync(page, problems)).Should().Be(1);
        (await page.Locator("#geo-map .cg-map-label").CountAsync()).Should().Be(1);
        (await page.Locator($"#geo-map .cg-map-label[data-code='{grid}']").CountAsync()).Should().Be(1);
        (await page.Locator("#geo-edit").CountAsync()).Should().Be(0, "a grid worker cannot redraw boundaries");

        var otherTownship = await page.GotoAsync($"{demo.Origin}/geo?code=150203003");
        otherTownship!.Status.Should().Be(404);
        problems.Where(p => !p.Contains("150203003", StringComparison.Ordinal) && !p.Contains("status of 404", StringComparison.Ordinal))
            .Should().BeEmpty("only the other township's page is missing");
        await ScreenshotAsync(page, "geo-grid-worker.png", fullPage: false);
    }

    [Fact]
    public async Task Searching_the_tree_finds_a_community_by_part_of_its_name()
    {
        var (context, page, problems) = await OpenAsync(1280, 900);
        await using var _ = context;

        await page.GotoAsync($"{demo.Origin}/geo");
        (await page.Locator("#geo-children tbody tr").CountAsync()).Should().Be(1, "the demo holds Inner Mongolia and Shaanxi, and an Inner Mongolia administrator sees only the first");
        await page.FillAsync("#geo-q", "友谊小区第一");
        await page.PressAsync("#geo-q", "Enter");
        await page.WaitForURLAsync(url => url.Contains("q=", StringComparison.Ordinal));

        var hit = page.Locator($"#geo-results tr[data-code='{Community}']");
        (await hit.InnerTextAsync()).Should().Contain("友谊小区第一社区居委会").And.Contain("社区村").And.Contain("少先路街道");
        await hit.Locator("a").First.ClickAsync();
        await page.WaitForURLAsync($"{demo.Origin}/geo?code={Community}");
        (await page.Locator("#geo-current h1").InnerTextAsync()).Should().Be("友谊小区第一社区居委会");
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task The_tree_fits_a_phone_screen()
    {
        var (context, page, problems) = await OpenAsync(360, 740);
        await using var _ = context;

        await page.GotoAsync($"{demo.Origin}/geo?code={Kundulun}");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(360);
        await ScreenshotAsync(page, "geo-tree-phone.png", fullPage: false);
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task The_map_of_Kundulun_draws_its_sixteen_townships_with_names_and_nothing_failing()
    {
        var (context, page, problems) = await OpenAsync(1280, 800);
        await using var _ = context;

        var response = await page.GotoAsync($"{demo.Origin}/geo/map/{Kundulun}");
        response!.Status.Should().Be(200);
        (await ReadyAsync(page, problems)).Should().Be(16);
        (await page.Locator("#geo-map path.leaflet-interactive").CountAsync()).Should().Be(16);
        (await page.Locator("#geo-map .cg-map-label").CountAsync()).Should().Be(16);
        (await page.Locator("#geo-map .cg-map-label:not(.cg-map-label-hidden)").CountAsync())
            .Should().BeGreaterThanOrEqualTo(12, "most township names fit at the district's zoom");
        (await page.Locator("#geo-map-status").InnerTextAsync()).Should().Be("显示 16 个区域");

        await ClickAreaAsync(page, "150203001");
        var details = page.Locator("#geo-details");
        (await details.InnerTextAsync()).Should().Contain("少先路街道").And.Contain("150203001").And.Contain("乡镇街道");
        (await details.Locator("dd[data-child-count]").InnerTextAsync()).Should().Be("9");
        (await details.Locator("a[href='/geo/map/150203001']").CountAsync()).Should().Be(1);
        (await details.Locator("a[href='/geo?code=150203001']").CountAsync()).Should().Be(1);
        (await details.Locator("#geo-edit").CountAsync()).Should().Be(0, "townships are not edited on this map");

        await ScreenshotAsync(page, "map-kundulun.png", fullPage: false);
        problems.Should().BeEmpty("every asset comes from the app, the CSP lets the page run, and no script fails");
    }

    [Fact]
    public async Task On_a_phone_the_map_details_stack_under_the_map()
    {
        var (context, page, problems) = await OpenAsync(360, 740);
        await using var _ = context;

        await page.GotoAsync($"{demo.Origin}/geo/map/150203001");
        (await ReadyAsync(page, problems)).Should().Be(9);
        var map = await page.Locator("#geo-map").BoundingBoxAsync();
        var details = await page.Locator("#geo-details").BoundingBoxAsync();
        details!.Y.Should().BeGreaterThan(map!.Y + map.Height);
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(360);
        await ScreenshotAsync(page, "map-phone.png", fullPage: true);
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_grid_redrawn_inside_its_community_is_saved_and_a_shape_far_outside_is_refused()
    {
        var (context, page, problems) = await OpenAsync(1280, 800);
        await using var _ = context;
        using var http = await demo.App.AdminClientAsync();
        var grid = $"{Community}002";
        var before = await BoundaryAsync(http, grid);

        await page.GotoAsync($"{demo.Origin}/geo/map/{Community}");
        (await ReadyAsync(page, problems)).Should().BeGreaterThan(1);
        await ClickAreaAsync(page, grid);
        (await page.Locator("#geo-details").InnerTextAsync()).Should().Contain(grid).And.Contain("网格");
        await page.ClickAsync("#geo-edit");
        (await page.Locator("#geo-map .marker-icon").CountAsync()).Should().BeGreaterThan(3, "geoman shows a handle on every corner");
        (await page.Locator("#geo-save").CountAsync()).Should().Be(1);

        // What dragging the handles would do, in one step: a shape 10 m inside the grid, so inside its community.
        var inside = JsonSerializer.Deserialize<Geometry>(before.GetProperty("geometry"), Shapes.Json)!.Buffer(-0.0001);
        inside.IsEmpty.Should().BeFalse();
        var saved = await SaveAsync(page, grid, JsonSerializer.Serialize(inside, Shapes.Json));
        saved.GetProperty("ok").GetBoolean().Should().BeTrue();
        (await page.Locator("#geo-message").InnerTextAsync()).Should().StartWith("边界已保存");
        (await page.Locator("#geo-map .marker-icon").CountAsync()).Should().Be(0, "editing ends with the save");

        var after = await BoundaryAsync(http, grid);
        after.GetProperty("properties").GetProperty("source").GetString().Should().Be("edit");
        after.GetProperty("properties").GetProperty("validFrom").GetString()
            .Should().NotBe(before.GetProperty("properties").GetProperty("validFrom").GetString());
        var stored = JsonSerializer.Deserialize<Geometry>(after.GetProperty("geometry"), Shapes.Json)!;
        stored.Area.Should().BeApproximately(inside.Area, inside.Area * 1e-6);

        var drawn = await page.Locator($"#geo-map path[data-code='{grid}']").GetAttributeAsync("d");
        await page.EvaluateAsync("code => CivicGridMap.startEdit(code)", grid);
        const string FarAway = """{"type":"Polygon","coordinates":[[[116.39,39.90],[116.40,39.90],[116.40,39.91],[116.39,39.91],[116.39,39.90]]]}""";
        var refused = await SaveAsync(page, grid, FarAway);
        refused.GetProperty("ok").GetBoolean().Should().BeFalse();
        refused.GetProperty("status").GetInt32().Should().Be(400);
        var message = await page.Locator("#geo-message").InnerTextAsync();
        message.Should().StartWith("边界未保存：").And.Contain("超出上级").And.Contain(Community);
        (await page.Locator($"#geo-map path[data-code='{grid}']").GetAttributeAsync("d")).Should().Be(drawn, "a refused shape is reverted");
        (await page.Locator("#geo-edit").IsEnabledAsync()).Should().BeTrue("the grid can be edited again");
        var unchanged = await BoundaryAsync(http, grid);
        unchanged.GetProperty("properties").GetProperty("validFrom").GetString()
            .Should().Be(after.GetProperty("properties").GetProperty("validFrom").GetString());
        await ScreenshotAsync(page, "map-edit-refused.png", fullPage: false);

        problems.Where(p => !p.Contains("400", StringComparison.Ordinal))
            .Should().BeEmpty("only the refused save answers with an error status");
    }

    [Fact]
    public async Task Dragging_a_corner_of_a_grid_inwards_and_saving_redraws_its_boundary()
    {
        var (context, page, problems) = await OpenAsync(1280, 800);
        await using var _ = context;
        using var http = await demo.App.AdminClientAsync();
        var grid = $"{Community}006";
        var before = JsonSerializer.Deserialize<Geometry>((await BoundaryAsync(http, grid)).GetProperty("geometry"), Shapes.Json)!;

        await page.GotoAsync($"{demo.Origin}/geo/map/{Community}");
        (await ReadyAsync(page, problems)).Should().BeGreaterThan(1);
        var centre = (await page.Locator($"#geo-map .cg-map-label[data-code='{grid}']").BoundingBoxAsync())!;
        await ClickAreaAsync(page, grid);
        await page.ClickAsync("#geo-edit");
        var corner = (await page.Locator("#geo-map .marker-icon:not(.marker-icon-middle)").First.BoundingBoxAsync())!;

        // A third of the way from a corner towards the label, which lies inside the grid.
        var (fromX, fromY) = (corner.X + (corner.Width / 2), corner.Y + (corner.Height / 2));
        var (toX, toY) = (centre.X + (centre.Width / 2), centre.Y + (centre.Height / 2));
        await page.Mouse.MoveAsync(fromX, fromY);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(fromX + ((toX - fromX) / 3), fromY + ((toY - fromY) / 3), new MouseMoveOptions { Steps = 8 });
        await page.Mouse.UpAsync();
        await page.ClickAsync("#geo-save");
        await page.Locator("#geo-message.alert-success").WaitForAsync();
        (await page.Locator("#geo-message").InnerTextAsync()).Should().Be("边界已保存。");

        var after = await BoundaryAsync(http, grid);
        after.GetProperty("properties").GetProperty("source").GetString().Should().Be("edit");
        var stored = JsonSerializer.Deserialize<Geometry>(after.GetProperty("geometry"), Shapes.Json)!;
        stored.Area.Should().BeLessThan(before.Area, "a corner moved inwards cuts off a triangle");
        stored.Within(before.Buffer(1e-7)).Should().BeTrue();
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_configured_tile_server_is_handed_to_the_map_and_allowed_by_the_content_security_policy()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false, settings: new Dictionary<string, string?>
        {
            ["Map:TileUrl"] = "https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png",
            ["Map:TileAttribution"] = "© 示例底图",
            ["Map:MaxZoom"] = "17",
            ["Map:DefaultCode"] = "15",
        });
        using var client = await app.AdminClientAsync();
        var created = await client.PostJsonAsync("/api/v1/divisions", new { code = "15", name = "内蒙古自治区" });
        created.EnsureSuccessStatusCode();

        var response = await client.GetPathAsync("/geo/map");
        response.EnsureSuccessStatusCode();
        response.Headers.GetValues("Content-Security-Policy").Single()
            .Should().Contain("img-src 'self' data: blob: https://*.tiles.example.org;").And.Contain("script-src 'self';");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        html.Should().Contain("data-tile-url=\"https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png\"")
            .And.Contain("data-tile-attribution=\"© 示例底图\"")
            .And.Contain("data-max-zoom=\"17\"")
            .And.Contain("data-code=\"15\"");
    }

    [Theory]
    [InlineData("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org")]
    [InlineData("http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png", "http://10.1.2.3:8080")]
    [InlineData("/tiles/{z}/{x}/{y}.png", null)]
    [InlineData("https://t{s}.example.org/{z}/{x}/{y}.png?key=a b", "https://*.example.org")]
    [InlineData("https://tiles.example.org:8443/{z}/{x}/{y}.png", "https://tiles.example.org:8443")]
    [InlineData("https://{z}.example.org/{x}/{y}.png", null)]
    [InlineData("https://example.org'; script-src *", null)]
    [InlineData("", null)]
    public void A_tile_url_gives_the_image_source_the_policy_must_allow(string url, string? source)
    {
        CivicGrid.Infrastructure.Web.SecurityHeaders.TileSource(url).Should().Be(source);
    }

    private async Task<(IBrowserContext Context, IPage Page, List<string> Problems)> OpenAsync(int width, int height,
        string role = CivicGrid.Modules.Identity.Contracts.Roles.Admin, string jurisdiction = "15")
    {
        var chromium = await browser.BrowserAsync();
        var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        await page.SignInAsync(demo.App, role, jurisdiction);
        var problems = PageProblems.Watch(page, demo.Origin);
        return (context, page, problems);
    }

    // How many areas the map drew; on a failure, says why.
    private static async Task<int> ReadyAsync(IPage page, List<string> problems)
    {
        var drawn = await page.EvaluateAsync<int>("CivicGridMap.ready");
        if (drawn < 0)
        {
            var status = await page.Locator("#geo-map-status").InnerTextAsync();
            Assert.Fail($"the map did not load: {status}\n{string.Join("\n", problems)}");
        }
        return drawn;
    }

    private static Task<int> SumAsync(IPage page, string selector) =>
        page.EvaluateAsync<int>(
            "selector => [...document.querySelectorAll(selector)].reduce((sum, cell) => sum + Number(cell.dataset.count), 0)",
            selector);

    // The name sits on the area's label point, inside the polygon; labels let clicks through.
    private static async Task ClickAreaAsync(IPage page, string code)
    {
        var label = await page.Locator($"#geo-map .cg-map-label[data-code='{code}']").BoundingBoxAsync();
        label.Should().NotBeNull();
        await page.Mouse.ClickAsync(label!.X + (label.Width / 2), label.Y + (label.Height / 2));
    }

    private static Task<JsonElement> SaveAsync(IPage page, string code, string geometry) =>
        page.EvaluateAsync<JsonElement>("([code, geometry]) => CivicGridMap.saveBoundary(code, JSON.parse(geometry))",
            new object[] { code, geometry });

    private static async Task<JsonElement> BoundaryAsync(HttpClient http, string code)
    {
        var response = await http.GetPathAsync($"/api/v1/divisions/{code}/boundary");
        response.EnsureSuccessStatusCode();
        return await response.JsonAsync();
    }

    private static Task ScreenshotAsync(IPage page, string name, bool fullPage) => PageProblems.ScreenshotAsync(page, name, fullPage);
}
