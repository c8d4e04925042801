using System.Net;
using System.Security.Claims;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Identity.Auth;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Users;
using CivicGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Cases;

/// <summary>The inbox of the case pages: what "my cases" holds for each role, and the filters.</summary>
public sealed class CaseInboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task My_cases_are_what_waits_for_each_role_and_the_filters_narrow_any_list(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (township, _) = await CaseApiTests.TownshipsAsync(app);
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, township);
        var workerName = $"t-{Roles.GridWorker}-{grid}";

        async Task<string> ReportAsync(HttpClient client, string category, string text)
        {
            var created = await client.PostJsonAsync("/api/v1/cases", new { categoryCode = category, lon, lat, description = text });
            created.StatusCode.Should().Be(HttpStatusCode.Created);
            return (await created.JsonAsync()).GetProperty("number").GetString()!;
        }
        async Task MoveAsync(HttpClient client, string number, string action, object body)
        {
            var id = await IdOfAsync(app, number);
            (await client.PostJsonAsync($"/api/v1/cases/{id}/{action}", body)).StatusCode.Should().Be(HttpStatusCode.OK, action);
        }

        var toAccept = await ReportAsync(worker, "0301", "垃圾堆放");
        var toWorker = await ReportAsync(worker, "0401", "占道经营");
        await MoveAsync(staff, toWorker, "accept", new { });
        await MoveAsync(staff, toWorker, "dispatch", new { assignee = workerName });
        var toDepartment = await ReportAsync(staff, "0302", "污水外溢");
        await MoveAsync(staff, toDepartment, "accept", new { });
        await MoveAsync(staff, toDepartment, "dispatch", new { assignee = "water" });
        var toVerify = await ReportAsync(worker, "0303", "噪声扰民");
        await MoveAsync(staff, toVerify, "accept", new { });
        await MoveAsync(staff, toVerify, "dispatch", new { assignee = workerName });
        await MoveAsync(worker, toVerify, "report", new { note = "已劝导" });

        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var workerId = await services.GetRequiredService<CivicGridDbContext>().Set<User>().Where(u => u.UserName == workerName)
            .Select(u => u.Id).SingleAsync(Ct);

        var asTownship = Inbox(services, $"t-{Roles.Township}-{township}", Guid.NewGuid(), new RoleGrant(Roles.Township, township));
        (await NumbersAsync(asTownship, new CaseFilter())).Should().BeEquivalentTo([toAccept], "the township accepts, dispatches and closes");
        var asWorker = Inbox(services, workerName, workerId, new RoleGrant(Roles.GridWorker, grid));
        (await NumbersAsync(asWorker, new CaseFilter())).Should().BeEquivalentTo([toAccept, toWorker, toVerify],
            "his own open reports, what is dispatched to him, and what waits to be verified");
        var asDepartment = Inbox(services, "water.officer", Guid.NewGuid(), new RoleGrant(Roles.Department, township, "water"));
        (await NumbersAsync(asDepartment, new CaseFilter())).Should().BeEquivalentTo([toDepartment], "what is dispatched to the department");
        var elsewhere = Inbox(services, "other.township", Guid.NewGuid(), new RoleGrant(Roles.Township, "150203999"));
        // (Which cases a caller sees at all is the jurisdiction filter's, tested with the API; here the scope is the system's.)
        (await NumbersAsync(elsewhere, new CaseFilter())).Should().BeEmpty("a to-do is within the grant's own area");

        (await NumbersAsync(asWorker, new CaseFilter(CaseQueues.All))).Should().HaveCount(4);
        (await NumbersAsync(asWorker, new CaseFilter(CaseQueues.All, State: "dispatched"))).Should().BeEquivalentTo([toWorker, toDepartment]);
        (await NumbersAsync(asWorker, new CaseFilter(CaseQueues.All, Category: "03"))).Should().BeEquivalentTo([toAccept, toDepartment, toVerify],
            "a 大类 takes in its 小类");
        (await NumbersAsync(asWorker, new CaseFilter(CaseQueues.All, Text: "占道"))).Should().BeEquivalentTo([toWorker]);
        (await NumbersAsync(asWorker, new CaseFilter(CaseQueues.All, Text: toVerify[^5..]))).Should().BeEquivalentTo([toVerify]);
        (await NumbersAsync(asWorker, new CaseFilter(CaseQueues.All, Within: grid))).Should().HaveCount(4);
        (await NumbersAsync(asWorker, new CaseFilter(CaseQueues.All, Light: "green"))).Should().HaveCount(4, "every stage has just started");
        (await NumbersAsync(asWorker, new CaseFilter(CaseQueues.All, Light: "red"))).Should().BeEmpty();
        (await NumbersAsync(asWorker, new CaseFilter(CaseQueues.Overdue))).Should().BeEmpty();

        var page = await asWorker.ListAsync(new CaseFilter(CaseQueues.All, PageSize: 3, Page: 2), Ct);
        page.Value.Total.Should().Be(4);
        page.Value.Items.Should().ContainSingle().Which.Case.Light.Should().Be("green");
        var points = await asWorker.PointsAsync(new CaseFilter(CaseQueues.All), Ct);
        points.Value.Should().HaveCount(4).And.AllSatisfy(p => (p.Lon, p.Lat).Should().Be((lon, lat)));

        var invalid = await asWorker.ListAsync(new CaseFilter("someone-elses", Light: "blue", Within: "x"), Ct);
        invalid.Error!.Fields!.Keys.Should().BeEquivalentTo(["queue", "light", "within"]);
    }

    private static async Task<string> IdOfAsync(CivicGridApp app, string number)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return (await db.Set<CivicGrid.Modules.Cases.Domain.Case>().Where(c => c.Number == number).Select(c => c.Id).SingleAsync(Ct)).ToString();
    }

    // The inbox as a signed-in user with these grants sees it (the request's caller, without a request).
    private static CaseInbox Inbox(IServiceProvider services, string name, Guid id, params RoleGrant[] grants)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(ClaimTypes.NameIdentifier, id.ToString()) };
        claims.AddRange(grants.Select(g => new Claim(RoleGrant.ClaimType, g.ToClaimValue())));
        var http = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity(claims, "test")) };
        var caller = new Caller(new HttpContextAccessor { HttpContext = http });
        return new CaseInbox(services.GetRequiredService<CivicGridDbContext>(), caller, services.GetRequiredService<TimeProvider>());
    }

    private static async Task<List<string>> NumbersAsync(CaseInbox inbox, CaseFilter filter)
    {
        var result = await inbox.ListAsync(filter, Ct);
        result.IsSuccess.Should().BeTrue(result.Error?.Message);
        return [.. result.Value.Items.Select(r => r.Case.Number)];
    }
}
