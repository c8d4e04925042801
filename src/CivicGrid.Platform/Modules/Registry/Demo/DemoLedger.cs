using System.Globalization;
using System.Text;
using CivicGrid.Modules.Identity.Contracts;
using MiniExcelLibs;

namespace CivicGrid.Modules.Registry.Demo;

/// <summary>
/// A realistic person ledger (台账) as communities keep it, for tests and the import benchmark: the
/// usual Chinese headers, DemoPersons' names, streets and phone prefixes, valid ID numbers (row i
/// has its own birth date and sequence, so numbers never repeat), and on request a share of rows
/// broken the ways real ledgers are (check digit, unknown grid, duplicate number, phone, date, name),
/// each with the fixed row beside it.
/// </summary>
internal static class DemoLedger
{
    public static readonly string[] Headers = ["姓名", "公民身份号码", "性别", "民族", "出生日期", "联系电话", "户籍地址", "现住址", "网格编码"];

    public const string UnknownGrid = "150203999999999";

    private static readonly DateOnly FirstBirth = new(1940, 1, 1);
    private static readonly string[] EthnicityNames = ["汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "蒙古族", "回族"];

    /// <summary>The broken kinds, in the order rows are broken; the column each breaks.</summary>
    public static readonly (string Kind, string Column)[] Breakages =
    [
        ("check-digit", "公民身份号码"), ("unknown-grid", "网格编码"), ("duplicate", "公民身份号码"), ("phone", "联系电话"),
        ("birth-date", "出生日期"), ("name", "姓名"),
    ];

    /// <summary>A row: its cells, and when broken, how (and the column it breaks) and the fixed cells.</summary>
    public sealed record Row(int Index, string[] Cells, string? Breakage, string? Column, string[] Fixed);

    /// <summary>
    /// <paramref name="count"/> rows spread over <paramref name="grids"/>; every
    /// <c>1/brokenShare</c>-th row (from the 10th on) broken. <paramref name="offset"/> shifts the
    /// numbers so two ledgers do not overlap.
    /// </summary>
    public static IEnumerable<Row> Rows(int count, IReadOnlyList<string> grids, double brokenShare = 0, int offset = 0)
    {
        var every = brokenShare > 0 ? (int)Math.Round(1 / brokenShare) : int.MaxValue;
        var broken = 0;
        for (var i = 0; i < count; i++)
        {
            var cells = Cells(i + offset, grids);
            if (brokenShare > 0 && i >= 9 && (i - 9) % every == 0)
            {
                var (kind, column) = Breakages[broken++ % Breakages.Length];
                var bad = (string[])cells.Clone();
                switch (kind)
                {
                    case "check-digit":
                        bad[1] = bad[1][..17] + (bad[1][17] == '0' ? '1' : '0');
                        break;
                    case "unknown-grid":
                        bad[8] = UnknownGrid;
                        break;
                    case "duplicate":
                        // The first row's person again under another name: same number, sex and birth date.
                        var first = Cells(offset, grids);
                        (bad[1], bad[2], bad[4]) = (first[1], first[2], first[4]);
                        break;
                    case "phone":
                        bad[5] = "1380471";
                        break;
                    case "birth-date":
                        bad[4] = "1990-13-45";
                        break;
                    default:
                        bad[0] = string.Empty;
                        break;
                }
                yield return new Row(i, bad, kind, column, cells);
            }
            else
            {
                yield return new Row(i, cells, null, null, cells);
            }
        }
    }

    /// <summary>Writes rows as CSV with the headers (the given encoding; a BOM if asked).</summary>
    public static void WriteCsv(Stream output, IEnumerable<string[]> rows, Encoding encoding, bool bom = false)
    {
        if (bom)
        {
            output.Write(encoding.GetPreamble());
        }
        using var writer = new StreamWriter(output, encoding.WebName == "utf-8" ? new UTF8Encoding(false) : encoding, 64 * 1024, leaveOpen: true);
        writer.Write(string.Join(',', Headers));
        writer.Write("\r\n");
        foreach (var row in rows)
        {
            writer.Write(string.Join(',', row.Select(c => c.Contains(',', StringComparison.Ordinal) ? $"\"{c}\"" : c)));
            writer.Write("\r\n");
        }
    }

    /// <summary>Writes rows as an .xlsx (text cells: ID numbers and phones keep every digit).</summary>
    public static void WriteXlsx(Stream output, IEnumerable<string[]> rows) =>
        MiniExcel.SaveAs(output, rows.Select(r =>
        {
            var row = new Dictionary<string, object?>(Headers.Length);
            for (var i = 0; i < Headers.Length; i++)
            {
                row[Headers[i]] = r[i];
            }
            return row;
        }), sheetName: "实有人口", excelType: ExcelType.XLSX);

    private static string[] Cells(int i, IReadOnlyList<string> grids)
    {
        var rng = new Random(i * 7919 + 17);
        var born = FirstBirth.AddDays(i % 29_000);
        var sequence = 2 + (i / 29_000 % 498 * 2) + rng.Next(2);
        var sex = sequence % 2 == 1 ? Sex.Male : Sex.Female;
        var number = DemoPersons.IdCardNumber("150203", born, sequence);
        var given = sex == Sex.Male ? DemoPersons.GivenMale : DemoPersons.GivenFemale;
        var name = string.Concat(DemoPersons.Surnames[rng.Next(DemoPersons.Surnames.Length)].ToString(),
            given[rng.Next(given.Length)].ToString(), rng.Next(3) == 0 ? string.Empty : given[rng.Next(given.Length)].ToString());
        var street = DemoPersons.Streets[rng.Next(DemoPersons.Streets.Length)];
        return
        [
            name, number, sex == Sex.Male ? "男" : "女", EthnicityNames[rng.Next(EthnicityNames.Length)],
            born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DemoPersons.MobilePrefixes[rng.Next(DemoPersons.MobilePrefixes.Length)] + rng.Next(100_000_000).ToString("D8", CultureInfo.InvariantCulture),
            string.Create(CultureInfo.InvariantCulture, $"内蒙古自治区包头市昆都仑区{street}{1 + rng.Next(300)}号"),
            string.Create(CultureInfo.InvariantCulture, $"昆都仑区{street}{1 + rng.Next(300)}号{1 + rng.Next(30)}栋{1 + rng.Next(6)}单元{1 + rng.Next(18)}{1 + rng.Next(4):D2}室"),
            grids[i % grids.Count],
        ];
    }
}
