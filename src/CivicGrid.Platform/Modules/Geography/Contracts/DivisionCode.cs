namespace CivicGrid.Modules.Geography.Contracts;

/// <summary>
/// Rules of the division codes: the length gives the level, and a code's prefix is its ancestry
/// (the subtree of a code is every code that starts with it).
/// </summary>
public static class DivisionCode
{
    private static readonly int[] Lengths = [2, 4, 6, 9, 12, 15, 18];

    /// <summary>The number of digits of a level's codes.</summary>
    public static int LengthOf(DivisionLevel level) => Lengths[(int)level - 1];

    /// <summary>The level of a code, or null when the code has no valid shape.</summary>
    public static DivisionLevel? LevelOf(string? code)
    {
        if (string.IsNullOrEmpty(code) || !code.All(char.IsAsciiDigit))
        {
            return null;
        }
        var index = Array.IndexOf(Lengths, code.Length);
        return index < 0 ? null : (DivisionLevel)(index + 1);
    }

    /// <summary>The parent's code: the code cut to the previous level's length; null for a province.</summary>
    public static string? ParentOf(string code)
    {
        var level = LevelOf(code) ?? throw new ArgumentException($"'{code}' is not a division code", nameof(code));
        return level == DivisionLevel.Province ? null : code[..LengthOf(level - 1)];
    }

    /// <summary>The codes of every ancestor of <paramref name="code"/>, nearest first: its prefixes.</summary>
    public static IEnumerable<string> AncestorsOf(string code)
    {
        for (var parent = ParentOf(code); parent is not null; parent = ParentOf(parent))
        {
            yield return parent;
        }
    }

    /// <summary>The length of the codes one level below <paramref name="code"/>; null for a micro-grid.</summary>
    public static int? ChildLengthOf(string code)
    {
        var level = LevelOf(code) ?? throw new ArgumentException($"'{code}' is not a division code", nameof(code));
        return level == DivisionLevel.MicroGrid ? null : LengthOf(level + 1);
    }

    /// <summary>True when <paramref name="code"/> lies in the subtree of <paramref name="ancestor"/> (or is it).</summary>
    public static bool IsWithin(string code, string ancestor) =>
        code.StartsWith(ancestor, StringComparison.Ordinal);

    /// <summary>Why a code is not valid for the given level and parent, or null when it is.</summary>
    public static string? Check(string? code, DivisionLevel level, string? parentCode)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return "代码为空";
        }
        if (!code.All(char.IsAsciiDigit))
        {
            return $"代码 {code} 含非数字字符";
        }
        if (code.Length != LengthOf(level))
        {
            return $"代码 {code} 长度为 {code.Length}，{level} 级应为 {LengthOf(level)} 位";
        }
        if (level != DivisionLevel.Province && parentCode is not null && !code.StartsWith(parentCode, StringComparison.Ordinal))
        {
            return $"代码 {code} 的前缀与上级代码 {parentCode} 不符";
        }
        return null;
    }
}
