using System.Security.Cryptography;

namespace CivicGrid.Modules.Snap.Tracking;

/// <summary>
/// Tracking codes: 10 characters of Crockford's base32 (50 random bits; no I, L, O or U to misread),
/// typed back case-insensitively, with I/L read as 1 and O as 0, spaces and dashes ignored.
/// </summary>
internal static class TrackingCodes
{
    public const int Length = 10;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New() => new(RandomNumberGenerator.GetItems<char>(Alphabet, Length));

    /// <summary>The code as stored, or null when the text cannot be one.</summary>
    public static string? Normalize(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var chars = text.Where(c => c is not (' ' or '-')).Select(c => char.ToUpperInvariant(c) switch
        {
            'I' or 'L' => '1',
            'O' => '0',
            var other => other,
        }).ToArray();
        return chars.Length == Length && chars.All(Alphabet.Contains) ? new string(chars) : null;
    }
}
