using System.Net;
using System.Net.Http.Json;
using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Tests.Identity;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Registry;

/// <summary>The special-population registers and the tag catalog, on both databases.</summary>
public sealed class SpecialRegisterTests
{
    private const string Notes = "曾因盗窃服刑三年，每月走访一次";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Registers_are_404_without_the_capability_reads_are_audited_scoped_and_notes_are_encrypted(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: PersonsApiTests.Keys());
        var places = await PersonsApiTests.PlacesAsync(app);
        var township = await app.ClientAsAsync(Roles.Township, places.TownshipA, "special.township");
        var personId = await PersonAsync(township, places.GridA, "赵六", DemoPersons.IdCardNumber("150203", new DateOnly(1980, 3, 3), 77));

        var created = await township.PostJsonAsync("/api/v1/special-registers", new
        {
            personId,
            kind = "ReleasedPrisoner",
            startDate = "2025-01-15",
            riskLevel = "Medium",
            responsiblePerson = "网格员小李",
            notes = Notes,
        });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var id = (await created.JsonAsync()).GetProperty("id").GetString()!;
        (await township.PostJsonAsync("/api/v1/special-registers", new { personId, kind = "ReleasedPrisoner", startDate = "2025-02-01", riskLevel = "Low" }))
            .StatusCode.Should().Be(HttpStatusCode.Conflict, "the person is on that register already");
        var invalid = await township.PostJsonAsync("/api/v1/special-registers", new { personId, kind = "Nope", riskLevel = "Low" });
        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // Township A: the list, the detail with the notes, the person's entries; each read audited.
        var list = await (await township.GetPathAsync("/api/v1/special-registers?kind=ReleasedPrisoner")).JsonAsync();
        list.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()).Should().Equal(id);
        list.GetRawText().Should().NotContain(Notes, "lists never carry the notes");
        var detail = await (await township.GetPathAsync($"/api/v1/special-registers/{id}")).JsonAsync();
        detail.GetProperty("notes").GetString().Should().Be(Notes);
        detail.GetProperty("personName").GetString().Should().Be("赵六");
        (await (await township.GetPathAsync($"/api/v1/persons/{personId}/special-registers")).JsonAsync()).GetProperty("total").GetInt32()
            .Should().Be(1);
        var updated = await township.PutAsJsonAsync(new Uri($"/api/v1/special-registers/{id}", UriKind.Relative), new
        {
            personId,
            kind = "ReleasedPrisoner",
            startDate = "2025-01-15",
            riskLevel = "High",
            responsiblePerson = "网格员小李",
            notes = Notes,
        }, Ct);
        updated.StatusCode.Should().Be(HttpStatusCode.OK, await updated.Content.ReadAsStringAsync(Ct));
        var page = await township.GetAsync(new Uri("/registry/special", UriKind.Relative), Ct);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync(Ct)).Should().Contain("赵六").And.Contain("刑满释放人员");

        var audit = await AuditAsync(app);
        audit.Should().Contain($"special.township registry.special_listed special-registers");
        audit.Should().Contain($"special.township registry.special_read special-register:{id}");
        audit.Should().Contain($"special.township registry.special_listed person:{personId}");
        audit.Should().Contain($"special.township registry.special_updated special-register:{id}");
        audit.Count(a => a.StartsWith("special.township registry.special_listed special-registers", StringComparison.Ordinal))
            .Should().Be(2, "the API list and the page are two reads");

        // Without registry.special: 404 everywhere, even where the person himself is visible.
        var without = new[]
        {
            await app.ClientAsAsync(Roles.GridWorker, places.GridA),
            await app.ClientAsAsync(Roles.Leader, places.TownshipA),
            await app.ClientAsAsync(Roles.Admin, "150203"),
        };
        foreach (var client in without)
        {
            (await client.GetPathAsync($"/api/v1/persons/{personId}")).StatusCode.Should().Be(HttpStatusCode.OK, "the person is theirs to see");
            (await client.GetPathAsync("/api/v1/special-registers")).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await client.GetPathAsync($"/api/v1/special-registers/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await client.GetPathAsync($"/api/v1/persons/{personId}/special-registers")).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await client.PostJsonAsync("/api/v1/special-registers", new { personId, kind = "DrugUser", startDate = "2025-01-01", riskLevel = "Low" }))
                .StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await client.PutAsJsonAsync(new Uri($"/api/v1/special-registers/{id}", UriKind.Relative),
                new { personId, kind = "DrugUser", startDate = "2025-01-01", riskLevel = "Low" }, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await client.GetAsync(new Uri("/registry/special", UriKind.Relative), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
            // A person's normal view and history never reveal the entry.
            var person = await (await client.GetPathAsync($"/api/v1/persons/{personId}")).Content.ReadAsStringAsync(Ct);
            person.Should().NotContain("ReleasedPrisoner").And.NotContain(Notes).And.NotContain(id);
            var history = await (await client.GetPathAsync($"/api/v1/registry/history?recordId={id}")).JsonAsync();
            history.GetProperty("total").GetInt32().Should().Be(0);
        }
        (await app.CreateClient().GetPathAsync("/api/v1/special-registers")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // Township B holds the capability, not over A: A's entry does not exist for it, and B's own lists are empty.
        var townshipB = await app.ClientAsAsync(Roles.Township, places.TownshipB);
        (await townshipB.GetPathAsync($"/api/v1/special-registers/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await townshipB.GetPathAsync($"/api/v1/persons/{personId}/special-registers")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await townshipB.GetPathAsync("/api/v1/special-registers")).JsonAsync()).GetProperty("total").GetInt32().Should().Be(0);
        (await townshipB.PostJsonAsync("/api/v1/special-registers", new { personId, kind = "DrugUser", startDate = "2025-01-01", riskLevel = "Low" }))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest, "A's person is no person of B's");

        // At rest: the raw column is ciphertext, and the notes are nowhere in the database in clear.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var raw = await db.Database.SqlQueryRaw<byte[]>("SELECT \"NotesCipher\" AS \"Value\" FROM registry_special_entries").ToListAsync(Ct);
            raw.Should().ContainSingle().Which.Should().NotBeNull();
            PhoneAtRestTests.Contains(raw[0], Encoding.UTF8.GetBytes("盗窃")).Should().BeFalse();
        }
        var haystack = provider == DatabaseProvider.Sqlite ? await PhoneAtRestTests.SqliteBytesAsync(app) : await PhoneAtRestTests.PostgresRowsAsync(app);
        PhoneAtRestTests.Contains(haystack, Encoding.UTF8.GetBytes("网格员小李")).Should().BeTrue("the scan must see the clear columns");
        PhoneAtRestTests.Contains(haystack, Encoding.UTF8.GetBytes("盗窃")).Should().BeFalse("the notes are kept only encrypted");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Person_tags_come_from_the_catalog_which_the_catalog_holders_edit(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: PersonsApiTests.Keys());
        var places = await PersonsApiTests.PlacesAsync(app);
        var township = await app.ClientAsAsync(Roles.Township, places.TownshipA);

        var tags = await (await township.GetPathAsync("/api/v1/registry/tags")).JsonAsync();
        var byName = tags.EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("group").GetString());
        byName.Should().Contain("资源型", "居民类型").And.Contain("独居老人", "关爱对象").And.Contain("低保", "社会救助");

        var idNumber = DemoPersons.IdCardNumber("150203", new DateOnly(1950, 5, 5), 12);
        var unknown = await township.PostJsonAsync("/api/v1/persons", Person(places.GridA, idNumber, "高龄老人"));
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.JsonAsync()).GetProperty("errors").GetProperty("tags")[0].GetString().Should().Contain("高龄老人");

        // Only the catalog's holders add a tag; then it is accepted, and once retired refused again.
        (await township.PostJsonAsync("/api/v1/registry/tags", new { name = "高龄老人", group = "关爱对象" })).StatusCode
            .Should().Be(HttpStatusCode.Forbidden);
        var admin = await app.AdminClientAsync("150203");
        (await admin.PostJsonAsync("/api/v1/registry/tags", new { name = "高龄老人" })).StatusCode.Should().Be(HttpStatusCode.BadRequest,
            "a new tag needs a group");
        (await admin.PostJsonAsync("/api/v1/registry/tags", new { name = "高龄老人", group = "关爱对象" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await township.PostJsonAsync("/api/v1/persons", Person(places.GridA, idNumber, "高龄老人"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await admin.PostJsonAsync("/api/v1/registry/tags", new { name = "高龄老人", active = false })).StatusCode.Should().Be(HttpStatusCode.OK);
        var retired = DemoPersons.IdCardNumber("150203", new DateOnly(1951, 5, 5), 13);
        (await township.PostJsonAsync("/api/v1/persons", Person(places.GridA, retired, "高龄老人"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // The import refuses an unknown tag on its row.
        var ledger = $"姓名,公民身份号码,网格编码,标签\n孙七,{retired},{places.GridA},独居老人、不存在的标签\n";
        var report = await (await LedgerImportTests.UploadAsync(township, Encoding.UTF8.GetBytes(ledger), "tags.csv")).JsonAsync();
        report.GetProperty("rejected").GetInt32().Should().Be(1);
        report.GetProperty("errors")[0].GetProperty("reason").GetString().Should().Contain("不存在的标签");
    }

    private static object Person(string grid, string idNumber, string tag) => new
    {
        name = "钱八",
        documentType = "IdCard",
        idNumber,
        householdType = "Registered",
        gridCode = grid,
        tags = new[] { tag },
    };

    private static async Task<string> PersonAsync(HttpClient client, string grid, string name, string idNumber)
    {
        var created = await client.PostJsonAsync("/api/v1/persons", new
        {
            name,
            documentType = "IdCard",
            idNumber,
            householdType = "Registered",
            gridCode = grid,
            tags = new[] { "独居老人" },
        });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        return (await created.JsonAsync()).GetProperty("id").GetString()!;
    }

    private static async Task<List<string>> AuditAsync(CivicGridApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await db.Database.SqlQueryRaw<string>(
            "SELECT \"Actor\" || ' ' || \"Action\" || ' ' || \"Target\" AS \"Value\" FROM audit_records WHERE \"Action\" LIKE 'registry.special%' ORDER BY \"Sequence\"")
            .ToListAsync(Ct);
    }
}
