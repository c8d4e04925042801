using System.IO.Compression;
using System.Security;
using System.Text;

namespace CivicGrid.Benchmarks;

/// <summary>
/// Writes rows as an .xlsx the way Excel saves one: every text in the shared-strings part, each cell
/// a reference to it (MiniExcel, which writes the demo ledgers, puts the text in the cells instead).
/// For timing the import's reader on what communities upload.
/// </summary>
internal static class SharedStringsXlsx
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static void Write(Stream output, IEnumerable<string[]> rows)
    {
        var strings = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        using (var sheet = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open(), new UTF8Encoding(false)))
        {
            sheet.Write($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{Main}" xmlns:r="{Relations}"><sheetData>""");
            var number = 0;
            foreach (var row in rows)
            {
                number++;
                sheet.Write($"<row r=\"{number}\">");
                for (var i = 0; i < row.Length; i++)
                {
                    if (!strings.TryGetValue(row[i], out var index))
                    {
                        index = strings[row[i]] = order.Count;
                        order.Add(row[i]);
                    }
                    sheet.Write($"<c r=\"{(char)('A' + i)}{number}\" t=\"s\"><v>{index}</v></c>");
                }
                sheet.Write("</row>");
            }
            sheet.Write("</sheetData></worksheet>");
        }
        Part(zip, "xl/sharedStrings.xml", writer =>
        {
            writer.Write($"""<sst xmlns="{Main}" count="{order.Count}" uniqueCount="{order.Count}">""");
            foreach (var text in order)
            {
                writer.Write($"<si><t>{SecurityElement.Escape(text)}</t></si>");
            }
            writer.Write("</sst>");
        });
        Part(zip, "[Content_Types].xml", writer => writer.Write("""
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>
            """));
        Part(zip, "_rels/.rels", writer => writer.Write($"""
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{Relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """));
        Part(zip, "xl/workbook.xml", writer => writer.Write($"""
            <workbook xmlns="{Main}" xmlns:r="{Relations}"><sheets><sheet name="实有人口" sheetId="1" r:id="rId1"/></sheets></workbook>
            """));
        Part(zip, "xl/_rels/workbook.xml.rels", writer => writer.Write($"""
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{Relations}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{Relations}/sharedStrings" Target="sharedStrings.xml"/></Relationships>
            """));
    }

    private static void Part(ZipArchive zip, string path, Action<StreamWriter> write)
    {
        using var writer = new StreamWriter(zip.CreateEntry(path, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        writer.Write("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""");
        write(writer);
    }
}
