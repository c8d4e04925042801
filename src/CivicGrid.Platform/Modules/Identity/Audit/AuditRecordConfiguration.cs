using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Identity.Audit;

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable("audit_records");
        builder.HasKey(r => r.Sequence);
        // Assigned under the append lock, never by the database: a gap must mean a deleted record.
        builder.Property(r => r.Sequence).ValueGeneratedNever();
        builder.HasIndex(r => r.Id).IsUnique();
        builder.Property(r => r.Actor).HasMaxLength(200).IsRequired();
        builder.Property(r => r.Action).HasMaxLength(100).IsUnicode(false).IsRequired();
        builder.Property(r => r.Target).HasMaxLength(200).IsRequired();
        builder.Property(r => r.Detail).HasMaxLength(4000);
        builder.Property(r => r.Ip).HasMaxLength(64).IsUnicode(false);
        builder.Property(r => r.TraceId).HasMaxLength(64).IsUnicode(false);
        builder.Property(r => r.PrevHash).HasMaxLength(64).IsUnicode(false).IsFixedLength().IsRequired();
        builder.Property(r => r.Hash).HasMaxLength(64).IsUnicode(false).IsFixedLength().IsRequired();
        builder.HasIndex(r => r.At);
        builder.HasIndex(r => new { r.Action, r.At });
    }
}
