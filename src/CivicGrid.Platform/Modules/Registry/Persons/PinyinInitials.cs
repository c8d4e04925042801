namespace CivicGrid.Modules.Registry.Persons;

/// <summary>
/// The pinyin initials of a name (<c>张三</c> → <c>zs</c>) for search, from the 3,755 common
/// characters of GB2312 level 1 (<see cref="Table"/>). Latin letters and digits are kept (lower-case);
/// rarer characters, spaces and the separator dot of transliterated names are skipped.
/// </summary>
internal static partial class PinyinInitials
{
    private const char First = '\u4E00';
    private const char Last = '\u9FFF';

    // One slot per CJK unified ideograph: its initial, or \0 when the table does not know it.
    private static readonly char[] Initials = Build();

    private static char[] Build()
    {
        var initials = new char[Last - First + 1];
        foreach (var (letter, characters) in Table)
        {
            foreach (var c in characters)
            {
                initials[c - First] = letter;
            }
        }
        return initials;
    }

    /// <summary>The initial of one character, or null.</summary>
    public static char? Of(char c) => c switch
    {
        >= First and <= Last when Initials[c - First] != '\0' => Initials[c - First],
        _ when char.IsAsciiLetterOrDigit(c) => char.ToLowerInvariant(c),
        _ => null,
    };

    /// <summary>The initials of a whole name.</summary>
    public static string Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return string.Create(name.Length, name, (span, source) =>
        {
            var n = 0;
            foreach (var c in source)
            {
                if (Of(c) is { } initial)
                {
                    span[n++] = initial;
                }
            }
            span[n..].Fill(' ');
        }).TrimEnd();
    }
}
