using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Notifications.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CivicGrid.Tests.Pages;

/// <summary>The inbox page and the layout's badge in a real headless Chromium.</summary>
public sealed class NotificationsPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_worker_sees_the_unread_badge_opens_his_inbox_follows_the_case_link_and_marks_all_read()
    {
        await using var app = await CivicGridApp.StartOnSocketAsync(DatabaseProvider.Sqlite,
            new Dictionary<string, string?> { ["Demo:SeedOnStart"] = "false" });
        var origin = app.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
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
        await page.SignInAsync(app, Roles.GridWorker, "150203003001001");
        (await page.Locator("#notifications-unread").CountAsync()).Should().Be(0, "nothing yet");

        var caseId = Guid.NewGuid();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var told = await scope.ServiceProvider.GetRequiredService<INotifier>().NotifyUsersAsync(["t-grid-worker-150203003001001"],
                new Notice("case_dispatched", "新派遣事件 SJ-20261123-00001", "小区门口垃圾堆放", $"/cases/{caseId}", $"case:{caseId}:3"),
                TestContext.Current.CancellationToken);
            told.Should().Be(1);
        }

        await page.ReloadAsync();
        (await page.InnerTextAsync("#notifications-unread")).Should().Be("1");
        await page.ClickAsync("#nav-notifications");
        await page.WaitForURLAsync($"{origin}/notifications");
        var item = page.Locator("#notifications li[data-kind='case_dispatched']");
        (await item.InnerTextAsync()).Should().Contain("新派遣事件 SJ-20261123-00001").And.Contain("小区门口垃圾堆放");
        (await item.Locator("a").GetAttributeAsync("href")).Should().Be($"/cases/{caseId}");

        await page.ClickAsync("#notifications-read-all");
        await page.WaitForURLAsync($"{origin}/notifications");
        (await page.Locator("#notifications-unread").CountAsync()).Should().Be(0);
        (await page.Locator("#notifications li .badge").CountAsync()).Should().Be(0, "nothing is unread any more");
        problems.Should().BeEmpty();
    }
}
