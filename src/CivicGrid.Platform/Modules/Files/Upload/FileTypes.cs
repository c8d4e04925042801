using SkiaSharp;

namespace CivicGrid.Modules.Files.Upload;

/// <summary>
/// What a file really is, from its first bytes (never from its name or the client's content type):
/// JPEG, PNG, WebP, GIF or PDF. An image must also decode, so a text file renamed <c>.jpg</c>
/// or a truncated header is refused.
/// </summary>
internal static class FileTypes
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string WebP = "image/webp";
    public const string Gif = "image/gif";
    public const string Pdf = "application/pdf";

    /// <summary>How many leading bytes <see cref="Sniff"/> needs.</summary>
    public const int HeaderLength = 16;

    /// <summary>The content type the magic bytes announce, or null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP;
        }
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return Gif;
        }
        return head.StartsWith("%PDF-"u8) ? Pdf : null;
    }

    /// <summary>True when an image's bytes decode (its header and dimensions are real).</summary>
    public static bool Decodes(Stream content)
    {
        using var codec = SKCodec.Create(content, out var result);
        return codec is not null && result == SKCodecResult.Success && codec.Info.Width > 0 && codec.Info.Height > 0;
    }
}
