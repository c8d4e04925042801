using System.IO.Compression;
using System.Text;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Modules.Registry.Import;
using MiniExcelLibs;

namespace CivicGrid.Tests.Registry;

/// <summary>The .xlsx reader of the ledger import, on workbooks written the way Excel and WPS write them.</summary>
public sealed class XlsxWorkbookTests
{
    private const string Transitional = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string TransitionalRelations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string Strict = "http://purl.oclc.org/ooxml/spreadsheetml/main";
    private const string StrictRelations = "http://purl.oclc.org/ooxml/officeDocument/relationships";

    [Fact]
    public void Shared_strings_rich_text_phonetic_runs_dates_numbers_and_gaps_read_as_typed()
    {
        // As Excel on a Chinese Windows saves it: shared strings (one with rich-text runs, one with a
        // 拼音指南 phonetic run), a built-in date format (14), a Chinese custom date format, a number
        // that is a phone, a decimal, a boolean, a formula's cached text, an inline string, a cell
        // left out (C2), and a row left out (3).
        using var file = Workbook(
            sheet: """
                <sheetData>
                  <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>
                  <row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" s="1"><v>32874</v></c><c r="D2"><v>13800138000</v></c><c r="F2" s="2"><v>45266.75</v></c></row>
                  <row r="4" spans="1:6"><c r="A4" t="s"><v>5</v></c><c r="B4"><v>1.5</v></c><c r="C4" t="b"><v>1</v></c><c r="D4" t="str"><f>A4&amp;"x"</f><v>王五x</v></c><c r="E4" t="inlineStr"><is><t xml:space="preserve"> 内联 </t></is></c><c r="F4" s="3"><v>7</v></c></row>
                  <row r="5"/>
                </sheetData>
                """,
            sharedStrings: """
                <si><t>姓名</t></si>
                <si><t>出生日期</t></si>
                <si><r><rPr><b/></rPr><t>联系</t></r><r><t>电话</t></r></si>
                <si><t>手机号码</t></si>
                <si><t>张三</t><rPh sb="0" eb="2"><t>zhang san</t></rPh><phoneticPr fontId="1"/></si>
                <si><t>王五</t></si>
                """,
            styles: """
                <numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="177" formatCode="[Red]0.00_ ;&quot;-&quot;0.00"/></numFmts>
                <cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="177"/></cellXfs>
                """);
        using var workbook = XlsxWorkbook.Open(file);

        workbook.SheetNames.Should().Equal("人员", "说明");
        var rows = workbook.Rows("人员").ToList();

        rows.Select(r => r.Number).Should().Equal(1, 2, 4, 5);
        rows[0].Cells.Should().Equal("姓名", "出生日期", "联系电话", "手机号码");
        rows[1].Cells.Should().Equal("张三", "1990-01-01", null, "13800138000", null, "2023-12-06");
        rows[2].Cells.Should().Equal("王五", "1.5", "TRUE", "王五x", " 内联 ", "7");
        rows[3].Cells.Should().BeEmpty();
        workbook.Rows("说明").Single().Cells.Should().Equal("只读第一张");
    }

    [Fact]
    public void Large_shared_strings_are_read_back_from_a_temporary_file()
    {
        // 20,000 shared strings (a ledger's names, numbers and addresses), held on disk past the limit.
        var strings = Enumerable.Range(0, 20_000).Select(i => $"<si><t>居民{i}号·{new string('住', i % 7)}</t></si>");
        var rows = Enumerable.Range(0, 20_000).Select(i => $"<row r=\"{i + 1}\"><c r=\"A{i + 1}\" t=\"s\"><v>{19_999 - i}</v></c></row>");
        using var file = Workbook(sheet: $"<sheetData>{string.Concat(rows)}</sheetData>", sharedStrings: string.Concat(strings));
        var temporary = Directory.GetFiles(Path.GetTempPath(), "civicgrid-sst-*").Length;

        using (var workbook = XlsxWorkbook.Open(file, inMemorySharedStrings: 1024))
        {
            var read = workbook.Rows("人员").Select(r => r.Cells.Single()).ToList();

            read.Should().HaveCount(20_000);
            read[0].Should().Be($"居民19999号·{new string('住', 19_999 % 7)}");
            read[19_999].Should().Be("居民0号·");
            read[12_345].Should().Be($"居民7654号·{new string('住', 7654 % 7)}");
            Directory.GetFiles(Path.GetTempPath(), "civicgrid-sst-*").Length.Should().BeGreaterThan(temporary, "the strings are on disk");
        }
        Directory.GetFiles(Path.GetTempPath(), "civicgrid-sst-*").Length.Should().BeLessThanOrEqualTo(temporary, "the file goes with the workbook");
    }

    [Fact]
    public void A_strict_open_xml_workbook_reads_like_a_transitional_one()
    {
        // Excel's "Strict Open XML Spreadsheet": other namespaces for the parts and the relationships.
        using var file = Workbook(
            sheet: """<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>13800138000</v></c></row></sheetData>""",
            sharedStrings: "<si><t>张三</t></si>",
            strict: true);
        using var workbook = XlsxWorkbook.Open(file);

        workbook.SheetNames.Should().Equal("人员", "说明");
        workbook.Rows("人员").Single().Cells.Should().Equal("张三", "13800138000");
    }

    [Fact]
    public void A_damaged_package_that_repeats_a_relationship_id_still_opens_on_the_first()
    {
        using var file = Workbook(sheet: """<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row></sheetData>""",
            repeatedId: true);
        using var workbook = XlsxWorkbook.Open(file);

        workbook.Rows("人员").Single().Cells.Should().Equal("姓名");
    }

    [Fact]
    public void The_1904_date_system_is_honoured()
    {
        using var file = Workbook(
            sheet: """<sheetData><row r="1"><c r="A1" s="1"><v>31412</v></c></row></sheetData>""",
            styles: """<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>""",
            date1904: true);
        using var workbook = XlsxWorkbook.Open(file);

        // 31,412 days after 1904-01-01 (Excel for Mac's old default) is 1990-01-01.
        workbook.Rows("人员").Single().Cells.Should().Equal("1990-01-01");
    }

    [Theory]
    [InlineData("yyyy/m/d", true)]
    [InlineData("yyyy\"年\"m\"月\"d\"日\"", true)]
    [InlineData("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", true)]
    [InlineData("h:mm:ss", true)]
    [InlineData("General", false)]
    [InlineData("0.00E+00", false)]
    [InlineData("[Red]0.00", false)]
    [InlineData("\"m²\"0", false)]
    [InlineData("@", false)]
    public void A_custom_format_is_a_date_when_it_shows_one(string code, bool isDate) =>
        XlsxWorkbook.IsDateFormat(code).Should().Be(isDate);

    [Theory]
    [InlineData("A1", 0)]
    [InlineData("Z9", 25)]
    [InlineData("AA10", 26)]
    [InlineData("XFD1048576", 16_383)]
    [InlineData(null, 4)]
    public void A_cell_reference_names_its_column(string? reference, int column) =>
        XlsxWorkbook.Column(Encoding.UTF8.GetBytes(reference ?? string.Empty), previous: 3).Should().Be(column);

    [Fact]
    public void A_workbook_MiniExcel_writes_reads_the_same_through_both()
    {
        // The demo ledger as the platform's own exports write it (inline strings, no styles part
        // for the text cells): the rows read here are those MiniExcel reads.
        using var file = new MemoryStream();
        DemoLedger.WriteXlsx(file, DemoLedger.Rows(300, ["150203001001001", "150203001001002"]).Select(r => r.Cells));
        file.Position = 0;
        var expected = MiniExcel.Query(file, useHeaderRow: false, excelType: ExcelType.XLSX)
            .Select(r => ((IDictionary<string, object?>)r).Values.Select(v => v?.ToString()).ToArray())
            .ToList();
        file.Position = 0;

        using var workbook = XlsxWorkbook.Open(file);
        var rows = workbook.Rows(workbook.SheetNames[0]).ToList();

        rows.Should().HaveCount(expected.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Number.Should().Be(i + 1);
            rows[i].Cells.Should().Equal(expected[i].Take(rows[i].Cells.Length), $"row {i + 1}");
            expected[i].Skip(rows[i].Cells.Length).Should().OnlyContain(v => string.IsNullOrEmpty(v));
        }
    }

    [Fact]
    public void A_zip_that_is_not_a_workbook_is_refused_in_words()
    {
        using var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open());
            writer.Write("not a workbook");
        }
        file.Position = 0;

        var opened = LedgerFile.TryOpen(file, "台账.xlsx", null);

        opened.IsSuccess.Should().BeFalse();
        opened.Error!.Message.Should().Contain("不是有效的 .xlsx");
        opened.Error.Fields.Should().ContainKey("file");
    }

    /// <summary>A two-sheet workbook with the parts Excel writes, each given as its inner XML.</summary>
    private static MemoryStream Workbook(string sheet, string? sharedStrings = null, string? styles = null, bool date1904 = false,
        bool strict = false, bool repeatedId = false)
    {
        var main = strict ? Strict : Transitional;
        var relations = strict ? StrictRelations : TransitionalRelations;
        var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Part(string path, string xml)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path).Open(), new UTF8Encoding(false));
                writer.Write("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""" + "\n" + xml);
            }
            Part("_rels/.rels", $"""
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                  <Relationship Id="rId1" Type="{relations}/officeDocument" Target="xl/workbook.xml"/>
                </Relationships>
                """);
            // Targets as Excel writes them (relative) and as some tools do (absolute).
            Part("xl/_rels/workbook.xml.rels", $"""
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                  <Relationship Id="rId2" Type="{relations}/worksheet" Target="worksheets/sheet2.xml"/>
                  <Relationship Id="rId1" Type="{relations}/worksheet" Target="/xl/worksheets/sheet1.xml"/>
                  <Relationship Id="rId3" Type="{relations}/sharedStrings" Target="sharedStrings.xml"/>
                  <Relationship Id="rId4" Type="{relations}/styles" Target="styles.xml"/>
                  {(repeatedId ? $"<Relationship Id=\"rId1\" Type=\"{relations}/worksheet\" Target=\"worksheets/missing.xml\"/>" : string.Empty)}
                </Relationships>
                """);
            Part("xl/workbook.xml", $"""
                <workbook xmlns="{main}" xmlns:r="{relations}">
                  <workbookPr{(date1904 ? " date1904=\"1\"" : string.Empty)}/>
                  <sheets><sheet name="人员" sheetId="1" r:id="rId1"/><sheet name="说明" sheetId="2" r:id="rId2"/></sheets>
                </workbook>
                """);
            Part("xl/worksheets/sheet1.xml", $"""<worksheet xmlns="{main}"><dimension ref="A1:F5"/>{sheet}</worksheet>""");
            Part("xl/worksheets/sheet2.xml", $"""
                <x:worksheet xmlns:x="{main}"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>只读第一张</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>
                """);
            if (sharedStrings is not null)
            {
                Part("xl/sharedStrings.xml", $"""<sst xmlns="{main}">{sharedStrings}</sst>""");
            }
            if (styles is not null)
            {
                Part("xl/styles.xml", $"""<styleSheet xmlns="{main}">{styles}</styleSheet>""");
            }
        }
        file.Position = 0;
        return file;
    }
}
