using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Registry.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Registry.Special;

/// <summary>The special-population registers (特殊人群).</summary>
public enum SpecialRegisterKind
{
    /// <summary>刑满释放人员.</summary>
    ReleasedPrisoner = 1,
    /// <summary>社区矫正对象.</summary>
    CommunityCorrection = 2,
    /// <summary>严重精神障碍患者.</summary>
    SevereMentalDisorder = 3,
    /// <summary>吸毒人员.</summary>
    DrugUser = 4,
    /// <summary>重点青少年.</summary>
    AtRiskYouth = 5,
}

/// <summary>风险等级 of a register entry (管控等级).</summary>
public enum RiskLevel
{
    /// <summary>低.</summary>
    Low = 1,
    /// <summary>中.</summary>
    Medium = 2,
    /// <summary>高.</summary>
    High = 3,
}

/// <summary>
/// A person on a special-population register. Behind its own capability (<c>registry.special</c>):
/// without it an entry does not exist (404); every read is audited; the notes are kept only
/// encrypted. Not an <c>IRegistryRecord</c>: its changes go to the audit log, not to the field
/// history that every registry reader may see.
/// </summary>
internal sealed class SpecialRegisterEntry : IInGrid
{
    public Guid Id { get; set; }

    public Guid PersonId { get; set; }

    public SpecialRegisterKind Kind { get; set; }

    public DateOnly StartDate { get; set; }

    public DateOnly? EndDate { get; set; }

    public RiskLevel RiskLevel { get; set; }

    /// <summary>责任人: the worker or officer who keeps in touch.</summary>
    public string? ResponsiblePerson { get; set; }

    /// <summary>The notes, AES-256-GCM under the field key ring; never clear at rest.</summary>
    public byte[]? NotesCipher { get; set; }

    /// <summary>The person's grid when registered: the entry's jurisdiction.</summary>
    public string GridCode { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = string.Empty;
}

internal sealed class SpecialRegisterEntryConfiguration : IEntityTypeConfiguration<SpecialRegisterEntry>
{
    public void Configure(EntityTypeBuilder<SpecialRegisterEntry> builder)
    {
        builder.ToTable("registry_special_entries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Kind).HasConversion<int>();
        builder.Property(e => e.RiskLevel).HasConversion<int>();
        builder.Property(e => e.ResponsiblePerson).HasMaxLength(50);
        builder.Property(e => e.GridCode).HasMaxLength(18).IsUnicode(false).IsRequired();
        builder.Property(e => e.CreatedBy).HasMaxLength(64).IsRequired();
        builder.Property(e => e.UpdatedBy).HasMaxLength(64).IsRequired();
        builder.HasIndex(e => e.PersonId);
        builder.HasIndex(e => new { e.GridCode, e.Kind });
        builder.ScopedBy(e => e.GridCode);
    }
}
