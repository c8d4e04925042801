using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicGrid.Modules.Identity.Protection;

/// <summary>
/// The versioned keys of field encryption, kept outside the database so that a copy of the
/// database alone reveals nothing (docs/adr/0005). New writes use <see cref="CurrentVersion"/>;
/// every older version stays to decrypt what it wrote. The index key is separate: it never
/// encrypts, and changing it means recomputing every blind index.
/// </summary>
internal sealed class FieldKeyRing
{
    public const string EnvironmentVariable = "CIVICGRID_FIELD_KEYS";
    public const string PathSetting = "Security:KeyRingPath";
    public static readonly string DefaultPath = Path.Combine("data", "keys", "field-keys.json");

    private const int KeySize = 32;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly Dictionary<uint, byte[]> _keys;

    private FieldKeyRing(uint currentVersion, Dictionary<uint, byte[]> keys, byte[] indexKey)
    {
        if (!keys.ContainsKey(currentVersion))
        {
            throw new InvalidOperationException($"The field key ring names version {currentVersion} as current but holds no such key.");
        }
        if (keys.Values.Any(k => k.Length != KeySize) || indexKey.Length != KeySize)
        {
            throw new InvalidOperationException("Every field key and the index key must be 32 bytes (AES-256, HMAC-SHA256).");
        }
        CurrentVersion = currentVersion;
        _keys = keys;
        IndexKey = indexKey;
    }

    public uint CurrentVersion { get; }

    public byte[] CurrentKey => _keys[CurrentVersion];

    public byte[] IndexKey { get; }

    public IReadOnlyCollection<uint> Versions => _keys.Keys;

    public bool TryGetKey(uint version, out byte[] key) => _keys.TryGetValue(version, out key!);

    /// <summary>A new ring with one random key (version 1) and a random index key.</summary>
    public static FieldKeyRing Generate() =>
        new(1, new Dictionary<uint, byte[]> { [1] = RandomNumberGenerator.GetBytes(KeySize) }, RandomNumberGenerator.GetBytes(KeySize));

    /// <summary>This ring plus a new random key that becomes current; the index key is kept.</summary>
    public FieldKeyRing WithNewKey()
    {
        var next = _keys.Keys.Max() + 1;
        var keys = new Dictionary<uint, byte[]>(_keys) { [next] = RandomNumberGenerator.GetBytes(KeySize) };
        return new FieldKeyRing(next, keys, IndexKey);
    }

    /// <summary>
    /// The ring from <c>CIVICGRID_FIELD_KEYS</c> (base64 of the JSON) when set, else from the file
    /// at <paramref name="path"/>, which is created with one random key and mode 600 when missing.
    /// </summary>
    public static FieldKeyRing Load(string? environmentValue, string path)
    {
        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            byte[] json;
            try
            {
                json = Convert.FromBase64String(environmentValue.Trim());
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{EnvironmentVariable} is not base64 (of the key ring JSON).");
            }
            return Parse(json, EnvironmentVariable);
        }

        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            // One creator at a time, across threads and processes: File.Move without overwrite is a
            // check and a rename where the file system has no hard links, so two creators at once could
            // each move their own ring into place (seen once in CI: two index keys).
            using var creating = new Mutex(false, "civicgrid-keyring-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..32]);
            try
            {
                creating.WaitOne();
            }
            catch (AbandonedMutexException)
            {
                // A creator died holding it: the temporary-file-then-move below still never leaves half a ring.
            }
            try
            {
                if (!File.Exists(full))
                {
                    TryCreate(full, Generate());
                }
            }
            finally
            {
                creating.ReleaseMutex();
            }
        }
        return Parse(File.ReadAllBytes(full), full);
    }

    /// <summary>The key file path: <c>Security:KeyRingPath</c>, else <see cref="DefaultPath"/> (relative to the working directory).</summary>
    public static string ConfiguredPath(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[PathSetting] is { Length: > 0 } configured ? configured : DefaultPath;
    }

    /// <summary>
    /// Replaces the key file at <paramref name="path"/> with this ring: written whole to an owner-only
    /// temporary file beside it, then moved over it, so a crash leaves the old ring or the new one, never half.
    /// </summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(ToJson());
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(new Document
    {
        Current = CurrentVersion,
        Keys = _keys.OrderBy(k => k.Key).ToDictionary(k => k.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), k => Convert.ToBase64String(k.Value)),
        IndexKey = Convert.ToBase64String(IndexKey),
    }, Json);

    // Key material must never reach a log through an interpolated string.
    public override string ToString() => $"FieldKeyRing(current v{CurrentVersion}, {_keys.Count} key(s))";

    private static void TryCreate(string path, FieldKeyRing ring)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written whole beside it, then linked into place only if still absent: a process starting at
        // the same moment sees no file or the complete one, never an empty or half-written ring.
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created owner-only from the start, so the keys are never readable by others, not even briefly.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(ring.ToJson());
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs, or the two would encrypt under different keys.
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static FieldKeyRing Parse(byte[] json, string source)
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(json);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"The field key ring in {source} is not valid JSON: {e.Message}");
        }
        if (document?.Keys is not { Count: > 0 } || string.IsNullOrEmpty(document.IndexKey))
        {
            throw new InvalidOperationException($"The field key ring in {source} needs \"current\", \"keys\" and \"indexKey\".");
        }
        try
        {
            var keys = document.Keys.ToDictionary(
                k => uint.Parse(k.Key, System.Globalization.CultureInfo.InvariantCulture),
                k => Convert.FromBase64String(k.Value));
            return new FieldKeyRing(document.Current, keys, Convert.FromBase64String(document.IndexKey));
        }
        catch (FormatException)
        {
            throw new InvalidOperationException(
                $"The field key ring in {source} has a key version that is not a number or a key that is not base64.");
        }
    }

    private sealed class Document
    {
        [JsonPropertyName("current")]
        public uint Current { get; set; }

        [JsonPropertyName("keys")]
        public Dictionary<string, string>? Keys { get; set; }

        [JsonPropertyName("indexKey")]
        public string? IndexKey { get; set; }
    }
}
