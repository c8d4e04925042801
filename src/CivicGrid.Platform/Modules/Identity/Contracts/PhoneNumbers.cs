using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CivicGrid.Modules.Identity.Contracts;

/// <summary>
/// Mainland China mobile numbers (手机号): eleven digits <c>1[3-9]XXXXXXXXX</c>, written with or
/// without <c>+86</c>/<c>0086</c>, spaces or dashes. The normal form is the eleven digits.
/// </summary>
public static partial class PhoneNumbers
{
    /// <summary>The field error shown for a number that is not a mainland mobile number.</summary>
    public const string Problem = "手机号须为 11 位中国大陆手机号（1[3-9] 开头），可带 +86、空格或短横线";

    /// <summary>Normalizes <paramref name="value"/> to its eleven digits, or returns false. Never echo a rejected value.</summary>
    public static bool TryNormalizeMobile(string? value, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(value) || !Written().IsMatch(value))
        {
            return false;
        }
        var digits = FieldNormalizer.Phone(value);
        if (!Mobile().IsMatch(digits))
        {
            return false;
        }
        normalized = digits;
        return true;
    }

    // Only digits, spaces and dashes, after an optional leading + (for +86).
    [GeneratedRegex(@"^\s*\+?[0-9][0-9 \-]*\s*$")]
    private static partial Regex Written();

    [GeneratedRegex(@"^1[3-9][0-9]{9}$")]
    private static partial Regex Mobile();
}
