using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Tests.Cases;
using CivicGrid.Tests.Identity;
using CivicGrid.Tests.Infrastructure;

namespace CivicGrid.Tests.Registry;

/// <summary>Compounds, buildings, houses, households, residence links and visits through the API, on both databases.</summary>
public sealed class HousesApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Places_are_created_placed_by_point_or_grid_listed_and_scoped_so_another_grid_gets_404(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys());
        var (townshipA, townshipB) = await CaseApiTests.TownshipsAsync(app);
        var (gridA, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, townshipA);
        var (gridB, _, _) = await CaseApiTests.PointInAGridOfAsync(app, townshipB);
        var worker = await app.ClientAsAsync(Roles.GridWorker, gridA);

        // A compound placed by its point: the locator finds the grid.
        var compound = await CreatedAsync(worker, "/api/v1/compounds", new { name = "阳光小区", address = "钢铁大街 10 号", propertyCompany = "安居物业", lon, lat });
        compound.GetProperty("gridCode").GetString().Should().Be(gridA);
        var building = await CreatedAsync(worker, "/api/v1/buildings",
            new { compoundId = Id(compound), name = "3号楼", floors = 6, units = new[] { "1单元", "2单元" } });
        building.GetProperty("gridCode").GetString().Should().Be(gridA, "a building inherits its compound's grid");
        building.GetProperty("compoundName").GetString().Should().Be("阳光小区");
        var unit = building.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("name").GetString() == "2单元");
        var flat = await CreatedAsync(worker, "/api/v1/houses",
            new { buildingId = Id(building), unitId = unit.GetProperty("id").GetString(), floor = 3, room = "302", area = 89.5, use = "Rented" });
        flat.GetProperty("label").GetString().Should().Be("阳光小区 3号楼 2单元 302");
        flat.GetProperty("gridCode").GetString().Should().Be(gridA);
        flat.GetProperty("area").GetDecimal().Should().Be(89.5m);
        var bungalow = await CreatedAsync(worker, "/api/v1/houses", new { room = "12", address = "哈业胡同村三组", use = "SelfOccupied", gridCode = gridA });
        bungalow.GetProperty("label").GetString().Should().Be("哈业胡同村三组 12");

        // Lists: within, q, use; the compound counts what it holds.
        var listed = await (await worker.GetPathAsync($"/api/v1/houses?within={gridA}&q=%E9%98%B3%E5%85%89")).JsonAsync();
        listed.GetProperty("total").GetInt32().Should().Be(1);
        listed.GetProperty("items")[0].GetProperty("id").GetString().Should().Be(Id(flat));
        (await (await worker.GetPathAsync("/api/v1/houses?use=SelfOccupied")).JsonAsync()).GetProperty("total").GetInt32().Should().Be(1);
        var counted = await (await worker.GetPathAsync($"/api/v1/compounds/{Id(compound)}")).JsonAsync();
        (counted.GetProperty("buildings").GetInt32(), counted.GetProperty("houses").GetInt32()).Should().Be((1, 1));

        // Validation: a bungalow needs its address, a unit needs its building, a point outside every grid, a grid of another township.
        await ExpectFieldsAsync(worker, "/api/v1/houses", new { room = "1", use = "Vacant", gridCode = gridA }, "address");
        await ExpectFieldsAsync(worker, "/api/v1/houses", new { room = "1", unitId = Guid.NewGuid(), address = "x", gridCode = gridA }, "buildingId", "use");
        await ExpectFieldsAsync(worker, "/api/v1/compounds", new { name = "远方小区", lon = 10.0, lat = 10.0 }, "lon");
        await ExpectFieldsAsync(worker, "/api/v1/compounds", new { name = "", gridCode = gridB }, "name", "gridCode");

        // A house of grid B, registered by B's worker: A's worker does not find it anywhere.
        var workerB = await app.ClientAsAsync(Roles.GridWorker, gridB);
        var houseB = await CreatedAsync(workerB, "/api/v1/houses", new { room = "8", address = "乙村", use = "Vacant", gridCode = gridB });
        (await worker.GetPathAsync($"/api/v1/houses/{Id(houseB)}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await worker.PutAsJsonAsync(new Uri($"/api/v1/houses/{Id(houseB)}", UriKind.Relative),
            new { room = "9", address = "乙村", use = "Vacant" }, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await worker.DeleteAsync(new Uri($"/api/v1/houses/{Id(houseB)}", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await worker.GetPathAsync($"/api/v1/houses?within={gridB}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await worker.GetPathAsync("/api/v1/houses?pageSize=500")).JsonAsync()).GetProperty("items").EnumerateArray()
            .Should().AllSatisfy(h => h.GetProperty("gridCode").GetString().Should().Be(gridA));
        var admin = await app.AdminClientAsync("150203");
        (await admin.GetPathAsync($"/api/v1/houses/{Id(houseB)}")).StatusCode.Should().Be(HttpStatusCode.OK);

        // Update, then delete the bungalow nobody lived in; a leader (read only) may not write.
        var changed = await worker.PutAsJsonAsync(new Uri($"/api/v1/houses/{Id(bungalow)}", UriKind.Relative),
            new { room = "12", address = "哈业胡同村三组", use = "Vacant", area = 60 }, Ct);
        changed.StatusCode.Should().Be(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync(Ct));
        (await changed.JsonAsync()).GetProperty("use").GetString().Should().Be("Vacant");
        var leader = await app.ClientAsAsync(Roles.Leader, "150203");
        (await leader.PostJsonAsync("/api/v1/houses", new { room = "1", address = "x", use = "Vacant", gridCode = gridA })).StatusCode
            .Should().Be(HttpStatusCode.Forbidden);
        (await worker.DeleteAsync(new Uri($"/api/v1/houses/{Id(bungalow)}", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await worker.GetPathAsync($"/api/v1/houses/{Id(bungalow)}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Moving_in_and_out_keeps_the_history_of_the_house_and_of_the_person(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys());
        var (townshipA, _) = await CaseApiTests.TownshipsAsync(app);
        var (gridA, _, _) = await CaseApiTests.PointInAGridOfAsync(app, townshipA);
        var worker = await app.ClientAsAsync(Roles.GridWorker, gridA);
        var house = await CreatedAsync(worker, "/api/v1/houses", new { room = "5", address = "友谊大街 5 号平房", use = "Rented", gridCode = gridA });
        var owner = await PersonAsync(worker, gridA, "王房东", 1, "13804711111");
        var tenant = await PersonAsync(worker, gridA, "赵租客", 2, "13804712222");
        var household = await CreatedAsync(worker, "/api/v1/households", new { houseId = Id(house), kind = "Living", headPersonId = tenant });

        var ownerLink = await CreatedAsync(worker, $"/api/v1/houses/{Id(house)}/residents", new { personId = owner, relation = "Owner", movedInOn = "2015-03-01" });
        var tenantLink = await CreatedAsync(worker, $"/api/v1/houses/{Id(house)}/residents",
            new { personId = tenant, relation = "Tenant", movedInOn = "2024-05-01", householdId = Id(household) });
        tenantLink.GetProperty("person").GetProperty("phone").GetString().Should().Be("138****2222", "residents are shown masked");
        var again = await worker.PostJsonAsync($"/api/v1/houses/{Id(house)}/residents", new { personId = tenant, relation = "Tenant" });
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await again.JsonAsync()).GetProperty("code").GetString().Should().Be("registry.already_resident");
        await ExpectFieldsAsync(worker, $"/api/v1/houses/{Id(house)}/residents", new { personId = Guid.NewGuid(), movedInOn = "2999-01-01" },
            "personId", "relation", "movedInOn");

        // The tenant moves out: the link is closed, not deleted.
        await ExpectFieldsAsync(worker, $"/api/v1/residences/{Id(tenantLink)}/move-out", new { movedOutOn = "2024-04-30" }, "movedOutOn");
        var moved = await worker.PostJsonAsync($"/api/v1/residences/{Id(tenantLink)}/move-out", new { movedOutOn = "2025-06-30" });
        moved.StatusCode.Should().Be(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync(Ct));
        (await worker.PostJsonAsync($"/api/v1/residences/{Id(tenantLink)}/move-out", new { })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var newTenant = await CreatedAsync(worker, $"/api/v1/houses/{Id(house)}/residents", new { personId = tenant, relation = "Tenant", movedInOn = "2025-09-01" });

        var detail = await (await worker.GetPathAsync($"/api/v1/houses/{Id(house)}")).JsonAsync();
        detail.GetProperty("current").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Should().BeEquivalentTo([Id(ownerLink), Id(newTenant)]);
        var past = detail.GetProperty("past").EnumerateArray().Single();
        past.GetProperty("id").GetString().Should().Be(Id(tenantLink));
        past.GetProperty("movedOutOn").GetString().Should().Be("2025-06-30");
        past.GetProperty("person").GetProperty("name").GetString().Should().Be("赵租客");
        detail.GetProperty("house").GetProperty("residents").GetInt32().Should().Be(2);
        detail.GetProperty("households")[0].GetProperty("headName").GetString().Should().Be("赵租客");

        var history = await (await worker.GetPathAsync($"/api/v1/persons/{tenant}/residences")).JsonAsync();
        history.EnumerateArray().Select(r => (r.GetProperty("movedInOn").GetString(), r.GetProperty("movedOutOn").ValueKind == JsonValueKind.Null))
            .Should().Equal(("2025-09-01", true), ("2024-05-01", false));

        // A house with a history is not deleted; another township's staff sees none of it.
        (await worker.DeleteAsync(new Uri($"/api/v1/houses/{Id(house)}", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var (_, townshipB) = await CaseApiTests.TownshipsAsync(app);
        var staffB = await app.ClientAsAsync(Roles.Township, townshipB);
        (await staffB.GetPathAsync($"/api/v1/persons/{tenant}/residences")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staffB.PostJsonAsync($"/api/v1/residences/{Id(newTenant)}/move-out", new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staffB.GetPathAsync($"/api/v1/households/{Id(household)}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_visit_is_logged_once_per_idempotency_key_and_updates_and_adds_the_residents(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys());
        var (townshipA, townshipB) = await CaseApiTests.TownshipsAsync(app);
        var (gridA, _, _) = await CaseApiTests.PointInAGridOfAsync(app, townshipA);
        var worker = await app.ClientAsAsync(Roles.GridWorker, gridA);
        var house = await CreatedAsync(worker, "/api/v1/houses", new { room = "7", address = "青年路 7 号", use = "SelfOccupied", gridCode = gridA });
        var elder = await PersonAsync(worker, gridA, "刘奶奶", 3, "13804713333");
        await CreatedAsync(worker, $"/api/v1/houses/{Id(house)}/residents", new { personId = elder, relation = "LivesHere" });
        var household = await CreatedAsync(worker, "/api/v1/households", new { houseId = Id(house), kind = "Registered", number = "H0007", headPersonId = elder });

        var body = new
        {
            householdId = Id(household),
            notes = "老人独居，身体尚可，已留联系方式",
            persons = new[] { new { id = elder, phone = "13904714444", tags = new[] { "独居老人" } } },
            newPersons = new[]
            {
                new { name = "刘孙子", documentType = "IdCard", idNumber = DemoPersons.IdCardNumber("150203", new DateOnly(2001, 2, 3), 11),
                    householdType = "Floating", gridCode = gridA },
            },
        };
        var first = await VisitAsync(worker, body, "visit-key-1");
        first.StatusCode.Should().Be(HttpStatusCode.Created, await first.Content.ReadAsStringAsync(Ct));
        var visit = await first.JsonAsync();
        visit.GetProperty("visitedBy").GetString().Should().Be($"t-{Roles.GridWorker}-{gridA}");
        visit.GetProperty("personsChanged").GetInt32().Should().Be(2);

        // The retry (the phone lost the answer) returns the same visit and adds nobody twice.
        var retry = await VisitAsync(worker, body, "visit-key-1");
        retry.StatusCode.Should().Be(HttpStatusCode.OK, await retry.Content.ReadAsStringAsync(Ct));
        (await retry.JsonAsync()).GetProperty("id").GetString().Should().Be(Id(visit));
        var conflict = await VisitAsync(worker, body with { notes = "另一次" }, "visit-key-1");
        conflict.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await conflict.JsonAsync()).GetProperty("code").GetString().Should().Be("registry.idempotency_key_reused");

        var detail = await (await worker.GetPathAsync($"/api/v1/houses/{Id(house)}")).JsonAsync();
        var current = detail.GetProperty("current").EnumerateArray().ToList();
        current.Select(r => r.GetProperty("person").GetProperty("name").GetString()).Should().BeEquivalentTo(["刘奶奶", "刘孙子"]);
        current.Single(r => r.GetProperty("personId").GetString() == elder).GetProperty("person").GetProperty("phone").GetString().Should().Be("139****4444");
        detail.GetProperty("visits").GetArrayLength().Should().Be(1);

        var today = visit.GetProperty("visitedAt").GetDateTimeOffset();
        var log = await (await worker.GetPathAsync(
            $"/api/v1/visits?within={gridA}&from={Uri.EscapeDataString(today.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(today.AddHours(1).ToString("O"))}")).JsonAsync();
        log.GetProperty("total").GetInt32().Should().Be(1);
        log.GetProperty("items")[0].GetProperty("notes").GetString().Should().Be("老人独居，身体尚可，已留联系方式");
        (await (await worker.GetPathAsync($"/api/v1/visits?from={Uri.EscapeDataString(today.AddHours(1).ToString("O"))}")).JsonAsync())
            .GetProperty("total").GetInt32().Should().Be(0);

        // Without a key every visit is its own; a person who does not live there cannot be edited; B cannot visit A's household.
        (await VisitAsync(worker, new { houseId = Id(house), notes = "回访" }, null)).StatusCode.Should().Be(HttpStatusCode.Created);
        var stranger = await PersonAsync(worker, gridA, "陌生人", 4, null);
        var refused = await VisitAsync(worker, new { houseId = Id(house), persons = new[] { new { id = stranger, phone = "13900000000" } } }, null);
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        await ExpectFieldsAsync(worker, "/api/v1/visits", new { notes = "没有地方" }, "householdId");
        var (gridB, _, _) = await CaseApiTests.PointInAGridOfAsync(app, townshipB);
        var workerB = await app.ClientAsAsync(Roles.GridWorker, gridB);
        (await VisitAsync(workerB, new { householdId = Id(household), notes = "越界" }, "b-1")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await workerB.GetPathAsync("/api/v1/visits")).JsonAsync()).GetProperty("total").GetInt32().Should().Be(0);
    }

    internal static Dictionary<string, string?> Keys() => new() { ["Security:KeyRingPath"] = PeopleData.NewKeyRingPath() };

    private static string Id(JsonElement element) => element.GetProperty("id").GetString()!;

    internal static async Task<JsonElement> CreatedAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostJsonAsync(url, body);
        response.StatusCode.Should().Be(HttpStatusCode.Created, $"POST {url}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.JsonAsync();
    }

    /// <summary>Registers a person (ID number from <paramref name="sequence"/>) and returns his id.</summary>
    internal static async Task<string> PersonAsync(HttpClient client, string grid, string name, int sequence, string? phone)
    {
        var person = await CreatedAsync(client, "/api/v1/persons", new
        {
            name,
            documentType = "IdCard",
            idNumber = DemoPersons.IdCardNumber("150203", new DateOnly(1950 + sequence, 1, 1), 100 + sequence),
            householdType = "Registered",
            phone,
            gridCode = grid,
        });
        return Id(person);
    }

    private static async Task<HttpResponseMessage> VisitAsync<T>(HttpClient client, T body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/visits", UriKind.Relative)) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return await client.SendAsync(request, Ct);
    }

    private static async Task ExpectFieldsAsync(HttpClient client, string url, object body, params string[] fields)
    {
        var response = await client.PostJsonAsync(url, body);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(Ct));
        (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Contain(fields);
    }
}
