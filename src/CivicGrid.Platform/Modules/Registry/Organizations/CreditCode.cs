namespace CivicGrid.Modules.Registry.Organizations;

/// <summary>
/// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
/// 31-character alphabet (no I, O, Z, S, V); the 18th is a check character over the first 17.
/// </summary>
internal static class CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Upper-case and trimmed.</summary>
    public static string Normalize(string code) => code.Trim().ToUpperInvariant();

    /// <summary>Why <paramref name="code"/> (normalized) is not a credit code, or null when it is one.</summary>
    public static string? Problem(string code)
    {
        if (code.Length != 18)
        {
            return "统一社会信用代码须为 18 位";
        }
        if (code.Any(c => !Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            return "统一社会信用代码只含数字和除 I、O、Z、S、V 以外的大写字母";
        }
        if (code.AsSpan(2, 6).ContainsAnyExcept("0123456789"))
        {
            return "统一社会信用代码第 3-8 位须为行政区划代码";
        }
        return CheckCharacter(code[..17]) == code[17] ? null : "统一社会信用代码校验位错误";
    }

    /// <summary>The check character of the first 17 characters.</summary>
    public static char CheckCharacter(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        }
        var check = 31 - (sum % 31);
        return Alphabet[check == 31 ? 0 : check];
    }
}
