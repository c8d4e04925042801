using System.Text;
using System.Text.RegularExpressions;

namespace CivicGrid.Modules.Identity.Contracts;

/// <summary>
/// How people's data is shown to someone who may see that it exists but not what it is.
/// A short or odd value never reveals more characters than the full-length pattern does.
/// </summary>
public static partial class Masking
{
    /// <summary><c>150203199001011234</c> → <c>1502**********1234</c>: the first four and the last four.</summary>
    public static string IdNumber(string? value)
    {
        var text = value?.Trim() ?? string.Empty;
        // The pattern shows 8 of 18; a 15-digit (first-generation) number keeps the same ends.
        // Anything shorter shows at most a quarter of itself at each end.
        var keep = text.Length >= 15 ? 4 : text.Length / 4;
        return Mask(text, keep, keep);
    }

    /// <summary><c>13812345678</c> → <c>138****5678</c>: the first three and the last four digits.</summary>
    public static string Phone(string? value)
    {
        var text = value?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return string.Empty;
        }
        var digits = FieldNormalizer.Phone(text);
        if (digits.Length >= 11)
        {
            return Mask(digits, 3, 4);
        }
        // A landline or a fragment: only the last quarter, never the area code and the number together.
        var source = digits.Length > 0 ? digits : text;
        return Mask(source, 0, source.Length / 4);
    }

    /// <summary>
    /// Free text bound for the immutable audit chain (an unmask reason) with every number typed into
    /// it masked: a run of 15 or more characters as an ID number, a shorter one as a phone.
    /// </summary>
    public static string DigitRuns(string text) => DigitRun().Replace(text, m =>
    {
        var compact = m.Value.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return compact.Length >= 15 ? IdNumber(compact) : Phone(compact);
    });

    // Seven or more digits, possibly written with spaces or dashes, an ID number's X included.
    [GeneratedRegex(@"[0-9][0-9 \-]{5,}[0-9Xx]")]
    private static partial Regex DigitRun();

    private static string Mask(string text, int head, int tail)
    {
        if (text.Length == 0)
        {
            return string.Empty;
        }
        if (head + tail >= text.Length)
        {
            return new string('*', text.Length);
        }
        return string.Concat(text.AsSpan(0, head), new string('*', text.Length - head - tail), text.AsSpan(text.Length - tail));
    }
}

/// <summary>The normal forms used for the blind index, so formatting never changes the lookup.</summary>
public static class FieldNormalizer
{
    /// <summary>Normalizes a value of the given kind.</summary>
    public static string Normalize(string value, FieldKind kind) => kind switch
    {
        FieldKind.IdNumber => IdNumber(value),
        FieldKind.Phone => Phone(value),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Trimmed and upper-case (the check character <c>x</c> is the same as <c>X</c>).</summary>
    public static string IdNumber(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Usually written as stored (a ledger's column, an earlier normalization): no new string then.
        var span = value.AsSpan();
        if (span.Length > 0 && !char.IsWhiteSpace(span[0]) && !char.IsWhiteSpace(span[^1]) && !span.ContainsAnyInRange('a', 'z')
            && Ascii.IsValid(span))
        {
            return value;
        }
        return value.Trim().ToUpperInvariant();
    }

    /// <summary>Digits only, with a leading country code +86 / 0086 removed.</summary>
    public static string Phone(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        // Usually the number is digits already (a ledger's column): no new string then.
        var digits = trimmed.AsSpan().ContainsAnyExceptInRange('0', '9') ? new string(trimmed.Where(char.IsAsciiDigit).ToArray()) : trimmed;
        if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            return digits[4..];
        }
        // "86" alone is only a country code when it was written as one (+86) or the rest is a mobile number.
        if (digits.StartsWith("86", StringComparison.Ordinal) && (trimmed.StartsWith('+') || digits.Length == 13))
        {
            return digits[2..];
        }
        return digits;
    }
}
