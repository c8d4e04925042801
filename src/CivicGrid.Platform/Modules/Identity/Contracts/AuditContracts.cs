namespace CivicGrid.Modules.Identity.Contracts;

/// <summary>
/// One thing worth answering for later: who (<see cref="Actor"/>) did what (<see cref="Action"/>,
/// e.g. <c>auth.sign_in</c>, <c>registry.unmask</c>) to what (<see cref="Target"/>).
/// <see cref="Detail"/> must never hold a clear ID number or phone: mask it first.
/// </summary>
/// <param name="Actor">The account or system component acting.</param>
/// <param name="Action">A stable dotted code.</param>
/// <param name="Target">What was acted on, e.g. <c>person:0193…</c>.</param>
/// <param name="Detail">Free text or JSON, already masked.</param>
/// <param name="Ip">The client address, when there is one.</param>
/// <param name="TraceId">The trace id; taken from the current activity when null.</param>
public sealed record AuditEntry(string Actor, string Action, string Target, string? Detail = null, string? Ip = null,
    string? TraceId = null);

/// <summary>Where an appended entry landed in the chain.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Sequence">Its position, from 1 without gaps.</param>
/// <param name="Hash">SHA-256 (hex) over its fields and the previous record's hash.</param>
public sealed record AuditReceipt(Guid Id, long Sequence, string Hash);

/// <summary>The result of walking the chain.</summary>
/// <param name="Records">How many records were read.</param>
/// <param name="BrokenId">The first record that does not fit the chain, or null when it is intact.</param>
/// <param name="BrokenSequence">That record's sequence number.</param>
/// <param name="Reason">Why it does not fit.</param>
/// <param name="BrokenAnchor">The first retention anchor that was edited or removed, when that is what broke.</param>
/// <param name="AnchoredThrough">When older records were pruned by retention: the last pruned sequence, after which the walk began.</param>
public sealed record AuditVerification(long Records, Guid? BrokenId = null, long? BrokenSequence = null, string? Reason = null,
    long? BrokenAnchor = null, long? AnchoredThrough = null)
{
    /// <summary>True when every record follows from the one before (and the first kept one from the last anchor).</summary>
    public bool IsIntact => BrokenId is null && BrokenAnchor is null && Reason is null;
}

/// <summary>What one retention pass did.</summary>
/// <param name="Pruned">Records deleted.</param>
/// <param name="ThroughSequence">The last deleted sequence, when any were.</param>
/// <param name="AnchorId">The anchor written, when any records were deleted.</param>
/// <param name="Refused">Why nothing was deleted although records were due (a broken chain is kept as evidence).</param>
public sealed record AuditPruneResult(long Pruned, long? ThroughSequence = null, long? AnchorId = null, string? Refused = null);

/// <summary>
/// The append-only, hash-chained audit log. Appends are serialized so the chain never forks;
/// <see cref="VerifyAsync"/> finds edited, deleted or reordered records.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends an entry at the current time and links it to the last record.</summary>
    Task<AuditReceipt> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Walks the chain in order and reports the first record that breaks it.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the records written before <paramref name="cutoff"/> in one transaction, having first
    /// checked the chain and written an anchor holding the last deleted record's sequence and hash.
    /// Idempotent; refuses (and deletes nothing) when the chain is broken.
    /// </summary>
    Task<AuditPruneResult> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}

/// <summary>One audit record as auditors read it (API, page, CSV export).</summary>
/// <param name="Sequence">Its position in the chain.</param>
/// <param name="Time">When it was written (UTC).</param>
/// <param name="Actor">Who acted.</param>
/// <param name="Action">The dotted action code.</param>
/// <param name="Target">What was acted on.</param>
/// <param name="Detail">Masked free text.</param>
/// <param name="Ip">The client address.</param>
/// <param name="TraceId">The request's trace id.</param>
public sealed record AuditRecordView(long Sequence, DateTimeOffset Time, string Actor, string Action, string Target,
    string? Detail, string? Ip, string? TraceId);
