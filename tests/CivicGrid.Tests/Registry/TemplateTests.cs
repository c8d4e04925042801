using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Contracts;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Modules.Registry.Persons;
using CivicGrid.Modules.Registry.Templates;
using CivicGrid.Tests.Identity;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;

namespace CivicGrid.Tests.Registry;

/// <summary>一表通 report templates (issue #6) on both databases: fill, export, to-do, extra values, scoping, validation.</summary>
public sealed class TemplateTests
{
    private const string Kundulun = "150203";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Places(string TownshipA, string GridA, string OtherGridA, string TownshipB, string GridB);

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task One_person_edited_once_appears_changed_in_three_templates_exports_in_their_column_order(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys());
        var places = await PlacesAsync(app);
        var township = await app.ClientAsAsync(Roles.Township, places.TownshipA);
        // An old man living alone, a veteran, on 低保: listed by all three demo templates.
        var body = Person("王建国", places.GridA, new DateOnly(1950, 3, 8), 11, ["独居老人", "退役军人", "低保"], address: "钢铁大街 1 号");
        var created = await township.PostJsonAsync("/api/v1/persons", body);
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var id = (await created.JsonAsync()).GetProperty("id").GetString()!;
        (await township.PostJsonAsync("/api/v1/persons", Person("李秀英", places.GridA, new DateOnly(1990, 5, 1), 12, ["低保"])))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        var templates = await TemplatesAsync(township);
        var names = new[] { DemoTemplates.Elderly, DemoTemplates.Veterans, DemoTemplates.Hardship };
        templates.Keys.Should().Contain(names, "the demo seed defines three templates");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<IDemoTemplates>().SeedAsync(Kundulun, Ct)).Should().Be(0, "the seed is idempotent");
        }

        foreach (var name in names)
        {
            var (headers, rows) = await ExportAsync(township, templates[name].Id, places.TownshipA);
            headers.Should().Equal(templates[name].Headers, "the export follows the template's own column order and headers");
            rows.Should().ContainSingle(r => Equals(r["姓名"], "王建国")).Which.Values.Should().NotContain("钢铁大街 2 号");
        }
        (await ExportAsync(township, templates[DemoTemplates.Hardship].Id, places.TownshipA)).Rows.Should().HaveCount(2);
        (await ExportAsync(township, templates[DemoTemplates.Elderly].Id, places.TownshipA)).Rows.Should().HaveCount(1, "李秀英 is neither 60 nor alone");

        // One edit of the person, through the persons API.
        var edited = await township.PutAsJsonAsync(new Uri($"/api/v1/persons/{id}", UriKind.Relative),
            Person("王建国", places.GridA, new DateOnly(1950, 3, 8), 11, ["独居老人", "退役军人", "低保"], address: "钢铁大街 2 号",
                phone: "13904711234"), Ct);
        edited.StatusCode.Should().Be(HttpStatusCode.OK, await edited.Content.ReadAsStringAsync(Ct));

        foreach (var name in names)
        {
            var (_, rows) = await ExportAsync(township, templates[name].Id, places.TownshipA);
            var row = rows.Single(r => Equals(r["姓名"], "王建国"));
            if (row.TryGetValue("现住址", out var address))
            {
                address.Should().Be("钢铁大街 2 号", name);
            }
            if (row.TryGetValue("联系电话", out var phone))
            {
                phone.Should().Be("139****1234", name);
            }
            row.Values.Should().Contain(v => Equals(v, "钢铁大街 2 号") || Equals(v, "139****1234"), $"{name} shows the change");
            if (row.TryGetValue("身份证号", out var number))
            {
                ((string)number!).Should().Contain("****", "the export masks numbers by default");
            }
        }

        // Unmasked: township staff hold registry.unmask; audited. A grid worker does not.
        var (_, clear) = await ExportAsync(township, templates[DemoTemplates.Veterans].Id, places.TownshipA, unmasked: true);
        clear.Single()["联系电话"].Should().Be("13904711234");
        clear.Single()["出生日期"].Should().Be("1950-03-08");
        var worker = await app.ClientAsAsync(Roles.GridWorker, places.GridA);
        (await worker.GetPathAsync($"/api/v1/report-templates/{templates[DemoTemplates.Veterans].Id}/export.xlsx?unmasked=true"))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var audit = await (await (await app.AdminClientAsync(Kundulun)).GetPathAsync("/api/v1/audit?action=registry.unmask")).Content
            .ReadAsStringAsync(Ct);
        audit.Should().Contain($"report-template:{templates[DemoTemplates.Veterans].Id}");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_age_filter_counts_whole_years_at_today_in_China_to_the_day(DatabaseProvider provider)
    {
        // 00:30 on 23 November in Shanghai, still the 22nd in UTC.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 16, 30, 0, TimeSpan.Zero));
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys(), services: s => s.AddSingleton<TimeProvider>(clock));
        var places = await PlacesAsync(app);
        var township = await app.ClientAsAsync(Roles.Township, places.TownshipA);
        var born = new Dictionary<string, DateOnly>
        {
            ["六十今天"] = new(1966, 11, 23),
            ["六十明天"] = new(1966, 11, 24),
            ["六十五明天"] = new(1961, 11, 24),
            ["六十五今天"] = new(1961, 11, 23),
        };
        var sequence = 20;
        foreach (var (name, date) in born)
        {
            (await township.PostJsonAsync("/api/v1/persons", Person(name, places.GridA, date, sequence++, [])))
                .StatusCode.Should().Be(HttpStatusCode.Created);
        }
        var template = await CreateAsync(township, new
        {
            name = "60至64岁",
            ownerCode = places.TownshipA,
            filter = new { ageMin = 60, ageMax = 64 },
            columns = new object[] { new { kind = "field", key = "name" }, new { kind = "derived", key = "age" } },
        });

        (await NamesAsync(township, template, places.TownshipA)).Should().BeEquivalentTo("六十今天", "六十五明天");
        clock.Advance(TimeSpan.FromDays(1));
        // A day later the first sign-in has expired.
        var tomorrow = await app.ClientAsAsync(Roles.Township, places.TownshipA, "t-township-tomorrow");
        (await NamesAsync(tomorrow, template, places.TownshipA)).Should().BeEquivalentTo("六十今天", "六十明天");
    }

    [Fact]
    public void The_birth_date_range_agrees_with_the_age_as_persons_count_it_around_29_February()
    {
        var filter = new TemplateFilter(AgeMin: 60, AgeMax: 61);
        foreach (var today in new[] { new DateOnly(2061, 2, 28), new DateOnly(2060, 2, 28), new DateOnly(2060, 2, 29), new DateOnly(2061, 3, 1) })
        {
            for (var born = new DateOnly(1997, 1, 1); born < new DateOnly(2002, 1, 1); born = born.AddDays(1))
            {
                var age = PersonRules.AgeOn(born, today)!.Value;
                var person = Activator.CreateInstance(typeof(Person), true) as Person;
                person!.BirthDate = born;
                filter.Matches(person, today).Should().Be(age is >= 60 and <= 61, $"born {born}, today {today}, age {age}");
            }
        }
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_to_do_goes_down_as_a_grid_worker_fills_the_extra_fields_and_wrong_values_are_field_errors(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys());
        var places = await PlacesAsync(app);
        var township = await app.ClientAsAsync(Roles.Township, places.TownshipA);
        var ids = new List<string>();
        var sequence = 40;
        foreach (var grid in new[] { places.GridA, places.GridA, places.OtherGridA })
        {
            var created = await township.PostJsonAsync("/api/v1/persons", Person($"老兵{sequence}", grid, new DateOnly(1970, 1, 1), sequence++, ["退役军人"]));
            ids.Add((await created.JsonAsync()).GetProperty("id").GetString()!);
        }
        var plain = await township.PostJsonAsync("/api/v1/persons", Person("未入列", places.GridA, new DateOnly(1970, 1, 2), sequence, []));
        var plainId = (await plain.JsonAsync()).GetProperty("id").GetString()!;
        var veterans = (await TemplatesAsync(township))[DemoTemplates.Veterans].Id;

        var todo = await TodoAsync(township, veterans, places.TownshipA);
        todo.GetProperty("missing").GetInt32().Should().Be(3);
        Grid(todo, places.GridA).GetProperty("missing").GetInt32().Should().Be(2);
        Grid(todo, places.GridA).GetProperty("gridName").GetString().Should().NotBeNullOrEmpty();

        var worker = await app.ClientAsAsync(Roles.GridWorker, places.GridA);
        var values = $"/api/v1/report-templates/{veterans}/values/";
        var filled = await worker.PutAsJsonAsync(new Uri(values + ids[0], UriKind.Relative),
            new { values = new Dictionary<string, object> { ["unit"] = "某集团军某旅", ["enlisted"] = 1988 } }, Ct);
        filled.StatusCode.Should().Be(HttpStatusCode.OK, await filled.Content.ReadAsStringAsync(Ct));
        (await filled.JsonAsync()).GetProperty("missing").GetArrayLength().Should().Be(0);

        todo = await TodoAsync(worker, veterans, places.GridA);
        todo.GetProperty("missing").GetInt32().Should().Be(1, "one of the grid's two veterans is done");
        todo.GetProperty("grids").GetArrayLength().Should().Be(1, "a grid worker's to-do is his grid's");
        (await TodoAsync(township, veterans, places.TownshipA)).GetProperty("missing").GetInt32().Should().Be(2);

        // Half-filled still counts as missing; the export shows what was filled.
        (await worker.PutAsJsonAsync(new Uri(values + ids[1], UriKind.Relative), new { values = new { unit = "某部" } }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await TodoAsync(worker, veterans, places.GridA)).GetProperty("missing").GetInt32().Should().Be(1);
        var (_, rows) = await ExportAsync(township, veterans, places.TownshipA);
        rows.Single(r => Equals(r["服役部队"], "某集团军某旅"))["入伍年份"].Should().BeOneOf(1988m, 1988d, 1988L, 1988);

        // Wrong types, unknown keys, a person not on the list, a person of another grid.
        await ExpectValueErrorAsync(worker, values + ids[1], new { values = new { enlisted = "八八年" } }, "values.enlisted");
        await ExpectValueErrorAsync(worker, values + ids[1], new { values = new { rank = "上士" } }, "values.rank");
        var hardship = (await TemplatesAsync(township))[DemoTemplates.Hardship].Id;
        var poor = await township.PostJsonAsync("/api/v1/persons", Person("困难户", places.GridA, new DateOnly(1980, 1, 1), 60, ["低保"]));
        var poorId = (await poor.JsonAsync()).GetProperty("id").GetString()!;
        await ExpectValueErrorAsync(worker, $"/api/v1/report-templates/{hardship}/values/{poorId}", new { values = new { hardship = "很穷" } },
            "values.hardship");
        (await worker.PutAsJsonAsync(new Uri(values + plainId, UriKind.Relative), new { values = new { unit = "某部" } }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.Conflict, "未入列 is not a veteran");
        (await worker.PutAsJsonAsync(new Uri(values + ids[2], UriKind.Relative), new { values = new { unit = "某部" } }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.NotFound, "the third veteran lives in another grid");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_grid_worker_sees_his_grid_only_and_another_townships_template_does_not_exist_for_him(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys());
        var places = await PlacesAsync(app);
        var townshipA = await app.ClientAsAsync(Roles.Township, places.TownshipA);
        var townshipB = await app.ClientAsAsync(Roles.Township, places.TownshipB);
        var sequence = 70;
        string? personOfA = null;
        foreach (var (grid, client) in new[] { (places.GridA, townshipA), (places.OtherGridA, townshipA), (places.GridB, townshipB) })
        {
            var created = await client.PostJsonAsync("/api/v1/persons", Person($"居民{sequence}", grid, new DateOnly(1945, 1, 1), sequence++, ["独居老人"]));
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
            personOfA ??= (await created.JsonAsync()).GetProperty("id").GetString();
        }
        var elderly = (await TemplatesAsync(townshipA))[DemoTemplates.Elderly].Id;

        var worker = await app.ClientAsAsync(Roles.GridWorker, places.GridA);
        var rows = await (await worker.GetPathAsync($"/api/v1/report-templates/{elderly}/rows")).JsonAsync();
        rows.GetProperty("total").GetInt32().Should().Be(1, "a grid worker sees his grid's rows only");
        rows.GetProperty("items")[0].GetProperty("gridCode").GetString().Should().Be(places.GridA);
        (await worker.GetPathAsync($"/api/v1/report-templates/{elderly}/rows?within={places.GridB}")).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
        var district = await (await (await app.AdminClientAsync(Kundulun)).GetPathAsync($"/api/v1/report-templates/{elderly}/rows")).JsonAsync();
        district.GetProperty("total").GetInt32().Should().Be(3);
        district.GetProperty("columns").GetArrayLength().Should().Be(district.GetProperty("items")[0].GetProperty("cells").GetArrayLength());

        // Township B's own template: township A and its workers do not see it, its rows, or its values.
        var ofB = await CreateAsync(townshipB, new
        {
            name = "乙街道独居老人",
            ownerCode = places.TownshipB,
            filter = new { tagsAll = new[] { "独居老人" } },
            columns = new object[]
            {
                new { kind = "field", key = "name" },
                new { kind = "extra", key = "note", header = "备注", type = "text", required = true },
            },
        });
        foreach (var url in new[] { $"/api/v1/report-templates/{ofB}", $"/api/v1/report-templates/{ofB}/rows", $"/api/v1/report-templates/{ofB}/todo" })
        {
            (await townshipA.GetPathAsync(url)).StatusCode.Should().Be(HttpStatusCode.NotFound, url);
        }
        (await worker.PutAsJsonAsync(new Uri($"/api/v1/report-templates/{ofB}/values/{personOfA}", UriKind.Relative),
            new { values = new { note = "x" } }, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await townshipA.GetPathAsync("/api/v1/report-templates")).Content.ReadAsStringAsync(Ct)).Should().NotContain("乙街道独居老人");
        (await townshipA.PutAsJsonAsync(new Uri($"/api/v1/report-templates/{elderly}", UriKind.Relative),
            new { name = "改名", ownerCode = Kundulun, columns = new[] { new { kind = "field", key = "name" } } }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "the district's template is the district's to change");
        (await worker.PostJsonAsync("/api/v1/report-templates", new { name = "网格员的表", ownerCode = places.GridA, columns = new[] { new { kind = "field", key = "name" } } }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "a grid worker defines no templates");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_bad_template_definition_is_400_with_field_errors(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys());
        var places = await PlacesAsync(app);
        var township = await app.ClientAsAsync(Roles.Township, places.TownshipA);

        await ExpectTemplateErrorAsync(township, new { name = "", ownerCode = "15x", columns = Array.Empty<object>() }, "name", "ownerCode", "columns");
        await ExpectTemplateErrorAsync(township, new
        {
            name = "错表",
            ownerCode = places.TownshipA,
            filter = new { ageMin = 70, ageMax = 60, tagsAll = new[] { "a|b" } },
            columns = new object[]
            {
                new { kind = "table", key = "name" },
                new { kind = "field", key = "salary" },
                new { kind = "field", key = "name", header = "姓名" },
                new { kind = "derived", key = "age", header = "姓名" },
                new { kind = "extra", key = "unit", header = "" },
                new { kind = "extra", key = "level", header = "等级", type = "choice" },
                new { kind = "extra", key = "x y", header = "X", type = "money" },
            },
        }, "filter.ageMax", "filter.tagsAll", "columns[0].kind", "columns[1].key", "columns[3].header", "columns[4].header",
            "columns[5].choices", "columns[6].key", "columns[6].type");

        var ok = new
        {
            name = "好表",
            ownerCode = places.TownshipA,
            columns = new object[] { new { kind = "field", key = "name" }, new { kind = "extra", key = "level", header = "等级", type = "choice", choices = new[] { "甲", "乙" } } },
        };
        await CreateAsync(township, ok);
        var again = await township.PostJsonAsync("/api/v1/report-templates", ok);
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await again.JsonAsync()).GetProperty("code").GetString().Should().Be("registry.template_duplicate");
    }

    internal static Dictionary<string, string?> Keys() => new() { ["Security:KeyRingPath"] = PeopleData.NewKeyRingPath() };

    internal static object Person(string name, string grid, DateOnly born, int sequence, string[] tags, string address = "昆都仑区友谊大街 9 号",
        string phone = "13804710000") => new
        {
            name,
            documentType = "IdCard",
            idNumber = DemoPersons.IdCardNumber(Kundulun, born, sequence * 2 + 1),
            ethnicity = "汉族",
            householdType = "Registered",
            phone,
            address,
            gridCode = grid,
            tags,
        };

    private static async Task<Places> PlacesAsync(CivicGridApp app)
    {
        var admin = await app.AdminClientAsync(Kundulun);
        async Task<List<string>> Children(string code) => [.. (await (await admin.GetPathAsync($"/api/v1/divisions/{code}/children")).JsonAsync())
            .EnumerateArray().Select(c => c.GetProperty("code").GetString()!)];
        var townships = await Children(Kundulun);
        var gridsA = await Children((await Children(townships[0]))[0]);
        var gridB = (await Children((await Children(townships[1]))[0]))[0];
        return new Places(townships[0], gridsA[0], gridsA[1], townships[1], gridB);
    }

    private static async Task<Dictionary<string, (string Id, List<string> Headers)>> TemplatesAsync(HttpClient client)
    {
        var list = await (await client.GetPathAsync("/api/v1/report-templates")).JsonAsync();
        return list.EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => (t.GetProperty("id").GetString()!,
            t.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("header").GetString()!).ToList()));
    }

    private static async Task<string> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostJsonAsync("/api/v1/report-templates", body);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    private static async Task<List<string>> NamesAsync(HttpClient client, string template, string within)
    {
        var response = await client.GetPathAsync($"/api/v1/report-templates/{template}/rows?within={within}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var rows = await response.JsonAsync();
        return [.. rows.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("cells")[0].GetString()!)];
    }

    private static async Task<JsonElement> TodoAsync(HttpClient client, string template, string within)
    {
        var response = await client.GetPathAsync($"/api/v1/report-templates/{template}/todo?within={within}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    private static JsonElement Grid(JsonElement todo, string grid) =>
        todo.GetProperty("grids").EnumerateArray().Single(g => g.GetProperty("gridCode").GetString() == grid);

    internal static async Task<(List<string> Headers, List<IDictionary<string, object?>> Rows)> ExportAsync(HttpClient client, string template,
        string within, bool unmasked = false)
    {
        var response = await client.GetPathAsync($"/api/v1/report-templates/{template}/export.xlsx?within={within}{(unmasked ? "&unmasked=true" : "")}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var headers = MiniExcel.Query(new MemoryStream(bytes)).Cast<IDictionary<string, object?>>().First().Values.Select(v => v?.ToString() ?? "").ToList();
        var rows = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        return (headers, rows);
    }

    private static async Task ExpectValueErrorAsync(HttpClient client, string url, object body, string field)
    {
        var response = await client.PutAsJsonAsync(new Uri(url, UriKind.Relative), body, Ct);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(Ct));
        (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Contain(field);
    }

    private static async Task ExpectTemplateErrorAsync(HttpClient client, object body, params string[] fields)
    {
        var response = await client.PostJsonAsync("/api/v1/report-templates", body);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(Ct));
        (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Contain(fields);
    }
}
