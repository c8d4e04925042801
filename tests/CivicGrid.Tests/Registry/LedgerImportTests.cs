using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Modules.Registry.Import;
using CivicGrid.Modules.Registry.Persons;
using CivicGrid.Tests.Identity;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace CivicGrid.Tests.Registry;

/// <summary>The person ledger import (issue #6) on both databases: API, rejects, re-upload, encodings, errors, CLI, export.</summary>
public sealed class LedgerImportTests
{
    private const string Kundulun = "150203";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_ledger_with_5_percent_broken_rows_imports_the_rest_and_the_fixed_rejects_complete_it_without_duplicates(
        DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys());
        var (townshipA, gridsA, gridB) = await PlacesAsync(app);
        var township = await app.ClientAsAsync(Roles.Township, townshipA);

        var rows = DemoLedger.Rows(400, gridsA, brokenShare: 0.05).ToList();
        var outside = DemoLedger.Rows(1, [gridB], offset: 5000).Single();
        var broken = rows.Where(r => r.Breakage is not null).ToList();
        broken.Should().HaveCount(20);
        var file = Csv(rows.Select(r => r.Cells).Append(outside.Cells), Encoding.UTF8);

        // The dry run previews and writes nothing.
        var preview = await (await UploadAsync(township, file, "台账.csv", dryRun: true)).JsonAsync();
        preview.GetProperty("preview").GetArrayLength().Should().Be(20);
        preview.GetProperty("imported").GetInt32().Should().Be(380);
        (await CountAsync(township, townshipA)).Should().Be(0);
        var previewed = preview.GetProperty("preview").EnumerateArray().Single(p => p.GetProperty("row").GetInt32() == broken[0].Index + 2);
        previewed.GetProperty("problems").GetArrayLength().Should().Be(1);

        var response = await UploadAsync(township, file, "台账.csv");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var report = await response.JsonAsync();
        report.GetProperty("imported").GetInt32().Should().Be(380);
        report.GetProperty("rejected").GetInt32().Should().Be(21);
        var errors = report.GetProperty("errors").EnumerateArray()
            .Select(e => (Row: e.GetProperty("row").GetInt32(), Column: e.GetProperty("column").GetString(), Reason: e.GetProperty("reason").GetString()!))
            .ToList();
        errors.Should().HaveCount(21, "one error per broken row, each in the column that is broken");
        foreach (var row in broken)
        {
            // Row numbers as Excel shows them: the header is row 1.
            errors.Should().ContainSingle(e => e.Row == row.Index + 2 && e.Column == row.Column, row.Breakage);
        }
        errors.Single(e => e.Row == rows[9].Index + 2).Reason.Should().Contain("校验位");
        errors.Should().Contain(e => e.Column == "公民身份号码" && e.Reason.Contains("与第 2 行重复"));
        errors.Should().Contain(e => e.Column == "网格编码" && e.Reason.Contains(DemoLedger.UnknownGrid));
        errors.Single(e => e.Row == 402).Should().Be((402, "网格编码", $"没有网格 {gridB}"), "a row outside the caller's jurisdiction is a row error");
        (await CountAsync(township, townshipA)).Should().Be(380);

        // The rejects: the original columns, the row and the reason.
        var rejectsUrl = report.GetProperty("rejectsUrl").GetString()!;
        var rejects = await township.GetPathAsync(rejectsUrl);
        rejects.StatusCode.Should().Be(HttpStatusCode.OK);
        var rejectRows = MiniExcel.Query(new MemoryStream(await rejects.Content.ReadAsByteArrayAsync(Ct)), useHeaderRow: true)
            .Cast<IDictionary<string, object?>>().ToList();
        rejectRows.Should().HaveCount(21);
        rejectRows[0].Keys.Should().StartWith(DemoLedger.Headers).And.Contain(RejectSpool.ReasonColumn);
        rejectRows.Should().OnlyContain(r => !string.IsNullOrEmpty(r[RejectSpool.ReasonColumn] as string));
        (await (await app.ClientAsAsync(Roles.Township, townshipA, "someone-else")).GetPathAsync(rejectsUrl)).StatusCode
            .Should().Be(HttpStatusCode.NotFound, "the rejects are their importer's");

        // The community fixes the rejected rows in the rejects file (as .xlsx) and uploads only those.
        var fixedRows = broken.Select(r => r.Fixed).ToList();
        using (var fixedFile = new MemoryStream())
        {
            DemoLedger.WriteXlsx(fixedFile, fixedRows);
            var again = await (await UploadAsync(township, fixedFile.ToArray(), "更正.xlsx")).JsonAsync();
            again.GetProperty("format").GetString().Should().Be("xlsx");
            again.GetProperty("imported").GetInt32().Should().Be(20);
            again.GetProperty("rejected").GetInt32().Should().Be(0);
        }
        (await CountAsync(township, townshipA)).Should().Be(400, "the set is complete, without duplicates");

        // The same file again: nothing new, nothing doubled; a changed phone is an update.
        var same = await (await UploadAsync(township, file, "台账.csv")).JsonAsync();
        same.GetProperty("imported").GetInt32().Should().Be(0);
        same.GetProperty("updated").GetInt32().Should().Be(0);
        same.GetProperty("unchanged").GetInt32().Should().Be(380);
        var changed = rows.Where(r => r.Breakage is null).Take(3).Select(r => r.Cells.ToArray()).ToList();
        var tailBefore = (await (await township.GetPathAsync($"/api/v1/persons?last4=7531&within={townshipA}")).JsonAsync()).GetProperty("total").GetInt32();
        changed.ForEach(c => c[5] = "13904717531");
        var update = await (await UploadAsync(township, Csv(changed, Encoding.UTF8), "改.csv")).JsonAsync();
        update.GetProperty("updated").GetInt32().Should().Be(3);
        (await CountAsync(township, townshipA)).Should().Be(400);
        var found = await (await township.GetPathAsync($"/api/v1/persons?last4=7531&within={townshipA}")).JsonAsync();
        found.GetProperty("total").GetInt32().Should().Be(tailBefore + 3, "the updated phones are searchable by their tail");

        // Audited, and the list exports masked.
        var export = await township.GetPathAsync($"/api/v1/persons/export.xlsx?within={townshipA}");
        export.StatusCode.Should().Be(HttpStatusCode.OK);
        var exported = MiniExcel.Query(new MemoryStream(await export.Content.ReadAsByteArrayAsync(Ct)), useHeaderRow: true)
            .Cast<IDictionary<string, object?>>().ToList();
        exported.Should().HaveCount(400);
        exported.Should().OnlyContain(r => ((string)r["证件号码"]!).Contains("****"));
        var auditor = await app.AdminClientAsync(Kundulun);
        foreach (var action in new[] { "registry.persons_imported", "registry.persons_exported" })
        {
            (await (await auditor.GetPathAsync($"/api/v1/audit?action={action}")).Content.ReadAsStringAsync(Ct)).Should().Contain(action);
        }
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Csv_in_gb18030_or_utf8_with_bom_and_mapped_headers_import_and_bad_files_are_named(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys());
        var (townshipA, gridsA, _) = await PlacesAsync(app);
        var township = await app.ClientAsAsync(Roles.Township, townshipA);

        var gbRows = DemoLedger.Rows(5, gridsA, offset: 100).Select(r => r.Cells).ToList();
        var gb = await (await UploadAsync(township, Csv(gbRows, Encoding.GetEncoding("GB18030")), "gbk.csv")).JsonAsync();
        gb.GetProperty("encoding").GetString().Should().Be("GB18030");
        gb.GetProperty("imported").GetInt32().Should().Be(5, gb.ToString());
        var name = gbRows[0][0];
        (await (await township.GetPathAsync($"/api/v1/persons?q={Uri.EscapeDataString(name)}")).JsonAsync())
            .GetProperty("total").GetInt32().Should().BeGreaterThan(0, "the Chinese name survives GB18030");

        var bomRows = DemoLedger.Rows(4, gridsA, offset: 200).Select(r => r.Cells).ToList();
        var bom = await (await UploadAsync(township, Csv(bomRows, Encoding.UTF8, bom: true), "bom.csv")).JsonAsync();
        bom.GetProperty("encoding").GetString().Should().Be("UTF-8");
        bom.GetProperty("imported").GetInt32().Should().Be(4, bom.ToString());

        // Not a spreadsheet, a legacy .xls, missing columns: a clear error naming what is wrong.
        await ExpectFileErrorAsync(township, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "photo.png", "不是");
        await ExpectFileErrorAsync(township, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "old.xls", ".xls");
        await ExpectFileErrorAsync(township, Encoding.UTF8.GetBytes("姓名,性别\n张三,男\n"), "short.csv", "公民身份号码");

        // Unknown headers: a mapping step, remembered for the next file of the same template.
        var own = "人员姓名,身份证,所在网格编码\n" + string.Join('\n', DemoLedger.Rows(3, gridsA, offset: 300).Select(r => $"{r.Cells[0]},{r.Cells[1]},{r.Cells[8]}"));
        await ExpectFileErrorAsync(township, Encoding.UTF8.GetBytes(own), "own.csv", "缺少必需的列");
        var mapping = JsonSerializer.Serialize(new Dictionary<string, string> { ["人员姓名"] = "name", ["身份证"] = "idNumber", ["所在网格编码"] = "gridCode" });
        var mapped = await (await UploadAsync(township, Encoding.UTF8.GetBytes(own), "own.csv", mapping: mapping)).JsonAsync();
        mapped.GetProperty("imported").GetInt32().Should().Be(3, mapped.ToString());
        var own2 = "人员姓名,身份证,所在网格编码\n" + string.Join('\n', DemoLedger.Rows(2, gridsA, offset: 400).Select(r => $"{r.Cells[0]},{r.Cells[1]},{r.Cells[8]}"));
        var remembered = await (await UploadAsync(township, Encoding.UTF8.GetBytes(own2), "own2.csv")).JsonAsync();
        remembered.GetProperty("imported").GetInt32().Should().Be(2, "the template's mapping was remembered");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_cli_verb_ends_with_the_counts_and_writes_the_rejects_beside_the_file(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys());
        var (_, gridsA, _) = await PlacesAsync(app);
        var folder = Directory.CreateTempSubdirectory("ledger-");
        try
        {
            var path = Path.Combine(folder.FullName, "社区台账.xlsx");
            await using (var output = File.Create(path))
            {
                DemoLedger.WriteXlsx(output, DemoLedger.Rows(60, gridsA, brokenShare: 0.05, offset: 900).Select(r => r.Cells));
            }
            var (exit, output2, error) = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "import", "ledger", path, "--type", "person");
            output2.TrimEnd().Split('\n')[^1].Should().Be("imported 57, updated 0, rejected 3", output2 + error);
            exit.Should().Be(1);
            error.Should().Contain("row 11 [公民身份号码]");
            File.Exists(Path.Combine(folder.FullName, "社区台账.rejects.xlsx")).Should().BeTrue();

            var again = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "import", "ledger", path, "--type", "person");
            again.Out.TrimEnd().Split('\n')[^1].Should().Be("imported 0, updated 0, rejected 3");

            var missing = await CivicGridProcess.RunAsync(provider, app.ConnectionString, "import", "ledger", path + ".none", "--type", "person");
            missing.Exit.Should().Be(2);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_write_that_fails_midway_marks_the_run_failed_and_surfaces_the_database_error(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: Keys());
        var (_, gridsA, _) = await PlacesAsync(app);
        // 12,000 rows: PostgreSQL writes them in three chunks, SQLite in a first batch of one chunk and a
        // second of the rest. Row 11,001 makes the database refuse the last (a trigger), while the
        // reading side is already ahead of the writer.
        var rows = DemoLedger.Rows(12_000, gridsA, offset: 20_000).Select(r => r.Cells).ToList();
        rows[11_000][0] = "测试故障";
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Sqlite
            ? "CREATE TRIGGER fail_import BEFORE INSERT ON registry_persons WHEN NEW.\"Name\" = '测试故障' BEGIN SELECT RAISE(ABORT, 'import write refused'); END"
            : "CREATE FUNCTION fail_import() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.\"Name\" = '测试故障' THEN RAISE EXCEPTION 'import write refused'; END IF; RETURN NEW; END $$; "
              + "CREATE TRIGGER fail_import BEFORE INSERT ON registry_persons FOR EACH ROW EXECUTE FUNCTION fail_import()", Ct);

        var id = Guid.CreateVersion7();
        using var stream = new MemoryStream(Csv(rows, Encoding.UTF8));
        var rejects = Path.Combine(Path.GetTempPath(), $"{id}.rejects.xlsx");
        var import = () => scope.ServiceProvider.GetRequiredService<PersonImporter>()
            .ImportAsync(stream, new LedgerImportOptions("故障.csv", RejectsPath: rejects, Id: id), Ct);

        var thrown = await import.Should().ThrowAsync<Exception>();
        thrown.Which.Should().NotBeOfType<ChannelClosedException>("the database's own error reaches the caller");
        thrown.Which.Message.Should().Contain("import write refused");
        var run = await db.Set<ImportRun>().AsNoTracking().SingleAsync(r => r.Id == id, Ct);
        run.Status.Should().Be(ImportRun.Failed);
        run.FinishedAt.Should().NotBeNull();
        // The batches written before the refused one stay (PostgreSQL: two chunks of 5,000; SQLite: its first batch);
        // the refused one is rolled back whole.
        (await db.Set<Person>().IgnoreQueryFilters().CountAsync(Ct)).Should().Be(provider == DatabaseProvider.Sqlite ? 5_000 : 10_000);
    }

    static LedgerImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static Dictionary<string, string?> Keys() => new() { ["Security:KeyRingPath"] = PeopleData.NewKeyRingPath() };

    private static byte[] Csv(IEnumerable<string[]> rows, Encoding encoding, bool bom = false)
    {
        using var stream = new MemoryStream();
        DemoLedger.WriteCsv(stream, rows, encoding, bom);
        return stream.ToArray();
    }

    internal static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] file, string fileName, bool dryRun = false,
        string? mapping = null)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(file), "file", fileName);
        if (mapping is not null)
        {
            form.Add(new StringContent(mapping), "mapping");
        }
        return await client.PostAsync(new Uri($"/api/v1/imports/persons{(dryRun ? "?dryRun=true" : "")}", UriKind.Relative), form, Ct);
    }

    private static async Task ExpectFileErrorAsync(HttpClient client, byte[] file, string fileName, string expected)
    {
        var response = await UploadAsync(client, file, fileName);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
        var problem = await response.JsonAsync();
        problem.GetProperty("errors").GetProperty("file").EnumerateArray().Select(e => e.GetString()).Should()
            .Contain(m => m!.Contains(expected), body);
    }

    private static async Task<int> CountAsync(HttpClient client, string within) =>
        (await (await client.GetPathAsync($"/api/v1/persons?within={within}&pageSize=1")).JsonAsync()).GetProperty("total").GetInt32();

    private static async Task<(string TownshipA, List<string> GridsA, string GridB)> PlacesAsync(CivicGridApp app)
    {
        var admin = await app.AdminClientAsync(Kundulun);
        async Task<List<string>> Children(string code) => [.. (await (await admin.GetPathAsync($"/api/v1/divisions/{code}/children")).JsonAsync())
            .EnumerateArray().Select(c => c.GetProperty("code").GetString()!)];
        var townships = await Children(Kundulun);
        var gridsA = await Children((await Children(townships[0]))[0]);
        var gridB = (await Children((await Children(townships[1]))[0]))[0];
        return (townships[0], gridsA, gridB);
    }
}
