using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Identity.Audit;

/// <summary>
/// Written by retention before it deletes the oldest records: the last deleted record's sequence
/// and hash, so the chain stays verifiable from the first record kept. Anchors chain among
/// themselves (<see cref="PrevHash"/>, <see cref="Hash"/>), so an edited or deleted anchor shows too.
/// </summary>
internal sealed class AuditAnchor
{
    private AuditAnchor()
    {
        PrunedThroughHash = PrevHash = Hash = string.Empty;
    }

    public AuditAnchor(long id, DateTimeOffset createdAt, long prunedThroughSequence, string prunedThroughHash, long recordsPruned,
        string prevHash)
    {
        Id = id;
        CreatedAt = createdAt;
        PrunedThroughSequence = prunedThroughSequence;
        PrunedThroughHash = prunedThroughHash;
        RecordsPruned = recordsPruned;
        PrevHash = prevHash;
        Hash = AuditChain.ComputeHash(this);
    }

    /// <summary>1, 2, 3… without gaps, assigned under the audit lock.</summary>
    public long Id { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The last deleted record: the first kept one must be this + 1.</summary>
    public long PrunedThroughSequence { get; private set; }

    /// <summary>The last deleted record's hash: the first kept one's PrevHash.</summary>
    public string PrunedThroughHash { get; private set; }

    public long RecordsPruned { get; private set; }

    /// <summary>The previous anchor's hash (<see cref="AuditChain.Genesis"/> for the first).</summary>
    public string PrevHash { get; private set; }

    public string Hash { get; private set; }
}

internal sealed class AuditAnchorConfiguration : IEntityTypeConfiguration<AuditAnchor>
{
    public void Configure(EntityTypeBuilder<AuditAnchor> builder)
    {
        builder.ToTable("audit_anchors");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.PrunedThroughHash).HasMaxLength(64).IsUnicode(false).IsFixedLength().IsRequired();
        builder.Property(a => a.PrevHash).HasMaxLength(64).IsUnicode(false).IsFixedLength().IsRequired();
        builder.Property(a => a.Hash).HasMaxLength(64).IsUnicode(false).IsFixedLength().IsRequired();
    }
}
