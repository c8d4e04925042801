using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Registry.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Registry.History;

/// <summary>
/// One field of one registry record changed (变更记录): who, when, from what to what. A protected
/// field (ciphertext, blind index) is recorded as changed with neither value. The rows of one save
/// of one record share a <see cref="ChangeSetId"/>.
/// </summary>
internal sealed class RegistryChange : IInGrid
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Deleted = "deleted";

    public Guid Id { get; set; }

    public Guid ChangeSetId { get; set; }

    /// <summary><c>person</c>, <c>organization</c> … (the record's type, camel case).</summary>
    public string EntityType { get; set; } = string.Empty;

    public Guid RecordId { get; set; }

    /// <summary>The record's grid: the history is scoped like the record.</summary>
    public string GridCode { get; set; } = string.Empty;

    /// <summary><see cref="Created"/>, <see cref="Updated"/> or <see cref="Deleted"/>.</summary>
    public string Operation { get; set; } = string.Empty;

    /// <summary>The field's name as the API spells it (<c>name</c>, <c>phone</c>, <c>gridCode</c>).</summary>
    public string Field { get; set; } = string.Empty;

    public string? OldValue { get; set; }

    public string? NewValue { get; set; }

    /// <summary>True for a protected field: it changed, and neither value is kept.</summary>
    public bool Protected { get; set; }

    public string ChangedBy { get; set; } = string.Empty;

    public DateTimeOffset ChangedAt { get; set; }
}

internal sealed class RegistryChangeConfiguration : IEntityTypeConfiguration<RegistryChange>
{
    public void Configure(EntityTypeBuilder<RegistryChange> builder)
    {
        builder.ToTable("registry_changes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.EntityType).HasMaxLength(40).IsUnicode(false).IsRequired();
        builder.Property(c => c.GridCode).HasMaxLength(18).IsUnicode(false).IsRequired();
        builder.Property(c => c.Operation).HasMaxLength(10).IsUnicode(false).IsRequired();
        builder.Property(c => c.Field).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.Property(c => c.OldValue).HasMaxLength(RegistryDiff.MaxValueLength);
        builder.Property(c => c.NewValue).HasMaxLength(RegistryDiff.MaxValueLength);
        builder.Property(c => c.ChangedBy).HasMaxLength(64).IsRequired();
        builder.HasIndex(c => new { c.RecordId, c.ChangedAt });
        builder.HasIndex(c => new { c.GridCode, c.ChangedAt });
        // Scoped like the records: a change of a person outside the caller's subtrees does not exist for him.
        builder.ScopedBy(c => c.GridCode);
    }
}
