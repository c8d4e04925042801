using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Tests.Infrastructure;

namespace CivicGrid.Tests.Registry;

/// <summary>The field-level history of registry records (<c>/api/v1/registry/history</c>) on both databases.</summary>
public sealed class RegistryHistoryTests
{
    private static readonly string IdNumberOfWang = DemoPersons.IdCardNumber("150203", new DateOnly(1975, 6, 1), 321);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Every_update_is_a_change_set_with_old_and_new_values_and_protected_fields_keep_no_value(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: PersonsApiTests.Keys());
        var places = await PersonsApiTests.PlacesAsync(app);
        var township = await app.ClientAsAsync(Roles.Township, places.TownshipA, "history.township");

        var created = await township.PostJsonAsync("/api/v1/persons", Wang(places.GridA, "钢铁大街 1 号", "13804710001"));
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var id = (await created.JsonAsync()).GetProperty("id").GetString()!;

        (await township.PutAsJsonAsync(new Uri($"/api/v1/persons/{id}", UriKind.Relative), Wang(places.GridA, "钢铁大街 2 号", "13804710001"), Ct))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await township.PutAsJsonAsync(new Uri($"/api/v1/persons/{id}", UriKind.Relative), Wang(places.GridA, "钢铁大街 2 号", "13904710002"), Ct))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        var history = await (await township.GetPathAsync($"/api/v1/registry/history?recordId={id}")).JsonAsync();
        var rows = history.GetProperty("items").EnumerateArray().ToList();
        var updates = rows.Where(r => r.GetProperty("operation").GetString() == "updated")
            .GroupBy(r => r.GetProperty("changeSetId").GetString()).ToList();
        updates.Should().HaveCount(2, "two PUTs that changed something are two change sets");
        // Newest first: the phone, then the address.
        var phone = updates[0].Single();
        phone.GetProperty("field").GetString().Should().Be("phone");
        phone.GetProperty("protected").GetBoolean().Should().BeTrue();
        phone.GetProperty("oldValue").ValueKind.Should().Be(JsonValueKind.Null);
        phone.GetProperty("newValue").ValueKind.Should().Be(JsonValueKind.Null);
        var address = updates[1].Single();
        address.GetProperty("field").GetString().Should().Be("address");
        address.GetProperty("oldValue").GetString().Should().Be("钢铁大街 1 号");
        address.GetProperty("newValue").GetString().Should().Be("钢铁大街 2 号");
        address.GetProperty("changedBy").GetString().Should().Be("history.township");
        address.GetProperty("entityType").GetString().Should().Be("person");
        // The creation is one change set too, with the values given (the numbers only as "changed").
        var creation = rows.Where(r => r.GetProperty("operation").GetString() == "created").ToList();
        creation.Select(r => r.GetProperty("field").GetString()).Should().Contain(["name", "document", "phone", "gridCode", "tags"]);
        creation.Single(r => r.GetProperty("field").GetString() == "name").GetProperty("newValue").GetString().Should().Be("王五");
        var raw = history.GetRawText();
        raw.Should().NotContain("13804710001").And.NotContain("13904710002").And.NotContain(IdNumberOfWang);

        // The page lists the same changes.
        var page = await township.GetAsync(new Uri($"/registry/history/{id}", UriKind.Relative), Ct);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync(Ct)).Should().Contain("钢铁大街 2 号").And.Contain("history.township");

        // Another grid's worker and another township see none of it.
        var otherWorker = await app.ClientAsAsync(Roles.GridWorker, places.OtherGridA);
        (await (await otherWorker.GetPathAsync($"/api/v1/registry/history?recordId={id}")).JsonAsync()).GetProperty("total").GetInt32()
            .Should().Be(0);
        var townshipB = await app.ClientAsAsync(Roles.Township, places.TownshipB);
        (await (await townshipB.GetPathAsync($"/api/v1/registry/history?recordId={id}")).JsonAsync()).GetProperty("total").GetInt32()
            .Should().Be(0);
        (await townshipB.GetPathAsync($"/api/v1/registry/history?within={places.GridA}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await app.ClientAsAsync(Roles.GridWorker, places.GridA)).GetPathAsync($"/api/v1/registry/history?recordId={id}"))
            .StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task An_import_that_updates_a_person_records_its_field_changes(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: PersonsApiTests.Keys());
        var places = await PersonsApiTests.PlacesAsync(app);
        var township = await app.ClientAsAsync(Roles.Township, places.TownshipA, "history.importer");
        var created = await township.PostJsonAsync("/api/v1/persons", Wang(places.GridA, "钢铁大街 1 号", "13804710001"));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = (await created.JsonAsync()).GetProperty("id").GetString()!;

        var ledger = $"姓名,公民身份号码,网格编码,现住址,手机号码\n王五,{IdNumberOfWang},{places.OtherGridA},阿尔丁大街 9 号,13904719999\n";
        var imported = await LedgerImportTests.UploadAsync(township, Encoding.UTF8.GetBytes(ledger), "history.csv");
        imported.StatusCode.Should().Be(HttpStatusCode.OK, await imported.Content.ReadAsStringAsync(Ct));
        (await imported.JsonAsync()).GetProperty("updated").GetInt32().Should().Be(1);

        var rows = (await (await township.GetPathAsync($"/api/v1/registry/history?recordId={id}")).JsonAsync())
            .GetProperty("items").EnumerateArray().Where(r => r.GetProperty("operation").GetString() == "updated").ToList();
        rows.Select(r => r.GetProperty("changeSetId").GetString()).Distinct().Should().ContainSingle();
        rows.Should().AllSatisfy(r => r.GetProperty("changedBy").GetString().Should().Be("history.importer"));
        var byField = rows.ToDictionary(r => r.GetProperty("field").GetString()!);
        byField.Keys.Should().BeEquivalentTo(["address", "gridCode", "phone"]);
        byField["address"].GetProperty("oldValue").GetString().Should().Be("钢铁大街 1 号");
        byField["address"].GetProperty("newValue").GetString().Should().Be("阿尔丁大街 9 号");
        byField["gridCode"].GetProperty("newValue").GetString().Should().Be(places.OtherGridA);
        byField["phone"].GetProperty("protected").GetBoolean().Should().BeTrue();
        byField["phone"].GetProperty("newValue").ValueKind.Should().Be(JsonValueKind.Null);
    }

    private static object Wang(string grid, string address, string phone) => new
    {
        name = "王五",
        documentType = "IdCard",
        idNumber = IdNumberOfWang,
        householdType = "Registered",
        phone,
        address,
        gridCode = grid,
        tags = new[] { "独居老人" },
    };
}
