using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace CivicGrid.Modules.Registry.Import;

/// <summary>
/// An .xlsx workbook read for its cell text, sheet by sheet, row by row (docs/adr/0028). Only what a
/// ledger needs: sheet names in workbook order, shared and inline strings (phonetic runs, 拼音指南,
/// left out), numbers as typed, and date-formatted cells as <c>yyyy-MM-dd</c> (1900 and 1904 date
/// systems). The sheet and the shared strings are streamed from the zip with an <see cref="XmlScanner"/>
/// (their bytes, docs/adr/0031), the small parts read with an <see cref="XmlReader"/>; only the shared
/// strings are held (in memory, or for a large workbook in a temporary file).
/// </summary>
internal sealed class XlsxWorkbook : IDisposable
{
    /// <summary>Excel's last column (XFD); cells beyond it are not Excel's and are ignored.</summary>
    private const int MaxColumns = 16_384;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, string> _sheetPaths;
    private readonly string? _sharedStringsPath;
    private readonly string? _stylesPath;
    private readonly bool _date1904;
    private readonly long _inMemorySharedStrings;
    private SharedStrings? _sharedStrings;
    private bool[]? _dateStyles;

    private XlsxWorkbook(ZipArchive zip, List<string> sheetNames, Dictionary<string, string> sheetPaths, string? sharedStrings,
        string? styles, bool date1904, long inMemorySharedStrings)
    {
        _inMemorySharedStrings = inMemorySharedStrings;
        _zip = zip;
        SheetNames = sheetNames;
        _sheetPaths = sheetPaths;
        _sharedStringsPath = sharedStrings;
        _stylesPath = styles;
        _date1904 = date1904;
    }

    /// <summary>The sheets' names, in the workbook's order.</summary>
    public IReadOnlyList<string> SheetNames { get; }

    /// <summary>
    /// Opens the workbook of a seekable stream (left open). Throws <see cref="InvalidDataException"/> for
    /// a zip that is not a workbook, and the zip's or XML's own exception for a damaged one.
    /// </summary>
    /// <param name="stream">The workbook.</param>
    /// <param name="inMemorySharedStrings">Up to how many bytes of shared-strings XML are held in memory; past it they go to a temporary file.</param>
    public static XlsxWorkbook Open(Stream stream, long inMemorySharedStrings = 16 * 1024 * 1024)
    {
        var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        try
        {
            var workbookPath = Relationships(zip, "_rels/.rels", string.Empty)
                .Where(r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Select(r => r.Target).FirstOrDefault() ?? "xl/workbook.xml";
            var folder = workbookPath.Contains('/', StringComparison.Ordinal) ? workbookPath[..(workbookPath.LastIndexOf('/') + 1)] : string.Empty;
            var relationships = Relationships(zip, folder + "_rels/" + workbookPath[folder.Length..] + ".rels", folder);
            // A damaged package may repeat an id: the first one counts (no exception other than the file's own).
            var targets = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (id, _, target) in relationships)
            {
                targets.TryAdd(id, target);
            }
            var names = new List<string>();
            var paths = new Dictionary<string, string>(StringComparer.Ordinal);
            var date1904 = false;
            using (var reader = XmlReader.Create(Entry(zip, workbookPath)?.Open()
                                                 ?? throw new InvalidDataException("the zip has no workbook part"), Settings))
            {
                while (reader.Read())
                {
                    if (reader.NodeType != XmlNodeType.Element)
                    {
                        continue;
                    }
                    if (reader.LocalName == "workbookPr")
                    {
                        date1904 = reader.GetAttribute("date1904") is "1" or "true";
                    }
                    else if (reader.LocalName == "sheet" && reader.GetAttribute("name") is { } name
                             && RelationshipId(reader) is { } id && targets.TryGetValue(id, out var target))
                    {
                        names.Add(name);
                        paths.TryAdd(name, target);
                    }
                }
            }
            string? Part(string type) => relationships.Where(r => r.Type.EndsWith(type, StringComparison.Ordinal)).Select(r => r.Target).FirstOrDefault();
            return new XlsxWorkbook(zip, names, paths, Part("/sharedStrings"), Part("/styles"), date1904, inMemorySharedStrings);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The rows of a sheet, each with its number in the sheet (row 1 is the first) and its cells'
    /// text by column (A is 0; missing cells null, the array as long as the row's last cell).
    /// Rows the sheet leaves out are not returned.
    /// </summary>
    public IEnumerable<LedgerRow> Rows(string sheet)
    {
        if (!_sheetPaths.TryGetValue(sheet, out var path) || Entry(_zip, path) is not { } entry)
        {
            throw new InvalidDataException($"工作簿中的工作表“{sheet}”缺少内容");
        }
        var strings = _sharedStrings ??= ReadSharedStrings();
        var dates = _dateStyles ??= ReadDateStyles();
        return ReadRows(entry, strings, dates, _date1904);
    }

    public void Dispose()
    {
        _sharedStrings?.Dispose();
        _zip.Dispose();
    }

    private static IEnumerable<LedgerRow> ReadRows(ZipArchiveEntry entry, SharedStrings strings, bool[] dates, bool date1904)
    {
        using var reader = new XmlScanner(entry.Open());
        foreach (var row in ReadRows(reader, strings, dates, date1904))
        {
            yield return row;
        }
    }

    /// <summary>The rows of a worksheet part (its <c>sheetData</c>).</summary>
    private static IEnumerable<LedgerRow> ReadRows(XmlScanner reader, SharedStrings strings, bool[] dates, bool date1904)
    {
        while (true)
        {
            var token = reader.Read();
            if (token == XmlToken.EndOfFile)
            {
                yield break;
            }
            if (token == XmlToken.Element && reader.LocalName.SequenceEqual("sheetData"u8))
            {
                break;
            }
        }
        if (reader.IsEmptyElement)
        {
            yield break;
        }
        var sheetData = reader.Depth;
        var number = 0;
        var cells = new List<string?>(16);
        while (true)
        {
            var token = reader.Read();
            if (token == XmlToken.EndElement && reader.Depth < sheetData)
            {
                yield break;
            }
            if (token != XmlToken.Element || !reader.LocalName.SequenceEqual("row"u8))
            {
                continue;
            }
            number = reader.TryGetRawAttribute("r"u8, out var r) && XmlScanner.TryParseNumber(r, out var n) && n > number ? n : number + 1;
            cells.Clear();
            if (!reader.IsEmptyElement)
            {
                var row = reader.Depth;
                var column = -1;
                while (reader.Read() != XmlToken.EndElement || reader.Depth >= row)
                {
                    if (reader.Token != XmlToken.Element || !reader.LocalName.SequenceEqual("c"u8))
                    {
                        continue;
                    }
                    column = reader.TryGetRawAttribute("r"u8, out var reference) ? Column(reference, column) : column + 1;
                    var type = reader.TryGetRawAttribute("t"u8, out var t) ? CellType(t, reader) : null;
                    var style = reader.TryGetRawAttribute("s"u8, out var s) && XmlScanner.TryParseNumber(s, out var index) ? index : -1;
                    string? text = null;
                    if (!reader.IsEmptyElement)
                    {
                        var cell = reader.Depth;
                        while (reader.Read() != XmlToken.EndElement || reader.Depth >= cell)
                        {
                            if (reader.Token != XmlToken.Element)
                            {
                                continue;
                            }
                            if (reader.LocalName.SequenceEqual("v"u8))
                            {
                                text = Value(reader.ReadContent(), type, style, strings, dates, date1904);
                            }
                            else if (reader.LocalName.SequenceEqual("is"u8))
                            {
                                text = RichText(reader);
                            }
                            else
                            {
                                reader.Skip(); // a formula, an extension: its cached value is the <v>
                            }
                        }
                    }
                    if (column >= MaxColumns || text is null)
                    {
                        continue;
                    }
                    while (cells.Count < column)
                    {
                        cells.Add(null);
                    }
                    if (cells.Count == column)
                    {
                        cells.Add(text);
                    }
                    else
                    {
                        cells[column] = text;
                    }
                }
            }
            yield return new LedgerRow(number, [.. cells]);
        }
    }

    /// <summary>A cell's <c>t</c> as one of the strings <see cref="Value"/> knows (no string made for those).</summary>
    private static string CellType(ReadOnlySpan<byte> raw, XmlScanner reader) => raw switch
    {
        [(byte)'s'] => "s",
        [(byte)'n'] => "n",
        [(byte)'b'] => "b",
        [(byte)'e'] => "e",
        [(byte)'d'] => "d",
        [(byte)'s', (byte)'t', (byte)'r'] => "str",
        _ when raw.SequenceEqual("inlineStr"u8) => "inlineStr",
        _ => reader.Attribute("t"u8) ?? string.Empty,
    };

    /// <summary>
    /// A sheet's <c>r:id</c>, in the transitional namespace Excel writes by default or the strict one
    /// ("Strict Open XML" workbooks).
    /// </summary>
    private static string? RelationshipId(XmlReader reader)
    {
        for (var i = 0; i < reader.AttributeCount; i++)
        {
            reader.MoveToAttribute(i);
            if (reader.LocalName == "id" && reader.NamespaceURI.EndsWith("/relationships", StringComparison.Ordinal))
            {
                var id = reader.Value;
                reader.MoveToElement();
                return id;
            }
        }
        reader.MoveToElement();
        return null;
    }

    /// <summary>A cell reference's column (<c>B7</c> → 1); without a reference, the one after the previous cell.</summary>
    internal static int Column(ReadOnlySpan<byte> reference, int previous)
    {
        var column = 0;
        foreach (var c in reference)
        {
            var letter = c | 0x20;
            if (letter is < 'a' or > 'z')
            {
                break;
            }
            column = column * 26 + (letter - 'a' + 1);
            if (column > MaxColumns)
            {
                return MaxColumns;
            }
        }
        return column == 0 ? previous + 1 : column - 1;
    }

    /// <summary>A cell's <c>&lt;v&gt;</c> as the person typing it meant it.</summary>
    private static string? Value(string value, string? type, int style, SharedStrings strings, bool[] dates, bool date1904)
    {
        switch (type)
        {
            case "s":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? strings[i] : null;
            case "str" or "inlineStr" or "e":
                return value;
            case "b":
                return value is "1" or "true" ? "TRUE" : "FALSE";
            case "d":
                return DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date)
                    ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : value;
        }
        if (value.Length == 0)
        {
            return null;
        }
        var isDate = style >= 0 && style < dates.Length && dates[style];
        if (!isDate && IsDigits(value))
        {
            return value; // a whole number as written (phone numbers, codes): no double on the way
        }
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return value;
        }
        if (isDate && number is >= 0 and < 2_958_466)
        {
            var day = date1904 ? new DateTime(1904, 1, 1).AddDays(Math.Floor(number)) : DateTime.FromOADate(Math.Floor(number));
            return day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        return number == Math.Floor(number) && Math.Abs(number) < 1e15
            ? number.ToString("0", CultureInfo.InvariantCulture)
            : number.ToString(CultureInfo.InvariantCulture);
    }

    private static bool IsDigits(string value)
    {
        if (value.Length > 15)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The text of an <c>&lt;si&gt;</c> or <c>&lt;is&gt;</c> (the reader on it; left on its end): its <c>t</c>, or its runs' <c>t</c>s, not the phonetic runs.</summary>
    private static string RichText(XmlScanner reader)
    {
        if (reader.IsEmptyElement)
        {
            return string.Empty;
        }
        var depth = reader.Depth;
        string? single = null;
        StringBuilder? many = null;
        while (reader.Read() != XmlToken.EndElement || reader.Depth >= depth)
        {
            if (reader.Token != XmlToken.Element)
            {
                continue;
            }
            if (reader.LocalName.SequenceEqual("t"u8))
            {
                var text = reader.ReadContent();
                if (single is null)
                {
                    single = text;
                }
                else
                {
                    (many ??= new StringBuilder(single)).Append(text);
                }
            }
            else if (reader.LocalName.SequenceEqual("rPh"u8) || reader.LocalName.SequenceEqual("phoneticPr"u8))
            {
                reader.Skip(); // the reading aid above the characters, not the cell's text
            }
        }
        return many?.ToString() ?? single ?? string.Empty;
    }

    private SharedStrings ReadSharedStrings()
    {
        var strings = new SharedStrings();
        if (_sharedStringsPath is null || Entry(_zip, _sharedStringsPath) is not { } entry)
        {
            return strings;
        }
        try
        {
            if (entry.Length > _inMemorySharedStrings)
            {
                strings.SpillToDisk();
            }
            using var reader = new XmlScanner(entry.Open());
            while (reader.Read() != XmlToken.EndOfFile)
            {
                if (reader.Token == XmlToken.Element && reader.LocalName.SequenceEqual("si"u8))
                {
                    strings.Add(RichText(reader));
                }
            }
            strings.Seal();
            return strings;
        }
        catch
        {
            strings.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A workbook's shared strings (Excel keeps every text cell's text there): an array, or when the part
    /// is large (a ledger of a million rows), a temporary file with one offset per string, so that a
    /// large workbook is streamed, not held.
    /// </summary>
    private sealed class SharedStrings : IDisposable
    {
        private readonly List<string> _memory = [];
        private readonly List<int> _offsets = [];
        private FileStream? _file;
        private byte[] _buffer = new byte[256];

        public string? this[int index]
        {
            get
            {
                if (_file is null)
                {
                    return index < _memory.Count ? _memory[index] : null;
                }
                if (index >= _offsets.Count - 1)
                {
                    return null;
                }
                var start = _offsets[index];
                var length = _offsets[index + 1] - start;
                if (_buffer.Length < length)
                {
                    _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
                }
                RandomAccess.Read(_file.SafeFileHandle, _buffer.AsSpan(0, length), start);
                return Encoding.UTF8.GetString(_buffer, 0, length);
            }
        }

        public void SpillToDisk()
        {
            _file = new FileStream(Path.Combine(Path.GetTempPath(), $"civicgrid-sst-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew,
                FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            _offsets.Add(0);
        }

        public void Add(string text)
        {
            if (_file is null)
            {
                _memory.Add(text);
                return;
            }
            var bytes = Encoding.UTF8.GetByteCount(text);
            if (_buffer.Length < bytes)
            {
                _buffer = new byte[Math.Max(bytes, _buffer.Length * 2)];
            }
            Encoding.UTF8.GetBytes(text, _buffer);
            _file.Write(_buffer, 0, bytes);
            if (_file.Position > int.MaxValue)
            {
                throw new InvalidDataException("the workbook's shared strings exceed 2 GB");
            }
            _offsets.Add((int)_file.Position);
        }

        /// <summary>After the last <see cref="Add"/>: what is buffered goes to the file, where the indexer reads it.</summary>
        public void Seal() => _file?.Flush();

        public void Dispose() => _file?.Dispose();
    }

    /// <summary>For each cell format (<c>cellXfs</c>), whether its number format shows a date.</summary>
    private bool[] ReadDateStyles()
    {
        if (_stylesPath is null || Entry(_zip, _stylesPath) is not { } entry)
        {
            return [];
        }
        using var reader = XmlReader.Create(entry.Open(), Settings);
        var custom = new Dictionary<int, bool>();
        var styles = new List<bool>();
        var inCellFormats = false;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "cellXfs")
            {
                inCellFormats = false;
            }
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }
            switch (reader.LocalName)
            {
                case "numFmt" when int.TryParse(reader.GetAttribute("numFmtId"), out var id):
                    custom[id] = IsDateFormat(reader.GetAttribute("formatCode"));
                    break;
                case "cellXfs":
                    inCellFormats = !reader.IsEmptyElement;
                    break;
                case "xf" when inCellFormats:
                    var format = int.TryParse(reader.GetAttribute("numFmtId"), out var f) ? f : 0;
                    styles.Add(custom.TryGetValue(format, out var isDate) ? isDate : IsBuiltInDate(format));
                    break;
            }
        }
        return [.. styles];
    }

    /// <summary>Excel's built-in date formats, with those of the Chinese, Japanese and Korean locales (27-36, 50-58).</summary>
    internal static bool IsBuiltInDate(int id) => id is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58;

    /// <summary>
    /// A custom number format that shows a date or a time: y, m, d, h or s in its first section, outside
    /// quotes, escapes and brackets (<c>yyyy"年"m"月"d"日"</c> is one; <c>[Red]0.00</c>, <c>"m²"0</c> are not).
    /// </summary>
    internal static bool IsDateFormat(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return false;
        }
        var inQuotes = false;
        var inBrackets = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (inQuotes)
            {
                inQuotes = c != '"';
                continue;
            }
            if (inBrackets)
            {
                inBrackets = c != ']';
                continue;
            }
            switch (c)
            {
                case '"':
                    inQuotes = true;
                    break;
                case '[':
                    inBrackets = true;
                    break;
                case '\\' or '_' or '*':
                    i++;
                    break;
                case ';':
                    return false;
                case 'y' or 'Y' or 'm' or 'M' or 'd' or 'D' or 'h' or 'H' or 's' or 'S':
                    return true;
            }
        }
        return false;
    }

    private static ZipArchiveEntry? Entry(ZipArchive zip, string path) =>
        zip.GetEntry(path) ?? zip.Entries.FirstOrDefault(e => string.Equals(e.FullName, path, StringComparison.OrdinalIgnoreCase));

    /// <summary>A part's relationships (id, type, target as a path in the zip); none when the part has no .rels.</summary>
    private static List<(string Id, string Type, string Target)> Relationships(ZipArchive zip, string path, string folder)
    {
        var result = new List<(string, string, string)>();
        if (Entry(zip, path) is not { } entry)
        {
            return result;
        }
        using var reader = XmlReader.Create(entry.Open(), Settings);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.GetAttribute("Id") is { } id
                && reader.GetAttribute("Target") is { } target)
            {
                if (reader.GetAttribute("TargetMode") == "External")
                {
                    continue;
                }
                result.Add((id, reader.GetAttribute("Type") ?? string.Empty, Resolve(folder, target)));
            }
        }
        return result;
    }

    /// <summary>A relationship's target as a path in the zip: absolute (<c>/xl/…</c>) or relative to the part's folder, <c>..</c> resolved.</summary>
    private static string Resolve(string folder, string target)
    {
        var path = target.StartsWith('/') ? target[1..] : folder + target;
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part is not ("." or ""))
            {
                parts.Add(part);
            }
        }
        return string.Join('/', parts);
    }
}
