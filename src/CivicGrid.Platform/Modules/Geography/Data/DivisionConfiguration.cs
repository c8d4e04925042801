using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Geography.Data;

internal sealed class DivisionConfiguration : IEntityTypeConfiguration<Division>
{
    public void Configure(EntityTypeBuilder<Division> builder)
    {
        builder.ToTable("geo_divisions");
        builder.HasKey(d => d.Code);
        builder.Property(d => d.Code).HasMaxLength(18).IsUnicode(false);
        builder.Property(d => d.Name).HasMaxLength(100).IsRequired();
        builder.Property(d => d.Level).HasConversion<int>();
        builder.Property(d => d.ParentCode).HasMaxLength(18).IsUnicode(false);
        builder.HasIndex(d => d.ParentCode);
        builder.HasIndex(d => d.Level);
        // A caller sees his subtree and the divisions above it, never a sibling's.
        builder.ScopedBy(d => d.Code, ancestorsVisible: true);
    }
}
