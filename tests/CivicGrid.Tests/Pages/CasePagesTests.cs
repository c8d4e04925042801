using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Cases;
using CivicGrid.Tests.Identity;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CivicGrid.Tests.Pages;

/// <summary>The case pages in a real headless Chromium, each step by the role that takes it, on both databases.</summary>
public sealed class CasePagesTests(BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> Settings = new() { ["Demo:Persons"] = "0" };

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_case_walks_the_whole_loop_in_the_browser_each_step_by_its_role(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartOnSocketAsync(provider, Settings);
        var origin = app.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        var (township, townshipB) = await CaseApiTests.TownshipsAsync(app);
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var workerName = $"t-{Roles.GridWorker}-{grid}";
        var (workerContext, worker, workerProblems) = await OpenAsync(app, Roles.GridWorker, grid);
        await using var _ = workerContext;
        var (staffContext, staff, staffProblems) = await OpenAsync(app, Roles.Township, township);
        await using var __ = staffContext;

        // The grid worker reports on patrol (the page is linked from the navigation).
        await worker.ClickAsync("#nav-cases");
        await worker.ClickAsync("#cases-new");
        await worker.WaitForURLAsync($"{origin}/cases/new");
        await MapReadyAsync(worker);
        await worker.SelectOptionAsync("#case-category", "0301");
        await worker.FillAsync("#case-description", "小区门口垃圾堆放三天无人清理");
        await worker.FillAsync("#case-lon", lon.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        await worker.FillAsync("#case-lat", lat.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        await PageProblems.ScreenshotAsync(worker, "case-new.png", fullPage: true);
        await worker.ClickAsync("#case-submit");
        await worker.WaitForURLAsync(url => url.Contains("/cases/", StringComparison.Ordinal) && !url.EndsWith("/new", StringComparison.Ordinal));
        var caseUrl = worker.Url;
        (await worker.Locator("#case-state").InnerTextAsync()).Should().Be("待受理");
        (await worker.Locator("#case-facts").InnerTextAsync()).Should().Contain("垃圾乱堆乱放").And.Contain(grid).And.Contain("巡查上报");
        (await worker.Locator("#case-actions").CountAsync()).Should().Be(0, "a grid worker cannot accept");
        (await worker.Locator(".cg-light[data-light=green]").CountAsync()).Should().Be(1, "the accept clock has just started");
        await MapReadyAsync(worker);
        (await worker.Locator("#case-map path.leaflet-interactive").CountAsync()).Should().Be(1, "the case's point is on its small map");
        var number = await worker.Locator("#case-number").InnerTextAsync();

        // The township finds it in its inbox (to accept), with its light and due time, and on the map of the list.
        await staff.GotoAsync($"{origin}/cases");
        var row = staff.Locator($"#cases-list li[data-number='{number}']");
        (await row.CountAsync()).Should().Be(1);
        (await row.InnerTextAsync()).Should().Contain("待受理").And.Contain("绿灯").And.Contain("时限");
        await PageProblems.ScreenshotAsync(staff, "cases-inbox.png", fullPage: true);
        (await staff.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390, "the inbox fits a phone");
        await staff.ClickAsync("#cases-view-map");
        await MapReadyAsync(staff);
        (await staff.Locator("#case-map path.leaflet-interactive").CountAsync()).Should().Be(1);
        await PageProblems.ScreenshotAsync(staff, "cases-map.png", fullPage: false);
        await staff.GotoAsync($"{origin}/cases?queue=all&state=followed_up");
        (await staff.Locator("#cases-empty").CountAsync()).Should().Be(1, "the state filter leaves nothing yet");
        await staff.GotoAsync($"{origin}/cases");
        await row.Locator("a").First.ClickAsync();
        await staff.WaitForURLAsync(caseUrl);

        await ActAsync(staff, "accept", "已立案");
        await staff.FillAsync("#case-assignee-dispatch", workerName);
        await ActAsync(staff, "dispatch", "已派遣");
        (await staff.Locator("#case-assignee").InnerTextAsync()).Should().Be(workerName);

        // The grid worker finds it dispatched to him and reports back; a report without a note is refused inline.
        await worker.GotoAsync($"{origin}/cases");
        (await worker.Locator($"#cases-list li[data-number='{number}']").InnerTextAsync()).Should().Contain("已派遣");
        await worker.GotoAsync(caseUrl);
        await worker.Locator("#case-note-report").EvaluateAsync("e => e.removeAttribute('required')");
        await worker.ClickAsync("#case-action-report button[type=submit]");
        (await worker.Locator("#case-action-report .invalid-feedback").InnerTextAsync()).Should().Be("请填写处置情况");
        await worker.FillAsync("#case-note-report", "已联系物业清运完毕");
        await ActAsync(worker, "report", "已反馈");

        // The township sends it back for rework; the worker reports again and verifies on site.
        await staff.GotoAsync(caseUrl);
        await staff.FillAsync("#case-reason-return", "仍有残留");
        await ActAsync(staff, "return", "已派遣");
        await worker.GotoAsync(caseUrl);
        await worker.FillAsync("#case-note-report", "残留已清理");
        await ActAsync(worker, "report", "已反馈");
        await ActAsync(worker, "verify", "已核查");

        // Two township tabs show "close": the first closes, the second learns the case has moved on.
        var stale = await staffContext.NewPageAsync();
        await staff.GotoAsync(caseUrl);
        await stale.GotoAsync(caseUrl);
        await ActAsync(staff, "close", "已结案");
        await stale.ClickAsync("#case-action-close button[type=submit]");
        await stale.Locator("#case-refusal").WaitForAsync();
        (await stale.Locator("#case-refusal").InnerTextAsync()).Should().Contain("已被他人处理").And.Contain("已结案");
        (await stale.Locator("#case-state").InnerTextAsync()).Should().Be("已结案");

        // The grid worker calls back (回访).
        await worker.GotoAsync(caseUrl);
        await worker.SelectOptionAsync("#case-satisfaction-followup", "satisfied");
        await ActAsync(worker, "followup", "已回访");

        var steps = worker.Locator("#case-timeline li");
        (await steps.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.action)")).Should().Equal(
            "report_case", "accept", "dispatch", "start_handling", "report", "return", "start_handling", "report", "verify", "close", "followup");
        var staffName = $"t-{Roles.Township}-{township}";
        (await steps.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.actor)")).Should().Equal(
            workerName, staffName, staffName, workerName, workerName, staffName, workerName, workerName, workerName, staffName, workerName);
        var timeline = await worker.Locator("#case-timeline").InnerTextAsync();
        timeline.Should().Contain("派遣至 " + workerName).And.Contain("仍有残留").And.Contain("残留已清理").And.Contain("网格员").And.Contain("乡镇街道");
        (await worker.Locator("#case-facts").InnerTextAsync()).Should().Contain("满意");
        (await worker.Locator("#case-actions").CountAsync()).Should().Be(0, "nothing is left to do");
        await PageProblems.ScreenshotAsync(worker, "case-detail.png", fullPage: true);
        (await worker.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390, "the case page fits a phone");

        workerProblems.Should().BeEmpty("every asset comes from the app, the CSP lets the pages run, and no script fails");
        staffProblems.Should().BeEmpty();

        // A township-B officer does not see A's case: 404.
        var (otherContext, other, _) = await OpenAsync(app, Roles.Township, townshipB);
        await using var ___ = otherContext;
        (await other.GotoAsync(caseUrl))!.Status.Should().Be(404);
        await other.GotoAsync($"{origin}/cases?queue=all");
        (await other.Locator($"#cases-list li[data-number='{number}']").CountAsync()).Should().Be(0);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_hotline_form_stores_the_callers_phone_encrypted_and_shows_it_masked_until_an_audited_unmask(DatabaseProvider provider)
    {
        const string Phone = "13912345678";
        await using var app = await CivicGridApp.StartOnSocketAsync(provider, Settings);
        var origin = app.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        var (township, _) = await CaseApiTests.TownshipsAsync(app);
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);

        // A grid worker takes no 12345 calls.
        var (workerContext, worker, _) = await OpenAsync(app, Roles.GridWorker, grid);
        await using (workerContext)
        {
            (await worker.GotoAsync($"{origin}/cases/hotline"))!.Status.Should().Be(403);
            (await worker.Locator("#cases-hotline").CountAsync()).Should().Be(0);
        }

        var (context, page, problems) = await OpenAsync(app, Roles.Township, township);
        await using var __ = context;
        await page.GotoAsync($"{origin}/cases");
        await page.ClickAsync("#cases-hotline");
        await page.WaitForURLAsync($"{origin}/cases/hotline");
        await page.FillAsync("#case-reporter-name", "张先生");
        await page.FillAsync("#case-reporter-phone", "139-12");
        await page.FillAsync("#case-address", "友谊大街 12 号");
        await page.SelectOptionAsync("#case-category", "0303");
        await page.FillAsync("#case-description", "夜间施工噪声扰民");
        await page.FillAsync("#case-lon", lon.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#case-lat", lat.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("#case-submit");
        // A bad number is refused inline, the rest of the form kept.
        (await page.Locator("#case-reporter-phone.is-invalid").CountAsync()).Should().Be(1);
        (await page.InputValueAsync("#case-description")).Should().Be("夜间施工噪声扰民");
        (await page.InputValueAsync("#case-reporter-phone")).Should().Be("139-12");
        await page.FillAsync("#case-reporter-phone", "+86 139 1234 5678");
        await page.ClickAsync("#case-submit");
        await page.WaitForURLAsync(url => !url.EndsWith("/hotline", StringComparison.Ordinal));

        var facts = await page.Locator("#case-facts").InnerTextAsync();
        facts.Should().Contain("12345 热线").And.Contain("张先生").And.Contain("友谊大街 12 号").And.NotContain(Phone);
        (await page.Locator("#case-phone").InnerTextAsync()).Should().Be("139****5678");
        (await page.ContentAsync()).Should().NotContain(Phone);

        await page.FillAsync("#case-unmask-reason", "回访需要联系来电人");
        await page.ClickAsync("#case-unmask button[type=submit]");
        await page.Locator("#case-phone").Filter(new LocatorFilterOptions { HasText = Phone }).WaitForAsync();
        problems.Should().BeEmpty();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var audit = await db.Database.SqlQueryRaw<string>(
                "SELECT \"Detail\" AS \"Value\" FROM audit_records WHERE \"Action\" = 'cases.unmask'").ToListAsync(Ct);
            audit.Should().ContainSingle().Which.Should().Contain("139****5678").And.Contain("回访需要联系来电人").And.NotContain(Phone);
            // Found by its blind index, whatever its formatting.
            var index = scope.ServiceProvider.GetRequiredService<IFieldProtector>().BlindIndex("139 1234 5678", FieldKind.Phone);
            (await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM cases WHERE \"ReporterPhoneIndex\" = {0}", index)
                .SingleAsync(Ct)).Should().Be(1);
        }
        var haystack = provider == DatabaseProvider.Sqlite
            ? await PhoneAtRestTests.SqliteBytesAsync(app)
            : await PhoneAtRestTests.PostgresRowsAsync(app);
        PhoneAtRestTests.Contains(haystack, Encoding.UTF8.GetBytes("夜间施工噪声扰民")).Should().BeTrue("the scan must see the case");
        foreach (var form in new[] { Encoding.UTF8, Encoding.Unicode, Encoding.BigEndianUnicode })
        {
            PhoneAtRestTests.Contains(haystack, form.GetBytes(Phone)).Should().BeFalse($"the clear phone ({form.WebName}) must not be stored");
        }
    }

    private static async Task ActAsync(IPage page, string action, string state)
    {
        await page.ClickAsync($"#case-action-{action} button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains($"done={action}", StringComparison.Ordinal));
        (await page.Locator("#case-state").InnerTextAsync()).Should().Be(state, $"{action} moves the case");
        (await page.Locator("#case-done").CountAsync()).Should().Be(1);
    }

    // cases.js says when its map has placed what it draws.
    private static Task MapReadyAsync(IPage page) => page.WaitForFunctionAsync("() => window.CivicGridCases && window.CivicGridCases.ready");

    private async Task<(IBrowserContext Context, IPage Page, List<string> Problems)> OpenAsync(CivicGridApp app, string role, string jurisdiction)
    {
        var origin = app.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        var chromium = await browser.BrowserAsync();
        var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });
        var page = await context.NewPageAsync();
        await page.SignInAsync(app, role, jurisdiction);
        var problems = PageProblems.Watch(page, origin);
        return (context, page, problems);
    }
}
