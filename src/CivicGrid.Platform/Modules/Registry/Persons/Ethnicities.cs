using System.Collections.Frozen;

namespace CivicGrid.Modules.Registry.Persons;

/// <summary>The 56 ethnic groups of GB/T 3304-1991 (民族代码), code → name.</summary>
internal static class Ethnicities
{
    /// <summary>汉族.</summary>
    public const string Han = "01";

    /// <summary>蒙古族.</summary>
    public const string Mongol = "02";

    private static readonly string[] Names =
    [
        "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
        "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
        "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
        "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
        "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
        "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
    ];

    /// <summary>Code (<c>01</c> … <c>56</c>) → name.</summary>
    public static readonly FrozenDictionary<string, string> ByCode =
        Names.Select((name, i) => (Code: (i + 1).ToString("D2", System.Globalization.CultureInfo.InvariantCulture), name))
            .ToFrozenDictionary(e => e.Code, e => e.name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> ByName =
        ByCode.ToFrozenDictionary(e => e.Value, e => e.Key, StringComparer.Ordinal);

    /// <summary>The code for a code (<c>2</c>, <c>02</c>) or a name (<c>蒙古族</c>, <c>蒙古</c>), or null when it is none.</summary>
    public static string? Resolve(string? value)
    {
        var text = value?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return null;
        }
        if (text.All(char.IsAsciiDigit) && text.Length <= 2)
        {
            var code = text.PadLeft(2, '0');
            return ByCode.ContainsKey(code) ? code : null;
        }
        return ByName.TryGetValue(text, out var byName) ? byName
            : ByName.TryGetValue(text + "族", out var shortName) ? shortName
            : null;
    }

    /// <summary>The name of a code, or null.</summary>
    public static string? NameOf(string? code) => code is not null && ByCode.TryGetValue(code, out var name) ? name : null;
}
