using System.Security.Cryptography;

namespace CivicGrid.Modules.Identity.Users;

/// <summary>The password policy and the generator of passwords handed to new or reset users.</summary>
internal static class Passwords
{
    // No 0/O, 1/l/I: generated passwords are read aloud and typed from paper.
    private const string Lower = "abcdefghijkmnpqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";

    /// <summary>Null when the password is acceptable, otherwise why not (shown to the operator).</summary>
    public static string? Check(string password, int minLength)
    {
        if (string.IsNullOrEmpty(password) || password.Length < minLength)
        {
            return $"密码至少 {minLength} 个字符";
        }
        var classes = (password.Any(char.IsLower) ? 1 : 0) + (password.Any(char.IsUpper) ? 1 : 0)
            + (password.Any(char.IsDigit) ? 1 : 0) + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        return classes < 2 ? "密码须包含至少两类字符（小写、大写、数字、符号）" : null;
    }

    /// <summary>A random password of <paramref name="length"/> characters with lower, upper and digits.</summary>
    public static string Generate(int length = 16)
    {
        var all = Lower + Upper + Digits;
        var chars = new char[Math.Max(length, 12)];
        chars[0] = Lower[RandomNumberGenerator.GetInt32(Lower.Length)];
        chars[1] = Upper[RandomNumberGenerator.GetInt32(Upper.Length)];
        chars[2] = Digits[RandomNumberGenerator.GetInt32(Digits.Length)];
        for (var i = 3; i < chars.Length; i++)
        {
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
