using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Identity;

/// <summary>
/// The sweep: every operation in the OpenAPI document is called as a township-A user with codes,
/// points and shapes of township B, and as an anonymous caller. Nothing of B may come back, nothing
/// of B may change, and only the sign-in endpoints answer anonymous callers. Endpoints are read from
/// the document, so every endpoint a module adds is swept; a path parameter the sweep cannot fill
/// fails it until <see cref="SubjectsOfB"/> learns how.
/// </summary>
public sealed class JurisdictionSweepTests
{
    private const string Kundulun = "150203";

    /// <summary>Operations open to anonymous callers by design (they hold no scoped data).</summary>
    private static readonly HashSet<string> Anonymous = new(StringComparer.Ordinal)
    {
        "POST /api/v1/auth/token",
        "POST /api/v1/auth/refresh",
        "POST /api/v1/auth/revoke",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What the sweep knows of township B: codes for path and query parameters, a point, a shape, and B's names.</summary>
    private sealed record SubjectsOfB(
        string Township, string Community, string Grid, double Lon, double Lat, JsonElement GridGeometry, HashSet<string> Markers)
    {
        /// <summary>Ids of B's objects by the path parameter that carries them (users, and what later modules add).</summary>
        public Dictionary<string, string[]> Ids { get; } = new(StringComparer.Ordinal);

        /// <summary>Markers Open311's anonymous reads publish by design (a street-level case's number and text; docs/adr/0011).</summary>
        public HashSet<string> PublishedByOpen311 { get; } = new(StringComparer.Ordinal);

        /// <summary>The clear ID number of B's person (for the exact-number and last-4 lookups).</summary>
        public string PersonIdNumber { get; set; } = string.Empty;

        /// <summary>Path parameters that name national data (no jurisdiction's): a 200 on them is no leak.</summary>
        public static readonly IReadOnlySet<string> National = new HashSet<string>(StringComparer.Ordinal) { "year" };

        /// <summary>Values for a path parameter; null when the sweep does not know the parameter.</summary>
        public string[]? ForPath(string name) => name switch
        {
            "code" => [Township, Community, Grid],
            // The holiday calendar is national, no one's jurisdiction: a year nothing else uses.
            "year" => ["2030"],
            _ => Ids.GetValueOrDefault(name),
        };

        public string? ForQuery(string name) => name switch
        {
            "parent" or "within" or "code" => Township,
            "q" => Markers.First(),
            "idNumber" => PersonIdNumber,
            "last4" => PersonIdNumber[^4..],
            "lon" => Lon.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "lat" => Lat.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Township_A_sees_and_changes_nothing_of_township_B_and_anonymous_callers_get_401_everywhere(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var admin = await app.AdminClientAsync(Kundulun);
        var townships = (await (await admin.GetPathAsync($"/api/v1/divisions/{Kundulun}/children")).JsonAsync())
            .EnumerateArray().Select(t => t.GetProperty("code").GetString()!).ToList();
        var (townshipA, townshipB) = (townships[0], townships[1]);
        var b = await SubjectsAsync(admin, townshipA, townshipB);
        await AddPeopleOfBAsync(app, admin, b);
        var before = await SnapshotOfBAsync(admin, b);

        // Township staff of A, and an administrator of A, who holds every capability there.
        var callersOfA = new[] { await app.ClientAsAsync(Roles.Township, townshipA), await app.ClientAsAsync(Roles.Admin, townshipA) };
        var anonymous = app.CreateClient();
        var document = await (await anonymous.GetPathAsync("/openapi/v1.json")).JsonAsync();

        var leaks = new List<string>();
        var swept = 0;
        foreach (var (method, path, operation) in Operations(document))
        {
            var key = $"{method} {path}";
            var pathParameters = Parameters(operation, "path").ToList();
            var unknown = pathParameters.Where(p => b.ForPath(p) is null).ToList();
            unknown.Should().BeEmpty($"the sweep must know how to fill every path parameter ({key})");

            foreach (var url in Urls(path, pathParameters, Parameters(operation, "query"), b))
            {
                swept++;
                // As township A.
                foreach (var township in callersOfA)
                {
                    using var request = Request(method, url, operation, b);
                    var response = await township.SendAsync(request, Ct);
                    var body = await response.Content.ReadAsStringAsync(Ct);
                    if ((int)response.StatusCode >= 500)
                    {
                        leaks.Add($"{key} {url}: township A got {(int)response.StatusCode}");
                    }
                    if (b.Markers.FirstOrDefault(m => body.Contains(m, StringComparison.Ordinal)) is { } marker)
                    {
                        leaks.Add($"{key} {url}: township A got {(int)response.StatusCode} showing \"{marker}\" of township B");
                    }
                    if (response.IsSuccessStatusCode && pathParameters.Any(p => !SubjectsOfB.National.Contains(p)))
                    {
                        leaks.Add($"{key} {url}: township A got {(int)response.StatusCode} for an object of township B");
                    }
                }

                // As nobody.
                using (var request = Request(method, url, operation, b))
                {
                    var response = await anonymous.SendAsync(request, Ct);
                    var body = await response.Content.ReadAsStringAsync(Ct);
                    if (Anonymous.Contains(key))
                    {
                        if (b.Markers.FirstOrDefault(m => body.Contains(m, StringComparison.Ordinal)) is { } marker)
                        {
                            leaks.Add($"{key}: anonymous got \"{marker}\"");
                        }
                    }
                    else if (response.StatusCode != HttpStatusCode.Unauthorized)
                    {
                        leaks.Add($"{key} {url}: anonymous got {(int)response.StatusCode}, not 401");
                    }
                }
            }
        }

        swept.Should().BeGreaterThan(20, "the sweep must actually reach the endpoints");
        // Open311's reads are anonymous by its spec (outside the OpenAPI document): they may show B's
        // street-level case, and nothing else of B (no person, user, phone or ID number).
        // (B's staff case, reported first; B's 随手拍 is published too.)
        var number = b.PublishedByOpen311.First(m => m.StartsWith("SJ-", StringComparison.Ordinal));
        foreach (var url in new[] { "requests.json", "requests.xml", $"requests/{number}.json", "servicerequestupdates.xml", "services.json" })
        {
            var body = await anonymous.GetStringAsync(new Uri($"/open311/v2/{url}", UriKind.Relative), Ct);
            if (b.Markers.Except(b.PublishedByOpen311).FirstOrDefault(m => body.Contains(m, StringComparison.Ordinal)) is { } marker)
            {
                leaks.Add($"GET /open311/v2/{url}: anonymous got \"{marker}\"");
            }
        }
        leaks.Should().BeEmpty();
        (await SnapshotOfBAsync(admin, b)).Should().Be(before, "nothing of township B may change");
    }

    private static async Task<SubjectsOfB> SubjectsAsync(HttpClient admin, string townshipA, string townshipB)
    {
        var community = (await (await admin.GetPathAsync($"/api/v1/divisions/{townshipB}/children")).JsonAsync())
            .EnumerateArray().First().GetProperty("code").GetString()!;
        var gridsOfB = await (await admin.GetPathAsync($"/api/v1/grids?within={townshipB}")).JsonAsync();
        var grid = gridsOfB.GetProperty("features").EnumerateArray()
            .First(f => f.GetProperty("id").GetString()!.StartsWith(community, StringComparison.Ordinal));
        var gridCode = grid.GetProperty("id").GetString()!;
        var boundary = await (await admin.GetPathAsync($"/api/v1/divisions/{gridCode}/boundary")).JsonAsync();
        var (lon, lat) = Centre(boundary.GetProperty("geometry"));

        // B's names that name nothing outside B: any of them in an answer to A is a leak.
        var namesOfA = await NamesUnderAsync(admin, townshipA);
        var namesOfB = await NamesUnderAsync(admin, townshipB);
        var markers = namesOfB.Where(n => !namesOfA.Contains(n) && n.Length >= 4).ToHashSet(StringComparer.Ordinal);
        markers.Should().Contain(n => n.Contains("网格", StringComparison.Ordinal));
        return new SubjectsOfB(townshipB, community, gridCode, lon, lat, boundary.GetProperty("geometry").Clone(), markers);
    }

    /// <summary>A user of township B (with a phone): his id fills <c>{id}</c>, his name and phone are markers.</summary>
    private static async Task AddPeopleOfBAsync(CivicGridApp app, HttpClient admin, SubjectsOfB b)
    {
        var userName = "sweep-worker-of-b";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<IUserAccounts>().CreateAsync(userName,
                new RoleGrant(Roles.GridWorker, b.Grid), CivicGridApp.TestPassword, phone: "13904719876", cancellationToken: Ct);
            created.IsSuccess.Should().BeTrue(created.Error?.Message);
            b.Ids["id"] = [created.Value.UserId.ToString()];
        }
        b.Markers.Add(userName);
        b.Markers.Add("13904719876");
        b.Markers.Add("139****9876");
        (await admin.GetPathAsync($"/api/v1/users/{b.Ids["id"][0]}")).StatusCode.Should().Be(HttpStatusCode.OK, "the admin of the district sees him");

        // A resident of B (Registry): his id fills {id} too; his name, numbers and masked number are markers.
        const string personName = "乙镇扫描居民";
        var idNumber = SweepIdNumber("150203198503070", 1);
        var person = await admin.PostJsonAsync("/api/v1/persons", new
        {
            name = personName,
            documentType = "IdCard",
            idNumber,
            householdType = "Registered",
            phone = "13904715432",
            gridCode = b.Grid,
            tags = new[] { "独居老人" },
        });
        person.StatusCode.Should().Be(HttpStatusCode.Created, await person.Content.ReadAsStringAsync(Ct));
        b.Ids["id"] = [.. b.Ids["id"], (await person.JsonAsync()).GetProperty("id").GetString()!];
        b.PersonIdNumber = idNumber;
        b.Markers.Add(personName);
        b.Markers.Add(idNumber);
        b.Markers.Add(CivicGrid.Modules.Identity.Contracts.Masking.IdNumber(idNumber));
        b.Markers.Add("13904715432");
        b.Markers.Add("139****5432");

        // B's places (Registry houses): a compound, building, house, household, the resident's link and a visit fill {id}; their names are markers.
        var personOfB = b.Ids["id"][^1];
        var workerOfBGrid = await app.ClientAsAsync(Roles.GridWorker, b.Grid);
        async Task<string> CreateInB(string url, object body)
        {
            var response = await workerOfBGrid.PostJsonAsync(url, body);
            response.StatusCode.Should().Be(HttpStatusCode.Created, $"{url}: {await response.Content.ReadAsStringAsync(Ct)}");
            return (await response.JsonAsync()).GetProperty("id").GetString()!;
        }
        var compoundOfB = await CreateInB("/api/v1/compounds", new { name = "乙镇扫描小区", gridCode = b.Grid });
        var buildingOfB = await CreateInB("/api/v1/buildings", new { compoundId = compoundOfB, name = "乙镇扫描楼", units = new[] { "乙镇扫描单元" } });
        var houseOfB = await CreateInB("/api/v1/houses", new { buildingId = buildingOfB, room = "乙镇扫描房号", use = "Rented" });
        var householdOfB = await CreateInB("/api/v1/households", new { houseId = houseOfB, kind = "Registered", number = "SWEEPB0001", headPersonId = personOfB });
        var residenceOfB = await CreateInB($"/api/v1/houses/{houseOfB}/residents", new { personId = personOfB, relation = "LivesHere" });
        var visitOfB = await CreateInB("/api/v1/visits", new { householdId = householdOfB, notes = "乙镇扫描走访记录" });
        b.Ids["id"] = [.. b.Ids["id"], compoundOfB, buildingOfB, houseOfB, householdOfB, residenceOfB, visitOfB];
        b.Markers.UnionWith(["乙镇扫描小区", "乙镇扫描楼", "乙镇扫描单元", "乙镇扫描房号", "SWEEPB0001", "乙镇扫描走访记录"]);

        // A case reported in B: its id also fills {id} (cases share the parameter name with users), its description is a marker.
        // Its photo (attached) and another photo not yet attached: their ids fill {id} of the files endpoints.
        var staffOfB = await app.ClientAsAsync(Roles.Township, b.Township);
        var photoIds = new List<string>();
        foreach (var color in new[] { SkiaSharp.SKColors.Teal, SkiaSharp.SKColors.Olive })
        {
            var uploaded = await CivicGrid.Tests.Files.FileApiTests.UploadAsync(staffOfB,
                CivicGrid.Tests.Files.TestImages.Png(64, 48, color), "b.png", "image/png");
            uploaded.StatusCode.Should().Be(HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync(Ct));
            photoIds.Add((await uploaded.JsonAsync()).GetProperty("id").GetString()!);
        }
        const string description = "扫描标记：乙街道的事件描述";
        var reported = await staffOfB.PostJsonAsync("/api/v1/cases",
            new { categoryCode = "0301", lon = b.Lon, lat = b.Lat, description, photoIds = photoIds.Take(1) });
        reported.StatusCode.Should().Be(HttpStatusCode.Created, await reported.Content.ReadAsStringAsync(Ct));
        var caseOfB = await reported.JsonAsync();
        b.Ids["id"] = [.. b.Ids["id"], caseOfB.GetProperty("id").GetString()!, .. photoIds];
        b.Markers.Add(description);
        b.Markers.Add(caseOfB.GetProperty("number").GetString()!);
        b.PublishedByOpen311.UnionWith([description, caseOfB.GetProperty("number").GetString()!]);
        (await admin.GetPathAsync($"/api/v1/files/{photoIds[0]}")).StatusCode.Should().Be(HttpStatusCode.OK,
            "the district's admin sees B's case, so its photo");

        // A resident's 随手拍 in B (through the anonymous page): its case and photo fill {caseId} and {photoId};
        // B's grid and compound fill the QR {key}. Open311 publishes the case like any other.
        const string snapDescription = "扫描标记：乙街道的随手拍";
        var snapCode = await CivicGrid.Tests.Snap.SnapForm.ReportAsync(app, b.Grid, snapDescription,
            CivicGrid.Tests.Files.TestImages.Jpeg(64, 48, SkiaSharp.SKColors.Maroon));
        var snapCase = await CivicGrid.Tests.Snap.SnapApiTests.CaseIdAsync(app, snapCode);
        var snapOfB = await (await admin.GetPathAsync($"/api/v1/cases/{snapCase}")).JsonAsync();
        b.Ids["caseId"] = [snapCase.ToString()];
        b.Ids["photoId"] = [snapOfB.GetProperty("photoIds")[0].GetString()!];
        b.Ids["key"] = [b.Grid, "c" + Guid.Parse(compoundOfB).ToString("N")];
        b.Markers.UnionWith([snapDescription, snapCode, snapOfB.GetProperty("number").GetString()!]);
        b.PublishedByOpen311.UnionWith([snapDescription, snapOfB.GetProperty("number").GetString()!]);

        // B's worker is told of a dispatch: his notification's id fills {id} too.
        var caseId = caseOfB.GetProperty("id").GetString()!;
        (await staffOfB.PostJsonAsync($"/api/v1/cases/{caseId}/accept", new { })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await staffOfB.PostJsonAsync($"/api/v1/cases/{caseId}/dispatch", new { assignee = userName })).StatusCode.Should().Be(HttpStatusCode.OK);
        var workerOfB = await app.ClientAsAsync(Roles.GridWorker, b.Grid, userName);
        var notices = await (await workerOfB.GetPathAsync("/api/v1/notifications")).JsonAsync();
        b.Ids["id"] = [.. b.Ids["id"], notices.GetProperty("items")[0].GetProperty("id").GetString()!];

        // A ledger import of B's (one good row, one rejected): its id fills {id} (progress, rejects); its names are markers.
        const string importedName = "乙镇导入居民";
        var wrong = SweepIdNumber("150203198704150", 5);
        wrong = wrong[..17] + (wrong[17] == '0' ? '1' : '0');
        var ledger = "姓名,公民身份号码,网格编码\n" +
                     $"{importedName},{SweepIdNumber("150203198704150", 3)},{b.Grid}\n" +
                     $"乙镇退回居民,{wrong},{b.Grid}\n";
        var imported = await CivicGrid.Tests.Registry.LedgerImportTests.UploadAsync(staffOfB, System.Text.Encoding.UTF8.GetBytes(ledger), "乙镇台账.csv");
        imported.StatusCode.Should().Be(HttpStatusCode.OK, await imported.Content.ReadAsStringAsync(Ct));
        var importReport = await imported.JsonAsync();
        importReport.GetProperty("rejected").GetInt32().Should().Be(1);
        b.Ids["id"] = [.. b.Ids["id"], importReport.GetProperty("id").GetString()!];
        b.Markers.Add(importedName);
        b.Markers.Add("乙镇退回居民");

        // A report template of B's (一表通): its id fills {id}, B's person fills {personId} (his extra values); its name is a marker.
        const string templateName = "乙镇扫描报表模板";
        var template = await staffOfB.PostJsonAsync("/api/v1/report-templates", new
        {
            name = templateName,
            ownerCode = b.Township,
            filter = new { tagsAll = new[] { "独居老人" } },
            columns = new object[] { new { kind = "field", key = "name" }, new { kind = "extra", key = "note", header = "乙镇备注", required = true } },
        });
        template.StatusCode.Should().Be(HttpStatusCode.Created, await template.Content.ReadAsStringAsync(Ct));
        var templateId = (await template.JsonAsync()).GetProperty("id").GetString()!;
        (await staffOfB.PutAsync(new Uri($"/api/v1/report-templates/{templateId}/values/{personOfB}", UriKind.Relative),
            new StringContent("""{"values":{"note":"乙镇扫描备注值"}}""", Encoding.UTF8, "application/json"), Ct))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        b.Ids["id"] = [.. b.Ids["id"], templateId];
        b.Ids["personId"] = [personOfB];
        b.Markers.Add(templateName);
        b.Markers.Add("乙镇扫描备注值");

        // B's person on a special-population register: its id fills {id}; its notes and responsible person are markers.
        var special = await staffOfB.PostJsonAsync("/api/v1/special-registers", new
        {
            personId = personOfB,
            kind = "CommunityCorrection",
            startDate = "2025-03-01",
            riskLevel = "High",
            responsiblePerson = "乙镇矫正责任人",
            notes = "乙镇矫正备注：每周报到",
        });
        special.StatusCode.Should().Be(HttpStatusCode.Created, await special.Content.ReadAsStringAsync(Ct));
        b.Ids["id"] = [.. b.Ids["id"], (await special.JsonAsync()).GetProperty("id").GetString()!];
        b.Markers.Add("乙镇矫正责任人");
        b.Markers.Add("乙镇矫正备注：每周报到");

        // B's organization (with a phone), key place and component: their ids fill {id}; names and phone are markers.
        foreach (var (route, body, marker) in new (string, object, string)[]
                 {
                     ("organizations", new { name = "乙镇扫描机械公司", kind = "NonPublicEconomic", phone = "13904716789", gridCode = b.Grid }, "乙镇扫描机械公司"),
                     ("places", new { name = "乙镇扫描小学", kind = "School", responsiblePerson = "乙镇扫描校长", gridCode = b.Grid }, "乙镇扫描小学"),
                     ("components", new { @class = "PublicFacilities", subclass = "井盖", code = "SWEEP-B-0001", gridCode = b.Grid }, "SWEEP-B-0001"),
                 })
        {
            var created = await staffOfB.PostJsonAsync($"/api/v1/{route}", body);
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
            b.Ids["id"] = [.. b.Ids["id"], (await created.JsonAsync()).GetProperty("id").GetString()!];
            b.Markers.Add(marker);
        }
        b.Markers.Add("乙镇扫描校长");
        b.Markers.Add("13904716789");
        b.Markers.Add("139****6789");
    }

    /// <summary>A valid ID number from its first 15 characters and a sequence digit.</summary>
    internal static string SweepIdNumber(string first15, int last)
    {
        var first17 = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{first15}0{last}");
        return first17 + IdNumber.CheckCharacter(first17);
    }

    private static async Task<HashSet<string>> NamesUnderAsync(HttpClient admin, string township)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var self = await (await admin.GetPathAsync($"/api/v1/divisions/{township}")).JsonAsync();
        names.Add(self.GetProperty("name").GetString()!);
        foreach (var c in (await (await admin.GetPathAsync($"/api/v1/divisions/{township}/children")).JsonAsync()).EnumerateArray())
        {
            names.Add(c.GetProperty("name").GetString()!);
        }
        foreach (var f in (await (await admin.GetPathAsync($"/api/v1/grids?within={township}")).JsonAsync()).GetProperty("features").EnumerateArray())
        {
            names.Add(f.GetProperty("properties").GetProperty("name").GetString()!);
        }
        return names;
    }

    /// <summary>What must not change: B's names, children and the boundary versions of its grid.</summary>
    private static async Task<string> SnapshotOfBAsync(HttpClient admin, SubjectsOfB b)
    {
        var snapshot = new StringBuilder();
        foreach (var code in new[] { b.Township, b.Community, b.Grid })
        {
            snapshot.Append(await (await admin.GetPathAsync($"/api/v1/divisions/{code}")).Content.ReadAsStringAsync(Ct));
            snapshot.Append(await (await admin.GetPathAsync($"/api/v1/divisions/{code}/children")).Content.ReadAsStringAsync(Ct));
        }
        snapshot.Append(await (await admin.GetPathAsync($"/api/v1/divisions/{b.Grid}/boundary")).Content.ReadAsStringAsync(Ct));
        // B's person and case, unchanged (the user's 404 for these routes carries a fresh trace id each time), and no new person.
        foreach (var id in b.Ids["id"])
        {
            foreach (var route in new[] { "persons", "cases", "compounds", "buildings", "houses", "households", "persons/" + id + "/residences",
                "report-templates", $"report-templates/{id}/rows?x=" })
            {
                var response = await admin.GetPathAsync(route.Contains('/', StringComparison.Ordinal) || route.Contains('?', StringComparison.Ordinal)
                    ? $"/api/v1/{route}" : $"/api/v1/{route}/{id}");
                if (response.IsSuccessStatusCode)
                {
                    snapshot.Append(await response.Content.ReadAsStringAsync(Ct));
                }
            }
        }
        snapshot.Append((await (await admin.GetPathAsync($"/api/v1/persons?within={b.Township}")).JsonAsync()).GetProperty("total").GetInt32());
        return snapshot.ToString();
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Name is "get" or "post" or "put" or "patch" or "delete")
                {
                    yield return (operation.Name.ToUpperInvariant(), path.Name, operation.Value);
                }
            }
        }
    }

    private static IEnumerable<string> Parameters(JsonElement operation, string location) =>
        operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == location).Select(p => p.GetProperty("name").GetString()!)
            : [];

    /// <summary>One URL per value of the path parameters (all of B's codes), with every known query parameter filled with B's.</summary>
    private static IEnumerable<string> Urls(string path, List<string> pathParameters, IEnumerable<string> queryParameters, SubjectsOfB b)
    {
        var query = string.Join("&", queryParameters
            .Select(q => (q, value: b.ForQuery(q)))
            .Where(q => q.value is not null)
            .Select(q => $"{q.q}={Uri.EscapeDataString(q.value!)}"));
        var suffix = query.Length > 0 ? "?" + query : string.Empty;
        if (pathParameters.Count == 0)
        {
            yield return path + suffix;
            yield break;
        }
        var values = b.ForPath(pathParameters[0]) ?? [];
        foreach (var value in values)
        {
            var url = path;
            foreach (var parameter in pathParameters)
            {
                url = url.Replace("{" + parameter + "}", Uri.EscapeDataString(parameter == pathParameters[0] ? value : b.ForPath(parameter)![0]),
                    StringComparison.Ordinal);
            }
            yield return url + suffix;
        }
    }

    /// <summary>A request whose body, were scoping broken, would change B: B's own shape, B's codes, a renamed B.</summary>
    private static HttpRequestMessage Request(string method, string url, JsonElement operation, SubjectsOfB b)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative));
        if (!operation.TryGetProperty("requestBody", out var body) || !body.TryGetProperty("content", out var content))
        {
            return request;
        }
        var types = content.EnumerateObject().Select(c => c.Name).ToList();
        if (types.Contains("application/zip"))
        {
            using var zip = new MemoryStream();
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            using (var writer = new StreamWriter(archive.CreateEntry("streets.csv").Open(), Encoding.UTF8))
            {
                writer.Write($"code,name,areaCode\n{b.Township},被改名的街道,{Kundulun}\n");
            }
            request.Content = new ByteArrayContent(zip.ToArray());
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        }
        else if (types.Contains("multipart/form-data"))
        {
            // An upload (a real photo): nothing of B is named, so success here is no leak.
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(CivicGrid.Tests.Files.TestImages.Png(16, 16));
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "file", "sweep.png");
            request.Content = form;
        }
        else if (types.Contains("application/geo+json"))
        {
            var collection = $$"""{"type":"FeatureCollection","features":[{"type":"Feature","id":"{{b.Grid}}","properties":{"name":"被改名的网格"},"geometry":{{b.GridGeometry.GetRawText()}}}]}""";
            request.Content = new StringContent(collection, Encoding.UTF8, "application/geo+json");
        }
        else if (url.EndsWith("/boundary", StringComparison.Ordinal))
        {
            request.Content = new StringContent(b.GridGeometry.GetRawText(), Encoding.UTF8, "application/json");
        }
        else
        {
            // Every string property gets a code under B (a new child where a code is wanted).
            request.Content = new StringContent(JsonSerializer.Serialize(new
            {
                code = b.Grid + "901",
                parentCode = b.Grid,
                name = "扫描测试",
                userName = "sweep",
                password = "sweep-password",
                refreshToken = "sweep",
                field = "phone",
                reason = "sweep: checking jurisdiction",
                // A person of B's grid: creating or moving one there must be refused to A.
                gridCode = b.Grid,
                documentType = "IdCard",
                idNumber = SweepIdNumber("150203197001010", 3),
                householdType = "Registered",
            }), Encoding.UTF8, "application/json");
        }
        return request;
    }

    private static (double Lon, double Lat) Centre(JsonElement geometry)
    {
        var ring = geometry.GetProperty("type").GetString() == "MultiPolygon"
            ? geometry.GetProperty("coordinates")[0][0]
            : geometry.GetProperty("coordinates")[0];
        var points = ring.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList();
        return (points.Average(p => p.Item1), points.Average(p => p.Item2));
    }
}
