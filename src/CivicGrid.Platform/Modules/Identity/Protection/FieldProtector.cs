using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CivicGrid.Modules.Identity.Contracts;

namespace CivicGrid.Modules.Identity.Protection;

/// <summary>
/// AES-256-GCM field encryption. A protected value is
/// <c>[format 1][kind 1][key version 4, big-endian][nonce 12][ciphertext][tag 16]</c>; the six
/// header bytes are authenticated too, so neither the key version nor the kind can be swapped.
/// </summary>
internal sealed class FieldProtector(Func<FieldKeyRing> ring) : IFieldProtector
{
    private const byte Format = 1;
    private const int HeaderSize = 6;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int IndexSize = 16;

    private readonly Lazy<FieldKeyRing> _ring = new(ring, LazyThreadSafetyMode.ExecutionAndPublication);

    // Setting up an AES-GCM or HMAC context (OpenSSL's key schedule) costs more than sealing one short
    // field: an import of 100,000 persons spent an eighth of its time there. Each thread keeps its own
    // (neither is thread-safe), per key version.
    private readonly ThreadLocal<Dictionary<uint, AesGcm>> _ciphers = new(() => []);
    private readonly ThreadLocal<HMACSHA256?> _index = new();
    private readonly ThreadLocal<NonceSource?> _nonces = new();

    public FieldProtector(FieldKeyRing ring)
        : this(() => ring)
    {
    }

    private AesGcm CipherFor(uint version, byte[] key)
    {
        var ciphers = _ciphers.Value!;
        if (!ciphers.TryGetValue(version, out var aes))
        {
            aes = new AesGcm(key, TagSize);
            ciphers[version] = aes;
        }
        return aes;
    }

    public byte[] Encrypt(string plain, FieldKind kind)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var keys = _ring.Value;
        var length = Encoding.UTF8.GetByteCount(plain);
        var result = new byte[HeaderSize + NonceSize + length + TagSize];
        var header = result.AsSpan(0, HeaderSize);
        header[0] = Format;
        header[1] = (byte)kind;
        BinaryPrimitives.WriteUInt32BigEndian(header[2..], keys.CurrentVersion);
        var nonce = result.AsSpan(HeaderSize, NonceSize);
        (_nonces.Value ??= new NonceSource()).Fill(nonce);
        // Sealed in place: the clear bytes are written where the ciphertext goes (AES-GCM allows the
        // same buffer for both), so no copy of the clear value is left behind to wipe.
        var body = result.AsSpan(HeaderSize + NonceSize, length);
        Encoding.UTF8.GetBytes(plain, body);
        CipherFor(keys.CurrentVersion, keys.CurrentKey).Encrypt(nonce, body, body, result.AsSpan(result.Length - TagSize), header);
        return result;
    }

    public string Decrypt(byte[] cipher)
    {
        var version = ReadVersion(cipher);
        if (!_ring.Value.TryGetKey(version, out var key))
        {
            throw new CryptographicException($"No field key of version {version} in the key ring.");
        }
        var header = cipher.AsSpan(0, HeaderSize);
        var nonce = cipher.AsSpan(HeaderSize, NonceSize);
        var body = cipher.AsSpan(HeaderSize + NonceSize, cipher.Length - HeaderSize - NonceSize - TagSize);
        var tag = cipher.AsSpan(cipher.Length - TagSize);
        var plain = new byte[body.Length];
        // Throws AuthenticationTagMismatchException (a CryptographicException) on any altered byte.
        CipherFor(version, key).Decrypt(nonce, body, tag, plain, header);
        return Encoding.UTF8.GetString(plain);
    }

    public byte[] BlindIndex(string plain, FieldKind kind)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var normalized = FieldNormalizer.Normalize(plain, kind);
        // The kind goes into the MAC so that equal digits in two kinds of field never match.
        var input = new byte[1 + Encoding.UTF8.GetByteCount(normalized)];
        input[0] = (byte)kind;
        Encoding.UTF8.GetBytes(normalized, input.AsSpan(1));
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        (_index.Value ??= new HMACSHA256(_ring.Value.IndexKey)).TryComputeHash(input, mac, out _);
        return mac[..IndexSize].ToArray();
    }

    public bool NeedsRotation(byte[] cipher) => ReadVersion(cipher) != _ring.Value.CurrentVersion;

    /// <summary>The key version a protected value was written under.</summary>
    public static uint ReadVersion(byte[] cipher)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        if (cipher.Length < HeaderSize + NonceSize + TagSize || cipher[0] != Format)
        {
            throw new CryptographicException("Not a protected field value (unknown format or too short).");
        }
        return BinaryPrimitives.ReadUInt32BigEndian(cipher.AsSpan(2, 4));
    }

    /// <summary>
    /// Random nonces drawn from the system's CSPRNG a few hundred at a time: one call into OpenSSL per
    /// 128 values instead of one per value (a bulk import seals two fields a row). One per thread.
    /// </summary>
    private sealed class NonceSource
    {
        private readonly byte[] _buffer = new byte[NonceSize * 128];
        private int _next = int.MaxValue;

        public void Fill(Span<byte> nonce)
        {
            if (_next > _buffer.Length - NonceSize)
            {
                RandomNumberGenerator.Fill(_buffer);
                _next = 0;
            }
            var source = _buffer.AsSpan(_next, NonceSize);
            source.CopyTo(nonce);
            // A nonce is handed out once: its bytes are cleared as it leaves.
            source.Clear();
            _next += NonceSize;
        }
    }
}
