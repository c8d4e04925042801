using System.Diagnostics.CodeAnalysis;

namespace CivicGrid.Modules.Identity.Contracts;

/// <summary>Sex as encoded in the 17th character of an identity card number.</summary>
public enum Sex
{
    /// <summary>Even sequence digit.</summary>
    Female = 0,

    /// <summary>Odd sequence digit.</summary>
    Male = 1,
}

/// <summary>Why an identity card number was rejected.</summary>
public enum IdNumberProblem
{
    /// <summary>The number is valid.</summary>
    None = 0,

    /// <summary>Not 18 characters.</summary>
    Length,

    /// <summary>The first 17 are not all digits, or the last is neither a digit nor X.</summary>
    Characters,

    /// <summary>The six-digit region code cannot be a division code.</summary>
    Region,

    /// <summary>The birth date does not exist (or is before 1900).</summary>
    BirthDate,

    /// <summary>The birth date is after today.</summary>
    FutureBirthDate,

    /// <summary>The check character does not match ISO 7064 MOD 11-2.</summary>
    CheckDigit,
}

/// <summary>
/// A resident identity card number per GB 11643-1999: six-digit region, birth date (yyyyMMdd),
/// three-digit sequence (odd for men) and an ISO 7064 MOD 11-2 check character (0-9 or X).
/// <see cref="ToString"/> is masked so that the number never reaches a log by accident.
/// </summary>
public sealed class IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    // China has one zone with no daylight saving; "today" for a birth date is today in UTC+8.
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private IdNumber(string value, DateOnly birthDate)
    {
        Value = value;
        BirthDate = birthDate;
    }

    /// <summary>The normalized number (upper-case X). Treat it as people's data.</summary>
    public string Value { get; }

    /// <summary>The region code of the place of first registration (not necessarily a current division).</summary>
    public string Region => Value[..6];

    /// <summary>The date of birth.</summary>
    public DateOnly BirthDate { get; }

    /// <summary>From the parity of the 17th character.</summary>
    public Sex Sex => (Value[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female;

    /// <summary>Checks <paramref name="value"/>; <paramref name="time"/> decides what "the future" is.</summary>
    public static IdNumberProblem Validate(string? value, TimeProvider time) => Check(value, time, out _, out _);

    /// <summary>Parses a valid number, or returns false.</summary>
    public static bool TryParse(string? value, TimeProvider time, [NotNullWhen(true)] out IdNumber? result)
    {
        if (Check(value, time, out var normalized, out var birthDate) == IdNumberProblem.None)
        {
            result = new IdNumber(normalized, birthDate);
            return true;
        }
        result = null;
        return false;
    }

    /// <summary>The check character (0-9 or X) for the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("17 digits expected.", nameof(first17));
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(first17[i]))
            {
                throw new ArgumentException("17 digits expected.", nameof(first17));
            }
            sum += (first17[i] - '0') * Weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    /// <summary>Masked: <c>1502**********1234</c>.</summary>
    public override string ToString() => Masking.IdNumber(Value);

    private static IdNumberProblem Check(string? value, TimeProvider time, out string normalized, out DateOnly birthDate)
    {
        ArgumentNullException.ThrowIfNull(time);
        normalized = value is null ? string.Empty : FieldNormalizer.IdNumber(value);
        birthDate = default;
        if (normalized.Length != 18)
        {
            return IdNumberProblem.Length;
        }
        var span = normalized.AsSpan();
        foreach (var c in span[..17])
        {
            if (!char.IsAsciiDigit(c))
            {
                return IdNumberProblem.Characters;
            }
        }
        if (!char.IsAsciiDigit(span[17]) && span[17] != 'X')
        {
            return IdNumberProblem.Characters;
        }
        // Province codes run from 11 (Beijing) to 82 (Macao); a region can never start with 0 or 9.
        if (span[0] is < '1' or > '8' || span[2..6].SequenceEqual("0000"))
        {
            return IdNumberProblem.Region;
        }
        // yyyyMMdd, digits already checked (the general parser costs more than the rest of the check).
        var year = ((span[6] - '0') * 1000) + ((span[7] - '0') * 100) + ((span[8] - '0') * 10) + (span[9] - '0');
        var month = ((span[10] - '0') * 10) + (span[11] - '0');
        var day = ((span[12] - '0') * 10) + (span[13] - '0');
        if (year < 1900 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return IdNumberProblem.BirthDate;
        }
        birthDate = new DateOnly(year, month, day);
        var today = DateOnly.FromDateTime(time.GetUtcNow().ToOffset(ChinaOffset).DateTime);
        if (birthDate > today)
        {
            return IdNumberProblem.FutureBirthDate;
        }
        return CheckCharacter(span[..17]) == span[17] ? IdNumberProblem.None : IdNumberProblem.CheckDigit;
    }
}
