using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Xml;

namespace CivicGrid.Modules.Registry.Import;

/// <summary>What <see cref="XmlScanner.Read"/> stopped on.</summary>
internal enum XmlToken
{
    None,
    Element,
    EndElement,
    Text,
    EndOfFile,
}

/// <summary>
/// A forward-only reader of an XML part's elements, attributes and text, working on its UTF-8 bytes
/// (docs/adr/0031): names and attributes are compared as bytes, and only the text a caller asks for
/// becomes a string. It reads the XML a workbook's parts are made of: elements (with or without a
/// namespace prefix, which is not resolved: names are compared by their local part), attributes in
/// either quotes, text with the five predefined entities and character references, CDATA sections,
/// comments and processing instructions (skipped), line ends normalized as XML does. A document type
/// declaration is refused (as <see cref="XmlReader"/> with <see cref="DtdProcessing.Prohibit"/> does);
/// an undeclared entity, a tag left open or closed by another name and a part that ends inside an
/// element are <see cref="XmlException"/>s. A part in UTF-16 (a byte-order mark) is transcoded.
/// </summary>
internal sealed class XmlScanner : IDisposable
{
    // A cell has three attributes, a row a handful; past this many, an element's further attributes are not looked up.
    private const int MaxAttributes = 32;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _position;
    private int _end;
    private bool _drained;

    // The open elements' names, each as a hash of its bytes (a closing tag must name the one it closes).
    private readonly Stack<ulong> _open = new();

    // The current token: its name (element) or text (the bytes between two tags, or a CDATA section's).
    private int _localStart;
    private int _localLength;
    private int _textStart;
    private int _textLength;
    private bool _textIsRaw;
    private int _attributeCount;
    private readonly int[] _attributes = new int[MaxAttributes * 4];
    private int _line = 1;

    /// <summary>Reads <paramref name="stream"/> (disposed with the scanner).</summary>
    /// <param name="stream">The part.</param>
    /// <param name="bufferSize">The first buffer's size (it grows to hold the longest tag or text).</param>
    public XmlScanner(Stream stream, int bufferSize = 64 * 1024)
    {
        _buffer = new byte[Math.Max(bufferSize, 8)];
        _stream = stream;
        Fill();
        if (_end >= 2 && ((_buffer[0] == 0xFF && _buffer[1] == 0xFE) || (_buffer[0] == 0xFE && _buffer[1] == 0xFF)))
        {
            // UTF-16 (Office may write a part so): read on as UTF-8, the transcoder dropping the mark.
            var encoding = _buffer[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            var head = new MemoryStream(_buffer[.._end], writable: false);
            _stream = Encoding.CreateTranscodingStream(new ConcatenatedStream(head, stream), encoding, Encoding.UTF8);
            _position = _end = 0;
            _drained = false;
            Fill();
        }
        if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _position = 3;
        }
    }

    public XmlToken Token { get; private set; }

    /// <summary>For an element: it is written <c>&lt;a/&gt;</c> (no end element follows).</summary>
    public bool IsEmptyElement { get; private set; }

    /// <summary>How many elements are open (an element's own start counts it; its end does not).</summary>
    public int Depth => _open.Count;

    /// <summary>The current element's (or end element's) name without its prefix.</summary>
    public ReadOnlySpan<byte> LocalName => _buffer.AsSpan(_localStart, _localLength);

    /// <summary>The next element, end element or text; <see cref="XmlToken.EndOfFile"/> at the end.</summary>
    public XmlToken Read()
    {
        IsEmptyElement = false;
        while (true)
        {
            if (_position == _end && !Fill())
            {
                if (_open.Count > 0)
                {
                    throw Error("the part ends inside an element");
                }
                return Token = XmlToken.EndOfFile;
            }
            var next = _buffer[_position] == (byte)'<' ? Markup() : TextToken();
            if (next == Incomplete)
            {
                // Text runs to the part's end (then it is the last token); a tag may not.
                if (!Fill() && _buffer[_position] == (byte)'<')
                {
                    throw Error("the part ends inside a tag");
                }
                continue;
            }
            if (next == Skipped)
            {
                continue;
            }
            return Token;
        }
    }

    /// <summary>On an element: the text inside it (its child elements' left out), the reader then on its end element.</summary>
    public string ReadContent()
    {
        if (Token != XmlToken.Element || IsEmptyElement)
        {
            return string.Empty;
        }
        var depth = Depth;
        string? single = null;
        StringBuilder? many = null;
        while (Read() != XmlToken.EndElement || Depth >= depth)
        {
            if (Token == XmlToken.Element)
            {
                Skip();
            }
            else if (Token == XmlToken.Text)
            {
                var text = Text();
                if (single is null)
                {
                    single = text;
                }
                else
                {
                    (many ??= new StringBuilder(single)).Append(text);
                }
            }
        }
        return many?.ToString() ?? single ?? string.Empty;
    }

    /// <summary>On an element: passes it and everything inside it, the reader then on its end element (or still on it, when empty).</summary>
    public void Skip()
    {
        if (Token != XmlToken.Element || IsEmptyElement)
        {
            return;
        }
        var depth = Depth;
        while (Read() != XmlToken.EndElement || Depth >= depth)
        {
        }
    }

    /// <summary>The current text as a string (entities replaced).</summary>
    public string Text() =>
        _textIsRaw ? Decode(_buffer.AsSpan(_textStart, _textLength), entities: false, attribute: false)
            : Decode(_buffer.AsSpan(_textStart, _textLength), entities: true, attribute: false);

    /// <summary>The current element's attribute of that (qualified) name, as written (entities not replaced), or false.</summary>
    public bool TryGetRawAttribute(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < _attributeCount; i++)
        {
            var at = i * 4;
            if (_buffer.AsSpan(_attributes[at], _attributes[at + 1]).SequenceEqual(name))
            {
                value = _buffer.AsSpan(_attributes[at + 2], _attributes[at + 3]);
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>The current element's attribute of that (qualified) name, entities replaced, or null.</summary>
    public string? Attribute(ReadOnlySpan<byte> name) =>
        TryGetRawAttribute(name, out var raw) ? Decode(raw, entities: true, attribute: true) : null;

    /// <summary>A raw attribute's value as a whole number (none if it is not one, or not only digits).</summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> raw, out int value) =>
        Utf8Parser.TryParse(raw, out value, out var consumed) && consumed == raw.Length && raw.Length > 0 && raw[0] is >= (byte)'0' and <= (byte)'9';

    public void Dispose() => _stream.Dispose();

    private const int Incomplete = -1;
    private const int Skipped = 0;
    private const int Done = 1;

    private int TextToken()
    {
        var span = _buffer.AsSpan(_position, _end - _position);
        var length = span.IndexOf((byte)'<');
        if (length < 0)
        {
            if (!_drained)
            {
                return Incomplete;
            }
            length = span.Length;
        }
        Count(span[..length]);
        _textStart = _position;
        _textLength = length;
        _textIsRaw = false;
        _position += length;
        Token = XmlToken.Text;
        return Done;
    }

    private int Markup()
    {
        var span = _buffer.AsSpan(_position, _end - _position);
        if (span.Length < 2)
        {
            return Incomplete;
        }
        switch (span[1])
        {
            case (byte)'/':
                return EndTag(span);
            case (byte)'?':
                return Pass(span, 2, "?>"u8);
            case (byte)'!':
                if (span.Length < 4)
                {
                    return Incomplete;
                }
                if (span.StartsWith("<!--"u8))
                {
                    return Pass(span, 4, "-->"u8);
                }
                if (span.Length < 9)
                {
                    return Incomplete;
                }
                if (span.StartsWith("<![CDATA["u8))
                {
                    var close = span[9..].IndexOf("]]>"u8);
                    if (close < 0)
                    {
                        return Incomplete;
                    }
                    if (_open.Count == 0)
                    {
                        throw Error("a CDATA section outside the root element");
                    }
                    Count(span[..(close + 12)]);
                    _textStart = _position + 9;
                    _textLength = close;
                    _textIsRaw = true;
                    _position += close + 12;
                    Token = XmlToken.Text;
                    return Done;
                }
                throw Error(span.StartsWith("<!DOCTYPE"u8)
                    ? "a document type declaration (DTD) is not allowed"
                    : "an unknown declaration");
            default:
                return StartTag(span);
        }
    }

    /// <summary>Passes a comment or processing instruction (from <paramref name="from"/> to its <paramref name="close"/>).</summary>
    private int Pass(ReadOnlySpan<byte> span, int from, ReadOnlySpan<byte> close)
    {
        var at = span[from..].IndexOf(close);
        if (at < 0)
        {
            return Incomplete;
        }
        var length = from + at + close.Length;
        Count(span[..length]);
        _position += length;
        return Skipped;
    }

    private int StartTag(ReadOnlySpan<byte> span)
    {
        var elementEnd = NameEnd(span, 1);
        if (elementEnd < 0)
        {
            return Incomplete;
        }
        if (elementEnd == 1)
        {
            throw Error("a tag without a name");
        }
        var p = elementEnd;
        var count = 0;
        while (true)
        {
            p = SkipSpace(span, p);
            if (p >= span.Length)
            {
                return Incomplete;
            }
            var c = span[p];
            if (c == (byte)'>')
            {
                p++;
                break;
            }
            if (c == (byte)'/')
            {
                if (p + 1 >= span.Length)
                {
                    return Incomplete;
                }
                if (span[p + 1] != (byte)'>')
                {
                    throw Error("'/' not followed by '>' in a tag");
                }
                IsEmptyElement = true;
                p += 2;
                break;
            }
            var attributeEnd = NameEnd(span, p);
            if (attributeEnd < 0)
            {
                return Incomplete;
            }
            if (attributeEnd == p)
            {
                throw Error($"an unexpected '{(char)c}' in a tag");
            }
            var equals = SkipSpace(span, attributeEnd);
            if (equals >= span.Length)
            {
                return Incomplete;
            }
            if (span[equals] != (byte)'=')
            {
                throw Error("an attribute without a value");
            }
            var quote = SkipSpace(span, equals + 1);
            if (quote >= span.Length)
            {
                return Incomplete;
            }
            if (span[quote] is not ((byte)'"' or (byte)'\''))
            {
                throw Error("an attribute value without quotes");
            }
            var length = span[(quote + 1)..].IndexOf(span[quote]);
            if (length < 0)
            {
                return Incomplete;
            }
            if (count < MaxAttributes)
            {
                var slot = count++ * 4;
                _attributes[slot] = _position + p;
                _attributes[slot + 1] = attributeEnd - p;
                _attributes[slot + 2] = _position + quote + 1;
                _attributes[slot + 3] = length;
            }
            p = quote + 1 + length + 1;
        }
        var name = span[1..elementEnd];
        _attributeCount = count;
        SetName(_position + 1, name);
        Count(span[..p]);
        _position += p;
        if (!IsEmptyElement)
        {
            _open.Push(Hash(name));
        }
        Token = XmlToken.Element;
        return Done;
    }

    private int EndTag(ReadOnlySpan<byte> span)
    {
        var nameEnd = NameEnd(span, 2);
        if (nameEnd < 0)
        {
            return Incomplete;
        }
        var close = SkipSpace(span, nameEnd);
        if (close >= span.Length)
        {
            return Incomplete;
        }
        if (span[close] != (byte)'>')
        {
            throw Error("an end tag not closed by '>'");
        }
        var name = span[2..nameEnd];
        if (_open.Count == 0 || _open.Pop() != Hash(name))
        {
            throw Error($"the end tag </{Encoding.UTF8.GetString(name)}> closes no element of that name");
        }
        _attributeCount = 0;
        SetName(_position + 2, name);
        Count(span[..(close + 1)]);
        _position += close + 1;
        Token = XmlToken.EndElement;
        return Done;
    }

    private void SetName(int start, ReadOnlySpan<byte> name)
    {
        var colon = name.IndexOf((byte)':');
        _localStart = start + colon + 1;
        _localLength = name.Length - colon - 1;
    }

    /// <summary>Where the name starting at <paramref name="from"/> ends (at a space, '/', '=', '>'), or -1 if the buffer ends first.</summary>
    private static int NameEnd(ReadOnlySpan<byte> span, int from)
    {
        var length = span[from..].IndexOfAny(NameEnds);
        return length < 0 ? -1 : from + length;
    }

    private static readonly SearchValues<byte> NameEnds = SearchValues.Create(" \t\r\n/>='\"<"u8);

    private static int SkipSpace(ReadOnlySpan<byte> span, int from)
    {
        while (from < span.Length && span[from] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            from++;
        }
        return from;
    }

    private static ulong Hash(ReadOnlySpan<byte> name)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in name)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }

    /// <summary>Keeps the line count for the error messages.</summary>
    private void Count(ReadOnlySpan<byte> passed) => _line += passed.Count((byte)'\n');

    private XmlException Error(string message) => new($"{message} (line {_line})", null, _line, 0);

    /// <summary>Moves what is unread to the buffer's start (growing it when it is full) and reads more; false at the stream's end.</summary>
    private bool Fill()
    {
        if (_drained)
        {
            return false;
        }
        if (_position > 0)
        {
            _buffer.AsSpan(_position, _end - _position).CopyTo(_buffer);
            var shift = _position;
            _end -= shift;
            _position = 0;
            // The current token's positions are stale now; nothing reads them until the next token.
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _drained = true;
            return false;
        }
        _end += read;
        return true;
    }

    private static readonly SearchValues<byte> TextSpecials = SearchValues.Create("&\r"u8);
    private static readonly SearchValues<byte> AttributeSpecials = SearchValues.Create("&\r\n\t"u8);

    /// <summary>
    /// Text or an attribute value as XML reads it: line ends (CR LF, CR) become LF, in an attribute any
    /// line end or tab a space, and entity and character references their characters.
    /// </summary>
    private string Decode(ReadOnlySpan<byte> raw, bool entities, bool attribute)
    {
        var specials = attribute ? AttributeSpecials : TextSpecials;
        var first = raw.IndexOfAny(specials);
        if (first < 0 || (!entities && raw[first..].IndexOf((byte)'\r') < 0))
        {
            return raw.IsEmpty ? string.Empty : Encoding.UTF8.GetString(raw);
        }
        var builder = new StringBuilder(raw.Length);
        while (!raw.IsEmpty)
        {
            var at = raw.IndexOfAny(specials);
            if (at < 0)
            {
                builder.Append(Encoding.UTF8.GetString(raw));
                break;
            }
            builder.Append(Encoding.UTF8.GetString(raw[..at]));
            var c = raw[at];
            raw = raw[(at + 1)..];
            switch (c)
            {
                case (byte)'\r':
                    if (!raw.IsEmpty && raw[0] == (byte)'\n')
                    {
                        raw = raw[1..];
                    }
                    builder.Append(attribute ? ' ' : '\n');
                    break;
                case (byte)'\n' or (byte)'\t':
                    builder.Append(' ');
                    break;
                case (byte)'&' when !entities:
                    builder.Append('&');
                    break;
                default:
                    var end = raw.IndexOf((byte)';');
                    if (end < 0)
                    {
                        throw Error("an '&' that starts no entity (write &amp;)");
                    }
                    builder.Append(Entity(raw[..end]));
                    raw = raw[(end + 1)..];
                    break;
            }
        }
        return builder.ToString();
    }

    private string Entity(ReadOnlySpan<byte> name)
    {
        switch (name)
        {
            case [(byte)'l', (byte)'t']:
                return "<";
            case [(byte)'g', (byte)'t']:
                return ">";
            case [(byte)'a', (byte)'m', (byte)'p']:
                return "&";
            case [(byte)'q', (byte)'u', (byte)'o', (byte)'t']:
                return "\"";
            case [(byte)'a', (byte)'p', (byte)'o', (byte)'s']:
                return "'";
            case [(byte)'#', (byte)'x', .. var hex] when Utf8Parser.TryParse(hex, out uint code, out var used, 'x') && used == hex.Length:
                return Character(code);
            case [(byte)'#', .. var digits] when Utf8Parser.TryParse(digits, out uint code, out var used) && used == digits.Length:
                return Character(code);
            default:
                throw Error($"the entity &{Encoding.UTF8.GetString(name)}; is not declared");
        }
    }

    private string Character(uint code)
    {
        // XML's characters: tab, line ends, and from the space on, less the surrogates and U+FFFE, U+FFFF.
        if (code is 0x9 or 0xA or 0xD or >= 0x20 and <= 0xD7FF or >= 0xE000 and <= 0xFFFD or >= 0x10000 and <= 0x10FFFF)
        {
            return char.ConvertFromUtf32((int)code);
        }
        throw Error($"&#x{code:X}; is not a character XML allows");
    }

    /// <summary>The bytes already read, then the rest of the stream (for the UTF-16 transcoder).</summary>
    private sealed class ConcatenatedStream(Stream first, Stream second) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = first.Read(buffer, offset, count);
            return read > 0 ? read : second.Read(buffer, offset, count);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                first.Dispose();
                second.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
