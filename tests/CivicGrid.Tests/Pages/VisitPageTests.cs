using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Tests.Infrastructure;
using CivicGrid.Tests.Registry;
using Microsoft.Playwright;

namespace CivicGrid.Tests.Pages;

/// <summary>The grid worker's visit page and the house pages in a real headless Chromium at a phone's width, on both databases.</summary>
public sealed class VisitPageTests(BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_grid_worker_logs_a_visit_on_his_phone_edits_a_resident_adds_a_person_and_moves_him_out(DatabaseProvider provider)
    {
        var settings = new Dictionary<string, string?>(HousesApiTests.Keys()) { ["Demo:Persons"] = "300" };
        await using var app = await CivicGridApp.StartOnSocketAsync(provider, settings);
        var origin = app.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        var admin = await app.AdminClientAsync("150203");
        var seeded = await (await admin.GetPathAsync("/api/v1/households?pageSize=1")).JsonAsync();
        seeded.GetProperty("total").GetInt32().Should().BeGreaterThan(50, "the demo seed moved its persons into households");
        var grid = seeded.GetProperty("items")[0].GetProperty("gridCode").GetString()!;

        var chromium = await browser.BrowserAsync();
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
        });
        var page = await context.NewPageAsync();
        await page.SignInAsync(app, Roles.GridWorker, grid);
        var problems = PageProblems.Watch(page, origin);

        // His grid's households; he picks the first.
        await page.GotoAsync($"{origin}/registry/visit");
        var households = page.Locator("#visit-households li");
        (await households.CountAsync()).Should().BeGreaterThan(0);
        var householdId = await households.First.GetAttributeAsync("data-id");
        // Wait for the household's own heading (not the load event of the whole page): the form is what we need next.
        await households.First.Locator("a").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"household={householdId}", StringComparison.Ordinal),
            new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await page.Locator($"#visit-household[data-id='{householdId}']").WaitForAsync();
        var resident = page.Locator(".cg-visit-person").First;
        var residentId = await resident.GetAttributeAsync("data-person");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(360, "the visit form fits a phone");
        await PageProblems.ScreenshotAsync(page, "visit-form.png", fullPage: true);

        // Notes, a new phone for the first resident, and a person met for the first time.
        await page.FillAsync("#visit-notes", "入户走访：家中一切正常，更新了联系电话");
        await resident.Locator("input[type=tel]").FillAsync("13912345678");
        await page.ClickAsync("#visit-new summary");
        await page.FillAsync("#visit-new-name", "走访新增");
        await page.FillAsync("#visit-new-id", DemoPersons.IdCardNumber("150203", new DateOnly(1999, 9, 9), 7));
        await page.ClickAsync("#visit-submit");
        await page.WaitForURLAsync(url => url.Contains("done=true", StringComparison.Ordinal));
        (await page.Locator("#visit-done").CountAsync()).Should().Be(1);
        (await page.Locator(".cg-visit-person legend").AllInnerTextsAsync()).Should().Contain(t => t.Contains("走访新增", StringComparison.Ordinal))
            .And.Contain(t => t.Contains("139****5678", StringComparison.Ordinal));

        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var visits = await (await worker.GetPathAsync($"/api/v1/visits?within={grid}")).JsonAsync();
        visits.GetProperty("total").GetInt32().Should().Be(1);
        var visit = visits.GetProperty("items")[0];
        visit.GetProperty("notes").GetString().Should().Be("入户走访：家中一切正常，更新了联系电话");
        visit.GetProperty("visitedBy").GetString().Should().Be($"t-{Roles.GridWorker}-{grid}");
        visit.GetProperty("personsChanged").GetInt32().Should().Be(2);
        (await (await worker.GetPathAsync($"/api/v1/persons/{residentId}")).JsonAsync()).GetProperty("phone").GetString().Should().Be("139****5678");

        // The house page: the visit, the residents; the new person moves out through its form and stays among the past residents.
        var houseId = visit.GetProperty("houseId").GetString();
        await page.GotoAsync($"{origin}/registry/houses/{houseId}");
        (await page.Locator("#house-visits li").CountAsync()).Should().Be(1);
        var added = page.Locator("#house-current li", new PageLocatorOptions { HasText = "走访新增" });
        await added.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("done=moveout", StringComparison.Ordinal));
        (await page.Locator("#house-past").InnerTextAsync()).Should().Contain("走访新增");
        (await page.Locator("#house-current").InnerTextAsync()).Should().NotContain("走访新增");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(360, "the house page fits a phone");

        // The list of his houses, filtered by use.
        await page.GotoAsync($"{origin}/registry/houses");
        (await page.Locator("#houses-list li").CountAsync()).Should().BeGreaterThan(0);
        await page.SelectOptionAsync("#houses-use", "Vacant");
        await page.ClickAsync("#houses-search");
        await page.WaitForURLAsync(url => url.Contains("use=Vacant", StringComparison.Ordinal));
        (await page.Locator("#houses-list .badge").AllInnerTextsAsync()).Should().AllBe("空置");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(360, "the list fits a phone");
        problems.Should().BeEmpty();
    }
}
