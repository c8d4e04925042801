using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Tests.Identity;
using CivicGrid.Tests.Infrastructure;
using CivicGrid.Tests.Registry;
using Microsoft.Playwright;

namespace CivicGrid.Tests.Pages;

/// <summary>The 一表通 pages in a real headless Chromium: list, filled rows with the to-do per grid, the editor.</summary>
public sealed class TemplatePagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_township_clerk_opens_a_demo_template_sees_its_rows_and_to_do_and_defines_a_new_one()
    {
        await using var app = await CivicGridApp.StartOnSocketAsync(DatabaseProvider.Sqlite,
            new Dictionary<string, string?> { ["Security:KeyRingPath"] = PeopleData.NewKeyRingPath() });
        var origin = app.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        var admin = await app.AdminClientAsync("150203");
        var township = (await (await admin.GetPathAsync("/api/v1/divisions/150203/children")).JsonAsync()).EnumerateArray().First()
            .GetProperty("code").GetString()!;

        var community = (await (await admin.GetPathAsync($"/api/v1/divisions/{township}/children")).JsonAsync()).EnumerateArray().First()
            .GetProperty("code").GetString()!;
        var grids = (await (await admin.GetPathAsync($"/api/v1/divisions/{community}/children")).JsonAsync()).EnumerateArray()
            .Select(g => g.GetProperty("code").GetString()!).ToList();
        var clerk = await app.ClientAsAsync(Roles.Township, township, "t-township-api");
        for (var i = 0; i < 3; i++)
        {
            var created = await clerk.PostJsonAsync("/api/v1/persons",
                TemplateTests.Person($"老兵{i}", grids[i % grids.Count], new DateOnly(1960 + i, 8, 1), 90 + i, ["退役军人"]));
            created.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        var chromium = await browser.BrowserAsync();
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };
        await page.SignInAsync(app, Roles.Township, township);
        (await page.GotoAsync($"{origin}/registry/templates"))!.Status.Should().Be(200);
        (await page.Locator("#templates-list tbody tr").CountAsync()).Should().Be(3);

        await page.ClickAsync($"#templates-list a:text('{DemoTemplates.Veterans}')");
        await page.WaitForSelectorAsync("#template-rows");
        (await page.InnerTextAsync("#template-name")).Should().Be(DemoTemplates.Veterans);
        var headers = await page.Locator("#template-rows thead th").AllInnerTextsAsync();
        headers.Select(h => h.TrimEnd(' ', '*')).Should().Equal("姓名", "性别", "出生日期", "民族", "身份证号", "联系电话", "网格", "服役部队", "入伍年份", "退役年份");
        (await page.Locator("#template-rows tbody tr").CountAsync()).Should().BeGreaterThan(0, "the demo has veterans in the township");
        (await page.InnerTextAsync("#template-rows tbody")).Should().Contain("****", "numbers are masked");
        (await page.Locator("#template-todo tbody tr").CountAsync()).Should().BeGreaterThan(0, "nobody has filled 服役部队 yet");
        (await page.GetAttributeAsync("#template-export", "href")).Should().Contain("/export.xlsx?within=");

        // A grid of another township is no division of this clerk's.
        await page.FillAsync("#template-within", "150203999999999");
        await page.ClickAsync("#template-fill");
        await page.WaitForSelectorAsync("#template-within.is-invalid");
        (await page.InnerTextAsync("#template-message")).Should().Contain("150203999999999");

        // The editor: a bad key is marked on its row; fixed, the template is saved and shown.
        (await page.GotoAsync($"{origin}/registry/templates/edit"))!.Status.Should().Be(200);
        (await page.InputValueAsync("#t-owner")).Should().Be(township);
        await page.FillAsync("#t-name", "楼栋长联系表");
        await page.FillAsync("#t-age-min", "18");
        await page.FillAsync("input[name='Columns[0].Key']", "name");
        await page.FillAsync("input[name='Columns[1].Key']", "salary");
        await page.ClickAsync("#template-save");
        await page.WaitForSelectorAsync("#template-columns tr.table-danger");
        (await page.InnerTextAsync("#template-columns")).Should().Contain("没有字段 salary");

        await page.SelectOptionAsync("select[name='Columns[1].Kind']", "extra");
        await page.FillAsync("input[name='Columns[1].Key']", "building");
        await page.FillAsync("input[name='Columns[1].Header']", "所在楼栋");
        await page.SelectOptionAsync("select[name='Columns[1].Type']", "text");
        await page.CheckAsync("input[name='Columns[1].Required']");
        await page.ClickAsync("#template-save");
        await page.WaitForSelectorAsync("#template-name");
        (await page.InnerTextAsync("#template-name")).Should().Be("楼栋长联系表");
        (await page.Locator("#template-rows thead th").AllInnerTextsAsync()).Should().Equal("姓名", "所在楼栋 *");
        problems.Should().BeEmpty();

        await using var residentContext = await chromium.NewContextAsync();
        var resident = await residentContext.NewPageAsync();
        await resident.SignInAsync(app, Roles.Resident, township);
        (await resident.GotoAsync($"{origin}/registry/templates"))!.Status.Should().Be(403);
    }
}
