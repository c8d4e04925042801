using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace CivicGrid.Modules.Cases.Open311;

/// <summary>An Open311 object: named fields in the spec's order (snake_case). Values are strings, numbers, booleans, null or nested documents.</summary>
internal sealed record Open311Object(IReadOnlyList<KeyValuePair<string, object?>> Fields)
{
    public Open311Object(params (string Name, object? Value)[] fields)
        : this([.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))])
    {
    }
}

/// <summary>An Open311 list: a JSON array, in XML an element <see cref="Name"/> holding one <see cref="ItemName"/> element per item.</summary>
internal sealed record Open311List(string Name, string ItemName, IReadOnlyList<object?> Items);

/// <summary>
/// One Open311 answer in the format the path asked for (<c>.json</c> or <c>.xml</c>): JSON through
/// System.Text.Json, XML through <see cref="XmlWriter"/> with the UTF-8 declaration the spec requires.
/// A top-level list is a JSON array and an XML root named after the list; a top-level object needs
/// <see cref="XmlRoot"/>.
/// </summary>
internal sealed class Open311Reply(string format, object document, int status = StatusCodes.Status200OK, string? xmlRoot = null) : IResult
{
    public const string Json = "json";
    public const string Xml = "xml";

    public int Status => status;

    public string? XmlRoot => xmlRoot;

    public static bool IsFormat(string? format) => format is Json or Xml;

    /// <summary>The spec's error document: <c>[{code, description}]</c> / <c>&lt;errors&gt;&lt;error&gt;…</c>, code being the HTTP status.</summary>
    public static Open311Reply Errors(string format, int status, params IEnumerable<string> descriptions) =>
        new(format == Xml ? Xml : Json,
            new Open311List("errors", "error", [.. descriptions.Select(d => new Open311Object(("code", status), ("description", d)))]),
            status);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = format == Xml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        if (format == Xml)
        {
            WriteXml(buffer);
        }
        else
        {
            WriteJson(buffer);
        }
        response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(response.Body, httpContext.RequestAborted);
    }

    private void WriteJson(Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        WriteJsonValue(json, document);
    }

    private static void WriteJsonValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case Open311List list:
                json.WriteStartArray();
                foreach (var item in list.Items)
                {
                    WriteJsonValue(json, item);
                }
                json.WriteEndArray();
                break;
            case Open311Object obj:
                json.WriteStartObject();
                foreach (var (name, field) in obj.Fields)
                {
                    json.WritePropertyName(name);
                    WriteJsonValue(json, field);
                }
                json.WriteEndObject();
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case double number:
                json.WriteNumberValue(number);
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private void WriteXml(Stream stream)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false };
        using var xml = XmlWriter.Create(stream, settings);
        xml.WriteStartDocument();
        var root = document is Open311List list ? list.Name : xmlRoot ?? throw new InvalidOperationException("A top-level object needs an XML root name.");
        WriteXmlElement(xml, root, document);
        xml.WriteEndDocument();
    }

    private static void WriteXmlElement(XmlWriter xml, string name, object? value)
    {
        xml.WriteStartElement(name);
        switch (value)
        {
            case null:
                break;
            case Open311List list:
                foreach (var item in list.Items)
                {
                    WriteXmlElement(xml, list.ItemName, item);
                }
                break;
            case Open311Object obj:
                foreach (var (field, inner) in obj.Fields)
                {
                    WriteXmlElement(xml, field, inner);
                }
                break;
            case bool flag:
                xml.WriteString(flag ? "true" : "false");
                break;
            case double number:
                xml.WriteString(number.ToString("R", CultureInfo.InvariantCulture));
                break;
            default:
                xml.WriteString(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
        xml.WriteEndElement();
    }
}
