using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Tests.Identity;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CivicGrid.Tests.Pages;

/// <summary>The ledger import page in a real headless Chromium: preview with a problem marked, import, rejects link.</summary>
public sealed class LedgerImportPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_township_clerk_previews_a_ledger_sees_the_bad_row_marked_and_imports_it()
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
        using var csv = new MemoryStream();
        DemoLedger.WriteCsv(csv, DemoLedger.Rows(30, grids, brokenShare: 0.05, offset: 7000).Select(r => r.Cells), Encoding.UTF8);

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
        (await page.GotoAsync($"{origin}/registry/import"))!.Status.Should().Be(200);
        await page.SetInputFilesAsync("#ledger-file", new FilePayload { Name = "台账.csv", MimeType = "text/csv", Buffer = csv.ToArray() });

        await page.ClickAsync("#ledger-preview");
        await page.WaitForSelectorAsync("#ledger-preview-table tbody tr");
        (await page.Locator("#ledger-preview-table tbody tr").CountAsync()).Should().Be(20);
        (await page.Locator("#ledger-preview-table tbody td.table-danger").CountAsync()).Should().BeGreaterThan(0, "row 11's ID number is marked");
        (await page.Locator("#ledger-errors li").First.InnerTextAsync()).Should().Contain("第 11 行");

        await page.ClickAsync("#ledger-commit");
        await page.WaitForSelectorAsync("#ledger-result:not(.d-none)");
        (await page.InnerTextAsync("#ledger-counts")).Should().Contain("新增 28").And.Contain("拒绝 2");
        (await page.GetAttributeAsync("#ledger-rejects", "href")).Should().StartWith("/api/v1/imports/").And.EndWith("/rejects.xlsx");
        problems.Should().BeEmpty();

        await using var residentContext = await chromium.NewContextAsync();
        var resident = await residentContext.NewPageAsync();
        await resident.SignInAsync(app, Roles.Resident, grids[0]);
        (await resident.GotoAsync($"{origin}/registry/import"))!.Status.Should().Be(403);
    }
}
