using System.Text;

namespace CivicGrid.Infrastructure.Data;

/// <summary>
/// A small RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF, UTF-8 with or without BOM)
/// for the tables the platform imports. Yields each record with its 1-based line number so row
/// errors can name it.
/// </summary>
public static class CsvReader
{
    /// <summary>A parsed record and the line it starts on (the header is line 1).</summary>
    public readonly record struct Row(int Line, IReadOnlyList<string> Fields);

    /// <summary>Reads all records of <paramref name="reader"/>, header included.</summary>
    public static IEnumerable<Row> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var startLine = 1;
        var inQuotes = false;
        var any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }
                    field.Append(ch);
                }
                continue;
            }

            switch (ch)
            {
                case '"':
                    inQuotes = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (any || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return new Row(startLine, fields.ToArray());
                    }
                    fields.Clear();
                    field.Clear();
                    any = false;
                    line++;
                    startLine = line;
                    break;
                default:
                    field.Append(ch);
                    any = true;
                    break;
            }
        }
        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return new Row(startLine, fields.ToArray());
        }
    }
}
