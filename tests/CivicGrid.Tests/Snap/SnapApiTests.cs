using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Files.Domain;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Snap.Domain;
using CivicGrid.Modules.Snap.Posters;
using CivicGrid.Tests.Cases;
using CivicGrid.Tests.Files;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Snap;

/// <summary>随手拍 through the resident pages (as a browser without, and with, JavaScript) and the staff API, on both databases.</summary>
public sealed partial class SnapApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{10}$")]
    private static partial Regex TrackingCode();

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_scanned_report_lands_in_its_grid_with_its_photo_and_the_tracking_page_follows_it_to_one_rating(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (township, _) = await CaseApiTests.TownshipsAsync(app);
        var (grid, _, _) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, township);

        var form = SnapForm.For(app);
        var (status, html) = await form.OpenAsync($"/r/{grid}");
        status.Should().Be(HttpStatusCode.OK);
        using (var compressed = new HttpRequestMessage(HttpMethod.Get, new Uri($"/r/{grid}", UriKind.Relative)))
        {
            compressed.Headers.AcceptEncoding.ParseAdd("gzip");
            var response = await form.Client.SendAsync(compressed, Ct);
            response.Content.Headers.ContentEncoding.Should().Equal(["gzip"], "the resident page goes out compressed");
        }
        html.Should().Contain("随手拍").And.Contain("capture=\"environment\"").And.Contain("accept=\"image/*\"")
            .And.Contain("垃圾乱堆乱放").And.NotContain("bootstrap", "the phone page carries no framework");
        var photo = TestImages.Jpeg(2000, 1200, new SkiaSharp.SKColor((byte)Random.Shared.Next(256), 90, 30));
        const string description = "3号楼门口垃圾堆放两天无人清理";
        var sent = await form.PostAsync($"/r/{grid}", new Dictionary<string, string?>
        {
            ["CategoryCode"] = "0301",
            ["Description"] = description,
            ["Phone"] = "138 0471 5678",
        }, photo);
        sent.StatusCode.Should().Be(HttpStatusCode.Created, await sent.Content.ReadAsStringAsync(Ct));
        var done = await sent.JsonAsync();
        var code = done.GetProperty("trackingCode").GetString()!;
        code.Should().MatchRegex(TrackingCode());
        done.GetProperty("url").GetString().Should().Be($"/t/{code}?new=1");

        // The case: in the QR code's grid, channel snap, the photo attached, the phone encrypted.
        var caseId = await CaseIdAsync(app, code);
        var detail = await (await worker.GetPathAsync($"/api/v1/cases/{caseId}")).JsonAsync();
        detail.GetProperty("gridCode").GetString().Should().Be(grid);
        detail.GetProperty("channel").GetString().Should().Be("snap");
        detail.GetProperty("state").GetString().Should().Be("reported");
        detail.GetProperty("description").GetString().Should().Be(description);
        var photoId = detail.GetProperty("photoIds")[0].GetString()!;
        var stored = await worker.GetPathAsync($"/api/v1/files/{photoId}");
        stored.StatusCode.Should().Be(HttpStatusCode.OK, "the grid worker sees the photo of a case in his grid");
        (await stored.Content.ReadAsByteArrayAsync(Ct)).Should().Equal(photo);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var row = await db.Set<Case>().IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == caseId, Ct);
            scope.ServiceProvider.GetRequiredService<IFieldProtector>().Decrypt(row.ReporterPhoneCipher!).Should().Be("13804715678");
            Encoding.UTF8.GetString(row.ReporterPhoneCipher!).Should().NotContain("5678");
            row.ReporterPhoneIndex.Should().NotBeNull();
        }

        // The tracking page: the public timeline, no description, no phone, no actor.
        var anonymous = app.CreateClient();
        var tracking = await anonymous.GetStringAsync(new Uri($"/t/{code.ToLowerInvariant()}", UriKind.Relative), Ct);
        tracking.Should().Contain(code).And.Contain(detail.GetProperty("number").GetString()!).And.Contain("track-timeline")
            .And.NotContain(description).And.NotContain("5678").And.NotContain("snap<").And.NotContain("track-rate", "it is not closed yet");
        (await anonymous.GetAsync(new Uri($"/t/{code}/photos/{photoId}", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync(new Uri($"/t/ZZZZZZZZZZ/photos/{photoId}", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await anonymous.GetAsync(new Uri("/t/ZZZZZZZZZZ", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Rating before closing is refused; after it, once.
        var trackForm = SnapForm.For(app);
        await trackForm.OpenAsync($"/r/{grid}");
        async Task<HttpResponseMessage> RateAsync(string satisfaction) =>
            await trackForm.PostAsync($"/t/{code}", new Dictionary<string, string?> { ["Satisfaction"] = satisfaction, ["IdempotencyKey"] = null });
        var early = await RateAsync("satisfied");
        early.StatusCode.Should().Be(HttpStatusCode.Conflict, await early.Content.ReadAsStringAsync(Ct));
        (await early.JsonAsync()).GetProperty("code").GetString().Should().Be("cases.not_closed");

        var workerName = $"t-{Roles.GridWorker}-{grid}";
        foreach (var (client, action, body) in new (HttpClient, string, object)[]
        {
            (staff, "accept", new { }), (staff, "dispatch", new { assignee = workerName }), (worker, "report", new { note = "已清运" }),
            (worker, "verify", new { }), (staff, "close", new { }),
        })
        {
            var moved = await client.PostJsonAsync($"/api/v1/cases/{caseId}/{action}", body);
            moved.StatusCode.Should().Be(HttpStatusCode.OK, $"{action}: {await moved.Content.ReadAsStringAsync(Ct)}");
        }
        (await anonymous.GetStringAsync(new Uri($"/t/{code}", UriKind.Relative), Ct)).Should().Contain("track-rate").And.Contain("满意");
        (await RateAsync("very")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await RateAsync("fairly_satisfied")).StatusCode.Should().Be(HttpStatusCode.OK);
        var again = await RateAsync("dissatisfied");
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await again.JsonAsync()).GetProperty("code").GetString().Should().Be("snap.already_rated");
        var after = await anonymous.GetStringAsync(new Uri($"/t/{code}", UriKind.Relative), Ct);
        after.Should().Contain("基本满意").And.NotContain("track-rate");
        var followed = await (await staff.GetPathAsync($"/api/v1/cases/{caseId}")).JsonAsync();
        followed.GetProperty("state").GetString().Should().Be("followed_up");
        followed.GetProperty("satisfaction").GetString().Should().Be("fairly_satisfied");
        followed.GetProperty("timeline").EnumerateArray().Last().GetProperty("actor").GetString().Should().Be("snap");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Bad_input_is_refused_with_its_field_and_leaves_nothing_behind_and_a_replayed_key_returns_the_first_or_409(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (township, _) = await CaseApiTests.TownshipsAsync(app);
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var form = SnapForm.For(app);
        await form.OpenAsync($"/r/{grid}");
        var fields = new Dictionary<string, string?> { ["CategoryCode"] = "0301", ["Description"] = "路灯不亮" };
        var counts = await CountsAsync(app);

        async Task FieldErrorAsync(HttpResponseMessage response, string field, HttpStatusCode expected = HttpStatusCode.BadRequest)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.Should().Be(expected, text);
            (await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue(text);
        }
        await FieldErrorAsync(await form.PostAsync($"/r/{grid}", fields, Encoding.UTF8.GetBytes("not an image at all, just text")), "photo");
        var huge = new byte[30 * 1024 * 1024];
        TestImages.Jpeg(64, 64).CopyTo(huge, 0);
        var tooLarge = await form.PostAsync($"/r/{grid}", fields, huge);
        await FieldErrorAsync(tooLarge, "photo", HttpStatusCode.RequestEntityTooLarge);
        (await tooLarge.Content.ReadAsStringAsync(Ct)).Should().Contain("10 MB");
        var tooLargePage = await form.PostAsync($"/r/{grid}", fields, huge, json: false);
        tooLargePage.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await tooLargePage.Content.ReadAsStringAsync(Ct)).Should().Contain("snap-too-large").And.Contain("照片不能超过 10 MB");
        // Within the request limit but over the photo limit: the Files module's own check.
        var justOver = new byte[10 * 1024 * 1024 + 100];
        TestImages.Jpeg(64, 64).CopyTo(justOver, 0);
        await FieldErrorAsync(await form.PostAsync($"/r/{grid}", fields, justOver), "photo");
        await FieldErrorAsync(await form.PostAsync($"/r/{grid}", new Dictionary<string, string?>(fields) { ["Description"] = " " }), "description");
        await FieldErrorAsync(await form.PostAsync($"/r/{grid}", new Dictionary<string, string?>(fields) { ["CategoryCode"] = "9999" }), "categoryCode");
        await FieldErrorAsync(await form.PostAsync($"/r/{grid}", new Dictionary<string, string?>(fields) { ["Phone"] = "12345" }), "phone");
        await FieldErrorAsync(await form.PostAsync($"/r/{grid}", new Dictionary<string, string?>(fields) { ["Website"] = "http://spam" }), "website");
        // No QR place and no GPS fix: nowhere to put it.
        await form.OpenAsync("/r");
        await FieldErrorAsync(await form.PostAsync("/r", fields), "location");
        // An unknown QR code: a 404 page that still offers to report.
        var (unknownStatus, unknownHtml) = await form.OpenAsync("/r/150203999999999");
        unknownStatus.Should().Be(HttpStatusCode.NotFound);
        unknownHtml.Should().Contain("snap-unknown").And.Contain("href=\"/r\"");
        (await form.PostAsync("/r/c0123456789abcdef0123456789abcdef", fields)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        // Without the antiforgery token the form is refused.
        (await form.PostAsync($"/r/{grid}", fields, withToken: false)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await CountsAsync(app)).Should().Be(counts, "nothing refused is stored: no file, no case, no report");

        // Without JavaScript: a refused form comes back as the page with the message; a good one redirects to its tracking page.
        await form.OpenAsync($"/r/{grid}");
        var page = await form.PostAsync($"/r/{grid}", new Dictionary<string, string?>(fields) { ["Description"] = "" }, json: false);
        page.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await page.Content.ReadAsStringAsync(Ct)).Should().Contain("error-description").And.Contain("snap-form");
        var key = form.IdempotencyKey;
        var first = await form.PostAsync($"/r/{grid}", new Dictionary<string, string?>(fields)
        {
            ["Lon"] = lon.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["Lat"] = lat.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        }, json: false);
        first.StatusCode.Should().Be(HttpStatusCode.Redirect, await first.Content.ReadAsStringAsync(Ct));
        var location = first.Headers.Location!.ToString();
        location.Should().MatchRegex("^/t/[0-9A-Z]{10}\\?new=1$");

        // The same key and body again (a retry after a lost answer): the first report, not a second.
        var retry = await form.PostAsync($"/r/{grid}", new Dictionary<string, string?>(fields)
        {
            ["Lon"] = lon.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["Lat"] = lat.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        });
        retry.StatusCode.Should().Be(HttpStatusCode.OK, await retry.Content.ReadAsStringAsync(Ct));
        (await retry.JsonAsync()).GetProperty("url").GetString().Should().Be(location);
        var replay = await form.PostAsync($"/r/{grid}", new Dictionary<string, string?>(fields) { ["Description"] = "换了内容" });
        replay.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await replay.JsonAsync()).GetProperty("code").GetString().Should().Be("snap.idempotency_mismatch");
        // Another browser with the same key is another resident: his own report.
        var other = SnapForm.For(app);
        await other.OpenAsync($"/r/{grid}");
        var elsewhere = await other.PostAsync($"/r/{grid}", new Dictionary<string, string?>(fields) { ["IdempotencyKey"] = key });
        elsewhere.StatusCode.Should().Be(HttpStatusCode.Created);
        (await CountsAsync(app)).Should().Be((counts.Files, counts.Cases + 2, counts.Reports + 2));
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Submissions_are_limited_per_client_address_per_hour(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["RateLimits:SnapPerHour"] = "2" });
        var (township, _) = await CaseApiTests.TownshipsAsync(app);
        var (grid, _, _) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var form = SnapForm.For(app);
        await form.OpenAsync($"/r/{grid}");
        var fields = new Dictionary<string, string?> { ["CategoryCode"] = "0301", ["Description"] = "井盖缺失", ["IdempotencyKey"] = null };
        (await form.PostAsync($"/r/{grid}", fields)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await form.PostAsync($"/r/{grid}", fields)).StatusCode.Should().Be(HttpStatusCode.Created);
        var third = await form.PostAsync($"/r/{grid}", fields);
        third.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        third.Headers.RetryAfter.Should().NotBeNull();
        (await form.OpenAsync($"/r/{grid}")).Status.Should().Be(HttpStatusCode.OK, "reading the page is not a submission");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Staff_of_the_grid_hide_a_report_and_redact_a_photo_on_its_timeline_and_no_one_else_may(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (township, townshipB) = await CaseApiTests.TownshipsAsync(app);
        var (grid, _, _) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var photo = TestImages.Jpeg(320, 200, new SkiaSharp.SKColor(12, (byte)Random.Shared.Next(256), 200));
        var code = await SnapForm.ReportAsync(app, grid, "有人在绿地里倾倒建筑垃圾", photo);
        var caseId = await CaseIdAsync(app, code);
        var staff = await app.ClientAsAsync(Roles.Community, grid[..12]);
        var staffOfB = await app.ClientAsAsync(Roles.Township, townshipB);
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var anonymous = app.CreateClient();
        var photoId = (await (await staff.GetPathAsync($"/api/v1/cases/{caseId}")).JsonAsync()).GetProperty("photoIds")[0].GetString()!;

        (await staffOfB.PostJsonAsync($"/api/v1/snap/cases/{caseId}/hide", new { reason = "x" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staffOfB.PostJsonAsync($"/api/v1/snap/cases/{caseId}/photos/{photoId}/redact", new { reason = "x" })).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
        (await worker.PostJsonAsync($"/api/v1/snap/cases/{caseId}/hide", new { reason = "x" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await staff.PostJsonAsync($"/api/v1/snap/cases/{caseId}/hide", new { })).StatusCode.Should().Be(HttpStatusCode.BadRequest, "a reason is needed");
        (await staff.PostJsonAsync($"/api/v1/snap/cases/{caseId}/photos/{Guid.NewGuid()}/redact", new { reason = "x" })).StatusCode
            .Should().Be(HttpStatusCode.BadRequest, "not a photo of this report");

        // Redacted: the public page no longer serves it; staff still do.
        var redacted = await staff.PostJsonAsync($"/api/v1/snap/cases/{caseId}/photos/{photoId}/redact", new { reason = "照片拍到了路人面部" });
        redacted.StatusCode.Should().Be(HttpStatusCode.OK, await redacted.Content.ReadAsStringAsync(Ct));
        (await redacted.JsonAsync()).GetProperty("redactedPhotoIds")[0].GetString().Should().Be(photoId);
        (await anonymous.GetAsync(new Uri($"/t/{code}/photos/{photoId}", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await anonymous.GetStringAsync(new Uri($"/t/{code}", UriKind.Relative), Ct)).Should().NotContain(photoId);
        (await staff.GetPathAsync($"/api/v1/files/{photoId}")).StatusCode.Should().Be(HttpStatusCode.OK, "kept for staff");

        // Hidden: the public page says so and shows nothing else.
        var number = (await (await staff.GetPathAsync($"/api/v1/cases/{caseId}")).JsonAsync()).GetProperty("number").GetString()!;
        (await anonymous.GetStringAsync(new Uri($"/t/{code}", UriKind.Relative), Ct)).Should().Contain(number);
        var hidden = await staff.PostJsonAsync($"/api/v1/snap/cases/{caseId}/hide", new { reason = "内容涉及他人隐私" });
        hidden.StatusCode.Should().Be(HttpStatusCode.OK);
        (await hidden.JsonAsync()).GetProperty("hidden").GetBoolean().Should().BeTrue();
        var page = await anonymous.GetStringAsync(new Uri($"/t/{code}", UriKind.Relative), Ct);
        page.Should().Contain("track-hidden").And.Contain("已被工作人员隐藏").And.NotContain(number).And.NotContain("track-timeline");

        var timeline = (await (await staff.GetPathAsync($"/api/v1/cases/{caseId}")).JsonAsync()).GetProperty("timeline").EnumerateArray().ToList();
        timeline.Select(e => e.GetProperty("action").GetString()).Should().Equal("report_case", "snap_redact_photo", "snap_hide");
        timeline[^1].GetProperty("note").GetString().Should().Be("内容涉及他人隐私");
        timeline[^1].GetProperty("actor").GetString().Should().Be($"t-{Roles.Community}-{grid[..12]}");
        timeline[^1].GetProperty("toState").GetString().Should().Be("reported", "moderation changes no state");

        (await staff.PostJsonAsync($"/api/v1/snap/cases/{caseId}/show", new { })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetStringAsync(new Uri($"/t/{code}", UriKind.Relative), Ct)).Should().Contain(number);
        (await staff.GetPathAsync($"/api/v1/snap/cases/{Guid.NewGuid()}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_QR_code_encodes_its_page_and_posters_name_the_grid_worker_masked_for_staff_of_the_place_only(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Snap:PublicBaseUrl"] = "https://wg.example.gov.cn/",
        });
        var (township, townshipB) = await CaseApiTests.TownshipsAsync(app);
        var (grid, _, _) = await CaseApiTests.PointInAGridOfAsync(app, township);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<IUserAccounts>().CreateAsync("wang.grid",
                new RoleGrant(Roles.GridWorker, grid), CivicGridApp.TestPassword, displayName: "王网格", phone: "13912345678", cancellationToken: Ct);
            created.IsSuccess.Should().BeTrue();
        }
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var staffOfB = await app.ClientAsAsync(Roles.Township, townshipB);
        var resident = await app.ClientAsAsync(Roles.Resident, township);

        var qr = await staff.GetPathAsync($"/api/v1/snap/qr/{grid}.svg");
        qr.StatusCode.Should().Be(HttpStatusCode.OK);
        qr.Content.Headers.ContentType!.MediaType.Should().Be("image/svg+xml");
        var svg = await qr.Content.ReadAsStringAsync(Ct);
        ModulesOf(svg).Should().BeEquivalentTo(SnapPosters.Modules($"https://wg.example.gov.cn/r/{grid}"), o => o.WithStrictOrdering(),
            "the drawn modules are exactly the QR code of the page's address");
        ModulesOf(svg).Should().NotBeEquivalentTo(SnapPosters.Modules($"https://wg.example.gov.cn/r/{grid[..^1]}9"), o => o.WithStrictOrdering());

        var poster = await (await staff.GetPathAsync($"/api/v1/snap/posters/{grid}.svg")).Content.ReadAsStringAsync(Ct);
        poster.Should().StartWith("<svg").And.Contain("viewBox=\"0 0 210 297\"").And.Contain("Noto Sans CJK SC").And.Contain("王网格")
            .And.Contain("139****5678").And.NotContain("13912345678").And.Contain("网格智治").And.Contain("可以反映");
        System.Xml.Linq.XDocument.Parse(poster).Root!.Name.LocalName.Should().Be("svg", "the poster is well-formed XML");

        var compound = await staff.PostJsonAsync("/api/v1/compounds", new { name = "幸福小区", gridCode = grid });
        compound.StatusCode.Should().Be(HttpStatusCode.Created, await compound.Content.ReadAsStringAsync(Ct));
        var compoundKey = "c" + Guid.Parse((await compound.JsonAsync()).GetProperty("id").GetString()!).ToString("N");
        var compoundPoster = await staff.GetPathAsync($"/api/v1/snap/posters/{compoundKey}.svg");
        compoundPoster.StatusCode.Should().Be(HttpStatusCode.OK);
        (await compoundPoster.Content.ReadAsStringAsync(Ct)).Should().Contain("幸福小区").And.Contain("王网格");
        (await SnapForm.For(app).OpenAsync($"/r/{compoundKey}")).Html.Should().Contain("幸福小区");

        var community = grid[..12];
        var set = await staff.GetPathAsync($"/api/v1/snap/posters/{community}/set");
        set.StatusCode.Should().Be(HttpStatusCode.OK);
        set.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var sheets = await set.Content.ReadAsStringAsync(Ct);
        var grids = (await (await staff.GetPathAsync($"/api/v1/divisions/{community}/children")).JsonAsync()).GetArrayLength();
        Regex.Count(sheets, "<section class=\"poster\">").Should().Be(1 + grids + 1, "the community, each of its grids, the compound");
        sheets.Should().Contain("/css/poster.css").And.Contain($"https://wg.example.gov.cn/r/{compoundKey}");

        // Outside the caller's jurisdiction: 404; without the capability: 403.
        (await staffOfB.GetPathAsync($"/api/v1/snap/posters/{grid}.svg")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staffOfB.GetPathAsync($"/api/v1/snap/qr/{compoundKey}.svg")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staffOfB.GetPathAsync($"/api/v1/snap/posters/{community}/set")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await resident.GetPathAsync($"/api/v1/snap/qr/{grid}.svg")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await staff.GetPathAsync($"/api/v1/snap/qr/{township}.svg")).StatusCode.Should().Be(HttpStatusCode.NotFound, "a township has no QR code");
        (await app.CreateClient().GetAsync(new Uri($"/api/v1/snap/qr/{grid}.svg", UriKind.Relative), Ct)).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized);
    }

    /// <summary>The module grid an SVG's path draws (its runs <c>M x y h w …</c>), as QRCoder's matrix would be.</summary>
    internal static bool[][] ModulesOf(string svg)
    {
        var size = int.Parse(Regex.Match(svg, "viewBox=\"0 0 (\\d+) \\d+\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var grid = Enumerable.Range(0, size).Select(_ => new bool[size]).ToArray();
        foreach (Match run in Regex.Matches(Regex.Match(svg, "<path[^>]* d=\"([^\"]+)\"").Groups[1].Value, "M(\\d+) (\\d+)h(\\d+)v1h-\\d+z"))
        {
            var (x, y, w) = (int.Parse(run.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(run.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(run.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
            for (var i = x; i < x + w; i++)
            {
                grid[y][i] = true;
            }
        }
        return grid;
    }

    internal static async Task<Guid> CaseIdAsync(CivicGridApp app, string trackingCode)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await db.Set<SnapReport>().IgnoreQueryFilters().Where(s => s.TrackingCode == trackingCode).Select(s => s.CaseId).SingleAsync(Ct);
    }

    private static async Task<(int Files, int Cases, int Reports)> CountsAsync(CivicGridApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return (await db.Set<StoredFile>().IgnoreQueryFilters().CountAsync(Ct), await db.Set<Case>().IgnoreQueryFilters().CountAsync(Ct),
            await db.Set<SnapReport>().IgnoreQueryFilters().CountAsync(Ct));
    }
}
