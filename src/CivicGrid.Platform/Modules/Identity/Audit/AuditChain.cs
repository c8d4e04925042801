using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CivicGrid.Modules.Identity.Audit;

/// <summary>
/// The canonical form of a record and its hash. Every field is written as a 4-byte big-endian
/// length and its UTF-8 bytes (-1 for null), so no choice of separators inside a field can make
/// two different records serialize alike.
/// </summary>
internal static class AuditChain
{
    /// <summary>The PrevHash of the first record.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private const string Domain = "civicgrid.audit.v1";

    private const string AnchorDomain = "civicgrid.audit-anchor.v1";

    /// <summary>
    /// Instants are kept to the millisecond: SQLite's orderable 64-bit form and PostgreSQL's
    /// timestamptz both hold that exactly, so the value hashed is the value read back.
    /// </summary>
    public static DateTimeOffset Truncate(DateTimeOffset at)
    {
        var utc = at.UtcTicks;
        return new DateTimeOffset(utc - (utc % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    public static string ComputeHash(AuditRecord record)
    {
        using var buffer = new MemoryStream();
        Write(buffer, Domain);
        Write(buffer, record.Sequence.ToString(CultureInfo.InvariantCulture));
        Write(buffer, record.Id.ToString("D"));
        Write(buffer, record.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Write(buffer, record.Actor);
        Write(buffer, record.Action);
        Write(buffer, record.Target);
        Write(buffer, record.Detail);
        Write(buffer, record.Ip);
        Write(buffer, record.TraceId);
        Write(buffer, record.PrevHash);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    public static string ComputeHash(AuditAnchor anchor)
    {
        using var buffer = new MemoryStream();
        Write(buffer, AnchorDomain);
        Write(buffer, anchor.Id.ToString(CultureInfo.InvariantCulture));
        Write(buffer, anchor.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Write(buffer, anchor.PrunedThroughSequence.ToString(CultureInfo.InvariantCulture));
        Write(buffer, anchor.PrunedThroughHash);
        Write(buffer, anchor.RecordsPruned.ToString(CultureInfo.InvariantCulture));
        Write(buffer, anchor.PrevHash);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static void Write(MemoryStream buffer, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            buffer.Write(length);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}
