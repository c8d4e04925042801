using System.Text;
using System.Text.Unicode;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;

namespace CivicGrid.Modules.Registry.Import;

/// <summary>One data row of a ledger: its row number in the file (the header is row 1) and its cells as text.</summary>
internal readonly record struct LedgerRow(int Number, string?[] Cells);

/// <summary>
/// A ledger (台账) opened for streaming: .xlsx (<see cref="XlsxWorkbook"/> reads it row by row) or .csv in UTF-8, with
/// or without BOM, or GB18030/GBK as Excel saves it on a Chinese Windows. Neither is ever loaded
/// whole: the first sheet or the text is read as the rows are consumed.
/// </summary>
internal sealed class LedgerFile : IDisposable
{
    private const int SniffBytes = 64 * 1024;
    private static readonly Lazy<Encoding> Gb18030 = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    });

    private readonly Stream _stream;
    private readonly IEnumerator<LedgerRow> _rows;

    private LedgerFile(Stream stream, string format, string? encoding, IReadOnlyList<string> headers, IEnumerator<LedgerRow> rows)
    {
        _stream = stream;
        Format = format;
        EncodingName = encoding;
        Headers = headers;
        _rows = rows;
    }

    /// <summary><c>xlsx</c> or <c>csv</c>.</summary>
    public string Format { get; }

    /// <summary>The CSV's detected encoding (<c>UTF-8</c>, <c>GB18030</c>); null for xlsx.</summary>
    public string? EncodingName { get; }

    /// <summary>The header row, trimmed.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>The data rows after the header, read as they are enumerated (once).</summary>
    public IEnumerable<LedgerRow> Rows
    {
        get
        {
            while (_rows.MoveNext())
            {
                yield return _rows.Current;
            }
        }
    }

    /// <summary>
    /// Opens a seekable stream as a ledger; the stream is owned from then on. A sheet name picks an
    /// xlsx sheet (default the first). Fails with a sentence for a file that is neither, an unknown
    /// sheet or a file without a header row.
    /// </summary>
    public static LedgerFile Open(Stream stream, string fileName, string? sheet = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new LedgerFormatException("台账文件须可随机读取（请先保存为文件）");
        }
        Span<byte> magic = stackalloc byte[4];
        var read = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        var isZip = read == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (isZip)
        {
            return OpenXlsx(stream, sheet);
        }
        if (extension is ".xlsx" or ".xls" || read >= 4 && magic[0] == 0xD0 && magic[1] == 0xCF)
        {
            throw new LedgerFormatException(extension == ".xls" || magic[0] == 0xD0
                ? "不支持旧版 .xls 文件：请在 Excel 中另存为 .xlsx 或 .csv"
                : "文件不是有效的 .xlsx（Excel 工作簿）");
        }
        return OpenCsv(stream);
    }

    /// <summary><see cref="Open"/>, with a file that cannot be read as a 400 naming why (field <c>file</c>).</summary>
    public static Result<LedgerFile> TryOpen(Stream stream, string fileName, string? sheet)
    {
        try
        {
            return Open(stream, fileName, sheet);
        }
        catch (LedgerFormatException e)
        {
            return new FieldErrors().Add("file", e.Message).ToError("registry.import_unreadable", e.Message)!;
        }
    }

    public void Dispose()
    {
        _rows.Dispose();
        _stream.Dispose();
    }

    private static LedgerFile OpenXlsx(Stream stream, string? sheet)
    {
        XlsxWorkbook workbook;
        try
        {
            workbook = XlsxWorkbook.Open(stream);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Xml.XmlException)
        {
            throw new LedgerFormatException("文件不是有效的 .xlsx（Excel 工作簿）");
        }
        try
        {
            if (workbook.SheetNames.Count == 0)
            {
                throw new LedgerFormatException("工作簿中没有工作表");
            }
            if (sheet is not null && !workbook.SheetNames.Contains(sheet))
            {
                throw new LedgerFormatException($"工作簿中没有工作表“{sheet}”（有：{string.Join("、", workbook.SheetNames)}）");
            }
            var rows = XlsxRows(workbook, sheet ?? workbook.SheetNames[0]).GetEnumerator();
            return Start(stream, "xlsx", null, rows);
        }
        catch
        {
            workbook.Dispose();
            throw;
        }
    }

    private static IEnumerable<LedgerRow> XlsxRows(XlsxWorkbook workbook, string sheet)
    {
        using (workbook)
        {
            foreach (var row in workbook.Rows(sheet))
            {
                yield return row;
            }
        }
    }

    private static LedgerFile OpenCsv(Stream stream)
    {
        var encoding = DetectEncoding(stream);
        var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        var rows = CsvRows(reader).GetEnumerator();
        return Start(stream, "csv", encoding.WebName == "utf-8" ? "UTF-8" : "GB18030", rows);
    }

    private static IEnumerable<LedgerRow> CsvRows(StreamReader reader)
    {
        using (reader)
        {
            foreach (var row in CsvReader.Read(reader))
            {
                var cells = new string?[row.Fields.Count];
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = row.Fields[i];
                }
                yield return new LedgerRow(row.Line, cells);
            }
        }
    }

    /// <summary>BOM → UTF-8 (skipped); the first 64 KiB valid UTF-8 → UTF-8; else GB18030. A NUL byte means binary.</summary>
    internal static Encoding DetectEncoding(Stream stream)
    {
        var buffer = new byte[SniffBytes];
        var read = stream.ReadAtLeast(buffer, SniffBytes, throwOnEndOfStream: false);
        var sample = buffer.AsSpan(0, read);
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            stream.Position = 3;
            return new UTF8Encoding(false);
        }
        stream.Position = 0;
        if (sample.IndexOf((byte)0) >= 0)
        {
            throw new LedgerFormatException("文件不是 .xlsx 或 .csv 台账（含二进制内容）");
        }
        // A sample cut inside a multi-byte character is still UTF-8: drop up to three trailing bytes.
        for (var cut = 0; cut <= Math.Min(3, read); cut++)
        {
            if (Utf8.IsValid(sample[..(read - cut)]))
            {
                return new UTF8Encoding(false);
            }
            if (read < SniffBytes)
            {
                break;
            }
        }
        return Gb18030.Value;
    }

    private static LedgerFile Start(Stream stream, string format, string? encoding, IEnumerator<LedgerRow> rows)
    {
        try
        {
            while (rows.MoveNext())
            {
                var headers = rows.Current.Cells.Select(c => c?.Trim() ?? string.Empty).ToList();
                if (headers.Any(h => h.Length > 0))
                {
                    while (headers.Count > 0 && headers[^1].Length == 0)
                    {
                        headers.RemoveAt(headers.Count - 1);
                    }
                    return new LedgerFile(stream, format, encoding, headers, rows);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Xml.XmlException or DecoderFallbackException)
        {
            rows.Dispose();
            throw new LedgerFormatException("文件无法读取：" + e.Message);
        }
        rows.Dispose();
        throw new LedgerFormatException("文件中没有表头行");
    }
}

/// <summary>The file as a whole cannot be imported (not a spreadsheet, no such sheet, required columns missing).</summary>
internal sealed class LedgerFormatException(string message) : Exception(message);
