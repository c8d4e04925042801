using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Snap.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Snap.Data;

internal sealed class SnapReportConfiguration : IEntityTypeConfiguration<SnapReport>
{
    public void Configure(EntityTypeBuilder<SnapReport> builder)
    {
        builder.ToTable("snap_reports");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.TrackingCode).HasMaxLength(10).IsUnicode(false).IsRequired();
        builder.HasIndex(s => s.TrackingCode).IsUnique();
        // One report per case; the case lives in the Cases module (no foreign key across modules).
        builder.HasIndex(s => s.CaseId).IsUnique();
        builder.Property(s => s.CaseNumber).HasMaxLength(24).IsUnicode(false).IsRequired();
        builder.Property(s => s.GridCode).HasMaxLength(18).IsUnicode(false).IsRequired();
        builder.Property(s => s.PlaceKey).HasMaxLength(40).IsUnicode(false);
        builder.Property(s => s.ClientKey).HasMaxLength(64).IsUnicode(false);
        builder.HasIndex(s => s.ClientKey).IsUnique();
        builder.Property(s => s.BodyHash).HasMaxLength(64).IsUnicode(false);
        builder.Property(s => s.HiddenBy).HasMaxLength(64);
        builder.Property(s => s.RedactedPhotoIds).HasMaxLength(400).IsUnicode(false);
        builder.Ignore(s => s.IsHidden);
        builder.Ignore(s => s.Redacted);
        // A resident's report is people's data: staff see those of their subtree only (docs/adr/0007).
        builder.ScopedBy(s => s.GridCode);
    }
}
