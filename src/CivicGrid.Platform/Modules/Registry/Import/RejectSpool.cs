using System.Text;
using CivicGrid.Infrastructure.Data;
using MiniExcelLibs;

namespace CivicGrid.Modules.Registry.Import;

/// <summary>
/// The rejected rows, spooled to a temporary CSV while the file streams (memory stays flat however
/// many are bad), then written as an .xlsx: the original columns, so the fixed file re-imports as it
/// is, then 原行号 and 错误原因.
/// </summary>
internal sealed class RejectSpool(IReadOnlyList<string> headers) : IAsyncDisposable
{
    public const string RowColumn = "原行号";
    public const string ReasonColumn = "错误原因";

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"civicgrid-rejects-{Guid.NewGuid():N}.csv");
    private StreamWriter? _writer;

    public void Add(LedgerRow row, IReadOnlyList<ImportRowError> problems)
    {
        _writer ??= new StreamWriter(_path, false, new UTF8Encoding(false));
        var reason = string.Join("；", problems.Select(p => $"{p.Column}：{p.Reason}"));
        var fields = new List<string?>(headers.Count + 2);
        for (var i = 0; i < headers.Count; i++)
        {
            fields.Add(i < row.Cells.Length ? row.Cells[i] : null);
        }
        fields.Add(row.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        fields.Add(reason);
        _writer.Write(string.Join(',', fields.Select(Quote)));
        _writer.Write('\n');
    }

    /// <summary>Writes the spooled rows as an .xlsx at <paramref name="path"/> (its folder is created).</summary>
    public async Task SaveAsync(string path, CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            return;
        }
        await _writer.DisposeAsync();
        _writer = null;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var names = UniqueNames();
        await using var output = File.Create(path);
        await MiniExcel.SaveAsAsync(output, Rows(names), sheetName: "被拒绝的行", excelType: ExcelType.XLSX, cancellationToken: cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }
        File.Delete(_path);
    }

    private IEnumerable<IDictionary<string, object?>> Rows(string[] names)
    {
        using var reader = new StreamReader(_path, Encoding.UTF8);
        foreach (var record in CsvReader.Read(reader))
        {
            var row = new Dictionary<string, object?>(names.Length);
            for (var i = 0; i < names.Length; i++)
            {
                row[names[i]] = i < record.Fields.Count && record.Fields[i].Length > 0 ? record.Fields[i] : null;
            }
            yield return row;
        }
    }

    private string[] UniqueNames()
    {
        var names = new List<string>();
        foreach (var header in headers.Append(RowColumn).Append(ReasonColumn))
        {
            var name = header.Length == 0 ? $"列{names.Count + 1}" : header;
            while (names.Contains(name))
            {
                name += "_";
            }
            names.Add(name);
        }
        return [.. names];
    }

    private static string Quote(string? value) =>
        value is null ? string.Empty : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
