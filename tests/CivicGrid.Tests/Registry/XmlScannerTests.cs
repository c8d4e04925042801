using System.Text;
using System.Xml;
using CivicGrid.Modules.Registry.Import;

namespace CivicGrid.Tests.Registry;

/// <summary>The byte-level XML reader of the .xlsx import, against <see cref="XmlReader"/> on the same documents.</summary>
public sealed class XmlScannerTests
{
    [Fact]
    public void Random_documents_read_as_XmlReader_reads_them_whatever_the_buffer_size()
    {
        var random = new Random(20261124);
        for (var document = 0; document < 400; document++)
        {
            var xml = RandomDocument(random);
            var bytes = Encoding.UTF8.GetBytes(xml);
            if (random.Next(3) == 0)
            {
                bytes = [0xEF, 0xBB, 0xBF, .. bytes];
            }
            var expected = WithXmlReader(bytes);
            var bufferSize = random.Next(3) == 0 ? 64 * 1024 : random.Next(8, 40);

            var actual = WithScanner(bytes, bufferSize);

            actual.Should().Equal(expected, $"document {document} (buffer {bufferSize}): {xml}");
        }
    }

    [Fact]
    public void A_part_in_UTF16_reads_as_in_UTF8()
    {
        const string xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a x=\"甲\"><b>张三 &amp; 李四</b><c/></a>";
        var little = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(xml)).ToArray();
        var big = Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(xml)).ToArray();

        WithScanner(little, 16).Should().Equal(WithXmlReader(little)).And.Contain("text:张三 & 李四");
        WithScanner(big, 64 * 1024).Should().Equal(WithXmlReader(big));
    }

    [Theory]
    [InlineData("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", "DTD")]
    [InlineData("<a><b></a>", "closes no element")]
    [InlineData("<a>x &nbsp; y</a>", "not declared")]
    [InlineData("<a>x & y</a>", "&")]
    [InlineData("<a><b>x</b>", "ends inside an element")]
    [InlineData("<a><b x=\"1", "ends inside a tag")]
    [InlineData("<a b=1/>", "without quotes")]
    [InlineData("<a>&#0;</a>", "not a character")]
    public void Broken_XML_is_an_XmlException_that_says_what_is_wrong(string xml, string words)
    {
        var act = () => WithScanner(Encoding.UTF8.GetBytes(xml), 16);

        act.Should().Throw<XmlException>().Which.Message.Should().Contain(words);
    }

    /// <summary>The document's events as XmlReader gives them: adjacent text, CDATA and white space merged.</summary>
    private static List<string> WithXmlReader(byte[] bytes)
    {
        var events = new List<string>();
        var text = new StringBuilder();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, IgnoreProcessingInstructions = true };
        using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(reader.Value);
                    continue;
                case XmlNodeType.Element:
                    Flush(events, text);
                    events.Add(Element(reader.LocalName, reader.IsEmptyElement, reader.GetAttribute("r"), reader.GetAttribute("t"), reader.GetAttribute("x:s")));
                    break;
                case XmlNodeType.EndElement:
                    Flush(events, text);
                    events.Add("/" + reader.LocalName);
                    break;
            }
        }
        Flush(events, text);
        return events;
    }

    private static List<string> WithScanner(byte[] bytes, int bufferSize)
    {
        var events = new List<string>();
        var text = new StringBuilder();
        using var scanner = new XmlScanner(new MemoryStream(bytes), bufferSize);
        while (scanner.Read() != XmlToken.EndOfFile)
        {
            switch (scanner.Token)
            {
                case XmlToken.Text:
                    text.Append(scanner.Text());
                    continue;
                case XmlToken.Element:
                    Flush(events, text);
                    events.Add(Element(Encoding.UTF8.GetString(scanner.LocalName), scanner.IsEmptyElement, scanner.Attribute("r"u8),
                        scanner.Attribute("t"u8), scanner.Attribute("x:s"u8)));
                    break;
                case XmlToken.EndElement:
                    Flush(events, text);
                    events.Add("/" + Encoding.UTF8.GetString(scanner.LocalName));
                    break;
            }
        }
        Flush(events, text);
        return events;
    }

    private static string Element(string name, bool empty, string? r, string? t, string? s) =>
        $"<{name}{(empty ? "/" : string.Empty)} r={r ?? "-"} t={t ?? "-"} s={s ?? "-"}";

    private static void Flush(List<string> events, StringBuilder text)
    {
        if (text.Length > 0)
        {
            events.Add("text:" + text);
            text.Clear();
        }
    }

    private static readonly string[] Names = ["row", "c", "v", "is", "t", "r", "x:row", "x:c", "x:v", "rPh", "sheetData"];

    private static readonly string[] Texts =
        ["张三", "13800138000", " ", "a &amp; b", "&lt;c&gt;", "&quot;&apos;", "&#20013;&#x56FD;", "&#x1F600;", "line\r\nend", "cr\ronly", "tab\tx", "", "内蒙古自治区包头市"];

    private static string RandomDocument(Random random)
    {
        var xml = new StringBuilder();
        if (random.Next(2) == 0)
        {
            xml.Append("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>");
        }
        if (random.Next(4) == 0)
        {
            xml.Append("\r\n<!-- a comment with <row> in it -->\n");
        }
        xml.Append("<x:worksheet xmlns:x=\"urn:x\">");
        Content(random, xml, 0);
        xml.Append("</x:worksheet>");
        if (random.Next(4) == 0)
        {
            xml.Append("\n<?pi after?>\n");
        }
        return xml.ToString();
    }

    private static void Content(Random random, StringBuilder xml, int depth)
    {
        var children = random.Next(depth > 3 ? 0 : 5);
        for (var i = 0; i < children; i++)
        {
            switch (random.Next(8))
            {
                case 0:
                    xml.Append(Texts[random.Next(Texts.Length)]);
                    break;
                case 1:
                    xml.Append("<![CDATA[").Append(random.Next(2) == 0 ? "</row> & <c>" : "x\r\ny").Append("]]>");
                    break;
                case 2:
                    xml.Append(random.Next(2) == 0 ? "<!-- note -->" : "<?skip me?>");
                    break;
                default:
                    var name = Names[random.Next(Names.Length)];
                    xml.Append('<').Append(name);
                    if (random.Next(2) == 0)
                    {
                        xml.Append(" r=\"A").Append(random.Next(100)).Append('"');
                    }
                    if (random.Next(3) == 0)
                    {
                        xml.Append(random.Next(2) == 0 ? " t='s'" : " t=\"a&amp;b\r\n\tc > d\"");
                    }
                    if (random.Next(4) == 0)
                    {
                        xml.Append(" x:s = \"7\" ");
                    }
                    if (random.Next(4) == 0)
                    {
                        xml.Append("\n/>");
                        break;
                    }
                    xml.Append('>');
                    Content(random, xml, depth + 1);
                    xml.Append("</").Append(name).Append(random.Next(4) == 0 ? " >" : ">");
                    break;
            }
        }
    }
}
