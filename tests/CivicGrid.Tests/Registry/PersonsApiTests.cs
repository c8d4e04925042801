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

/// <summary><c>/api/v1/persons</c> on both databases: masked, scoped, audited, validated; numbers encrypted at rest.</summary>
public sealed class PersonsApiTests
{
    private const string Kundulun = "150203";
    private const string Phone = "13804719999";

    private static readonly string IdNumberOfZhang = DemoPersons.IdCardNumber("150203", new DateOnly(1990, 1, 1), 123);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal sealed record Places(string TownshipA, string GridA, string OtherGridA, string TownshipB, string GridB);

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_person_is_created_read_masked_found_unmasked_with_an_audit_record_and_validated(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys());
        var places = await PlacesAsync(app);
        var township = await app.ClientAsAsync(Roles.Township, places.TownshipA);

        var created = await township.PostJsonAsync("/api/v1/persons", Zhang(places.GridA));
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var person = await created.JsonAsync();
        var id = person.GetProperty("id").GetString()!;
        person.GetProperty("idNumber").GetString().Should().Be(Masking.IdNumber(IdNumberOfZhang)).And.StartWith("1502****");
        person.GetProperty("phone").GetString().Should().Be("138****9999");
        person.GetProperty("sex").GetString().Should().Be("Male");
        person.GetProperty("ethnicityName").GetString().Should().Be("蒙古族");
        person.TryGetProperty("birthDate", out _).Should().BeFalse("the birth date and the masked number's ends would give the number away");
        person.GetProperty("age").GetInt32().Should().BeInRange(35, 37);

        var read = await (await township.GetPathAsync($"/api/v1/persons/{id}")).Content.ReadAsStringAsync(Ct);
        read.Should().Contain("1502**********").And.NotContain(IdNumberOfZhang).And.NotContain(Phone);

        foreach (var query in new[] { "q=zs", "q=%E5%BC%A0", $"idNumber={IdNumberOfZhang.ToLowerInvariant()}", $"last4={IdNumberOfZhang[^4..]}",
                     "last4=9999", "tag=%E7%8B%AC%E5%B1%85%E8%80%81%E4%BA%BA", $"within={places.GridA}" })
        {
            var found = await (await township.GetPathAsync($"/api/v1/persons?{query}")).JsonAsync();
            found.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()).Should().Contain(id, query);
        }
        (await (await township.GetPathAsync("/api/v1/persons?q=ls")).JsonAsync()).GetProperty("total").GetInt32().Should().Be(0);

        // Unmask: clear once, not cached, audited with the masked value only.
        var unmask = await township.PostJsonAsync($"/api/v1/persons/{id}/unmask", new { field = "idNumber", reason = "入户核实身份 13800001111" });
        unmask.StatusCode.Should().Be(HttpStatusCode.OK, await unmask.Content.ReadAsStringAsync(Ct));
        unmask.Headers.CacheControl!.NoStore.Should().BeTrue();
        (await unmask.JsonAsync()).GetProperty("value").GetString().Should().Be(IdNumberOfZhang);
        (await (await township.PostJsonAsync($"/api/v1/persons/{id}/unmask", new { field = "phone", reason = "联系本人" })).JsonAsync())
            .GetProperty("value").GetString().Should().Be(Phone);
        (await township.PostJsonAsync($"/api/v1/persons/{id}/unmask", new { field = "idNumber", reason = "" })).StatusCode
            .Should().Be(HttpStatusCode.BadRequest);
        var worker = await app.ClientAsAsync(Roles.GridWorker, places.GridA);
        (await worker.PostJsonAsync($"/api/v1/persons/{id}/unmask", new { field = "idNumber", reason = "想看看号码" })).StatusCode
            .Should().Be(HttpStatusCode.Forbidden, "a grid worker holds no registry.unmask");

        // Validation: check digit, birth date, sex, a grid of another township, missing fields.
        var badCheck = IdNumberOfZhang[..17] + (IdNumberOfZhang[17] == '0' ? '1' : '0');
        await ExpectFieldsAsync(township, Zhang(places.GridA, idNumber: badCheck), "idNumber");
        await ExpectFieldsAsync(township, Zhang(places.GridA, birthDate: "1990-01-02", sex: "Female"), "birthDate", "sex");
        await ExpectFieldsAsync(township, Zhang(places.GridB, idNumber: DemoPersons.IdCardNumber("150203", new DateOnly(1991, 1, 1), 1)), "gridCode");
        await ExpectFieldsAsync(township, new { name = "", documentType = "IdCard" }, "name", "idNumber", "householdType", "gridCode");

        // One person per ID number, whoever registered him.
        var duplicate = await township.PostJsonAsync("/api/v1/persons", Zhang(places.OtherGridA, name: "张三丰"));
        duplicate.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await duplicate.JsonAsync()).GetProperty("code").GetString().Should().Be("registry.duplicate_document");

        // An update is audited with the names of the changed fields.
        var updated = await township.PutAsJsonAsync(new Uri($"/api/v1/persons/{id}", UriKind.Relative),
            Zhang(places.OtherGridA, phone: "15904710000"), Ct);
        updated.StatusCode.Should().Be(HttpStatusCode.OK, await updated.Content.ReadAsStringAsync(Ct));
        (await updated.JsonAsync()).GetProperty("phone").GetString().Should().Be("159****0000");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var audit = await db.Database.SqlQueryRaw<string>(
                "SELECT \"Action\" || ' ' || \"Target\" || ' ' || COALESCE(\"Detail\", '') AS \"Value\" FROM audit_records WHERE \"Action\" LIKE 'registry.%' ORDER BY \"Sequence\"")
                .ToListAsync(Ct);
            audit.Should().HaveCount(4);
            audit[0].Should().StartWith($"registry.person_created person:{id}").And.Contain("1502**********");
            audit[1].Should().StartWith($"registry.unmask person:{id}").And.Contain("\"field\":\"idNumber\"").And.Contain("入户核实身份 138****1111");
            audit[2].Should().StartWith($"registry.unmask person:{id}").And.Contain("138****9999");
            audit[3].Should().StartWith($"registry.person_updated person:{id}").And.Contain("\"changed\":[\"phone\",\"gridCode\"]");
            audit.Should().AllSatisfy(a => a.Should().NotContain(IdNumberOfZhang).And.NotContain(Phone).And.NotContain("15904710000"));
        }

        // At rest: neither the ID number nor the phone, in any encoding; the name (the control) is there.
        var haystack = provider == DatabaseProvider.Sqlite ? await PhoneAtRestTests.SqliteBytesAsync(app) : await PhoneAtRestTests.PostgresRowsAsync(app);
        PhoneAtRestTests.Contains(haystack, Encoding.UTF8.GetBytes("张三")).Should().BeTrue("the scan must see the person's name");
        foreach (var secret in new[] { IdNumberOfZhang, Phone, "15904710000" })
        {
            foreach (var form in new[] { Encoding.UTF8, Encoding.Unicode, Encoding.BigEndianUnicode })
            {
                PhoneAtRestTests.Contains(haystack, form.GetBytes(secret)).Should().BeFalse($"{Masking.IdNumber(secret)} ({form.WebName}) must not be stored");
            }
            PhoneAtRestTests.Contains(haystack, Encoding.ASCII.GetBytes(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret)))).Should().BeFalse();
        }
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_grid_worker_lists_only_his_grid_and_another_township_gets_404(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: new Dictionary<string, string?>(Keys()) { ["Demo:Persons"] = "400" });
        var places = await PlacesAsync(app);
        var admin = await app.AdminClientAsync(Kundulun);
        var all = await (await admin.GetPathAsync("/api/v1/persons?pageSize=500")).JsonAsync();
        all.GetProperty("total").GetInt32().Should().Be(400, "the demo seed wrote 400 persons");
        var items = all.GetProperty("items").EnumerateArray().ToList();
        items.Should().AllSatisfy(p => p.GetProperty("gridCode").GetString().Should().StartWith(Kundulun));
        items.Count(p => p.GetProperty("age").GetInt32() >= 60).Should().BeInRange(50, 110, "about a fifth are 60 or older");
        items.Count(p => p.GetProperty("ethnicity").GetString() == "02").Should().BeInRange(20, 65, "about a tenth are Mongolian");

        // A person in A's grid and one in B's.
        var inA = await (await admin.PostJsonAsync("/api/v1/persons", Zhang(places.GridA))).JsonAsync();
        var inB = await (await admin.PostJsonAsync("/api/v1/persons", Zhang(places.GridB, name: "李四",
            idNumber: DemoPersons.IdCardNumber("150203", new DateOnly(1980, 5, 5), 11), phone: "13604710000"))).JsonAsync();

        var worker = await app.ClientAsAsync(Roles.GridWorker, places.GridA);
        var mine = await (await worker.GetPathAsync("/api/v1/persons?pageSize=500")).JsonAsync();
        mine.GetProperty("items").EnumerateArray().Should().NotBeEmpty()
            .And.AllSatisfy(p => p.GetProperty("gridCode").GetString().Should().Be(places.GridA));
        mine.GetProperty("total").GetInt32().Should().Be(mine.GetProperty("items").GetArrayLength());
        (await (await worker.GetPathAsync("/api/v1/persons?q=ls")).JsonAsync()).GetProperty("total").GetInt32().Should().Be(0);

        var townshipA = await app.ClientAsAsync(Roles.Township, places.TownshipA);
        var idOfB = inB.GetProperty("id").GetString();
        (await townshipA.GetPathAsync($"/api/v1/persons/{idOfB}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await townshipA.GetPathAsync($"/api/v1/persons?within={places.TownshipB}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await townshipA.PutAsJsonAsync(new Uri($"/api/v1/persons/{idOfB}", UriKind.Relative), Zhang(places.GridA), Ct)).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
        (await townshipA.PostJsonAsync($"/api/v1/persons/{idOfB}/unmask", new { field = "phone", reason = "跨街道查看" })).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
        var byNumber = await (await townshipA.GetPathAsync($"/api/v1/persons?idNumber={DemoPersons.IdCardNumber("150203", new DateOnly(1980, 5, 5), 11)}")).JsonAsync();
        byNumber.GetProperty("total").GetInt32().Should().Be(0, "the exact lookup is scoped too");
        (await townshipA.GetPathAsync($"/api/v1/persons/{inA.GetProperty("id").GetString()}")).StatusCode.Should().Be(HttpStatusCode.OK);

        var leader = await app.ClientAsAsync(Roles.Leader, Kundulun);
        (await leader.PostJsonAsync("/api/v1/persons", Zhang(places.GridA))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await app.CreateClient().GetPathAsync("/api/v1/persons")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    internal static Dictionary<string, string?> Keys() => new() { ["Security:KeyRingPath"] = PeopleData.NewKeyRingPath() };

    internal static async Task<Places> PlacesAsync(CivicGridApp app)
    {
        var admin = await app.AdminClientAsync(Kundulun);
        async Task<List<string>> Children(string code) => [.. (await (await admin.GetPathAsync($"/api/v1/divisions/{code}/children")).JsonAsync())
            .EnumerateArray().Select(c => c.GetProperty("code").GetString()!)];
        var townships = await Children(Kundulun);
        var gridsA = await Children((await Children(townships[0]))[0]);
        var gridB = (await Children((await Children(townships[1]))[0]))[0];
        return new Places(townships[0], gridsA[0], gridsA[1], townships[1], gridB);
    }

    private static object Zhang(string grid, string name = "张三", string? idNumber = null, string? birthDate = null, string? sex = null,
        string phone = Phone) => new
        {
            name,
            documentType = "IdCard",
            idNumber = idNumber ?? IdNumberOfZhang,
            birthDate,
            sex,
            ethnicity = "蒙古族",
            householdType = "Registered",
            phone,
            address = "昆都仑区钢铁大街 1 号",
            gridCode = grid,
            tags = new[] { "独居老人" },
        };

    private static async Task ExpectFieldsAsync(HttpClient client, object body, params string[] fields)
    {
        var response = await client.PostJsonAsync("/api/v1/persons", body);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(Ct));
        var errors = (await response.JsonAsync()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Should().Contain(fields);
    }
}
