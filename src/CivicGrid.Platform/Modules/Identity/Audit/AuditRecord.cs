namespace CivicGrid.Modules.Identity.Audit;

/// <summary>
/// One link of the audit chain. <see cref="Hash"/> covers every other field and
/// <see cref="PrevHash"/>, so a record cannot be edited, removed or moved without the chain
/// showing it from that point on (see <see cref="AuditChain"/>).
/// </summary>
internal sealed class AuditRecord
{
    private AuditRecord()
    {
        Actor = Action = Target = PrevHash = Hash = string.Empty;
    }

    public AuditRecord(long sequence, Guid id, DateTimeOffset at, string actor, string action, string target,
        string? detail, string? ip, string? traceId, string prevHash)
    {
        Sequence = sequence;
        Id = id;
        At = at;
        Actor = actor;
        Action = action;
        Target = target;
        Detail = detail;
        Ip = ip;
        TraceId = traceId;
        PrevHash = prevHash;
        Hash = AuditChain.ComputeHash(this);
    }

    /// <summary>The position in the chain: 1, 2, 3… without gaps, assigned under the append lock.</summary>
    public long Sequence { get; private set; }

    public Guid Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    public string Actor { get; private set; }

    public string Action { get; private set; }

    public string Target { get; private set; }

    public string? Detail { get; private set; }

    public string? Ip { get; private set; }

    public string? TraceId { get; private set; }

    public string PrevHash { get; private set; }

    public string Hash { get; private set; }
}
