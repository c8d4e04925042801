namespace CivicGrid.Modules.Identity.Contracts;

/// <summary>What a protected field holds; it decides how the value is normalized for the blind index.</summary>
public enum FieldKind
{
    /// <summary>A resident identity card number (居民身份证号): upper-case, trimmed.</summary>
    IdNumber = 1,

    /// <summary>A phone number: digits only, without a leading +86 or 0086.</summary>
    Phone = 2,

    /// <summary>Free text (a register entry's notes): encrypted only, never looked up by value, so never blind-indexed.</summary>
    Text = 3,
}

/// <summary>
/// Encrypts people's data at rest (AES-256-GCM under a versioned key ring kept outside the
/// database) and computes the keyed blind index used to find a row by exact value.
/// </summary>
public interface IFieldProtector
{
    /// <summary>Encrypts <paramref name="plain"/> with the current key; the result names the key version.</summary>
    byte[] Encrypt(string plain, FieldKind kind);

    /// <summary>Decrypts a value from <see cref="Encrypt"/>; throws a <see cref="System.Security.Cryptography.CryptographicException"/> when it was altered or its key is unknown.</summary>
    string Decrypt(byte[] cipher);

    /// <summary>A 16-byte HMAC-SHA256 of the normalized value, equal for equal values whatever their formatting.</summary>
    byte[] BlindIndex(string plain, FieldKind kind);

    /// <summary>True when <paramref name="cipher"/> was written under an older key and should be re-encrypted.</summary>
    bool NeedsRotation(byte[] cipher);
}
