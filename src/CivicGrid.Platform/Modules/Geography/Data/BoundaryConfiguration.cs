using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Geography.Data;

internal sealed class BoundaryConfiguration : IEntityTypeConfiguration<Boundary>
{
    public void Configure(EntityTypeBuilder<Boundary> builder)
    {
        builder.ToTable("geo_boundaries");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.DivisionCode).HasMaxLength(18).IsUnicode(false).IsRequired();
        builder.Property(b => b.Wkb).IsRequired();
        builder.Property(b => b.Source).HasMaxLength(200).IsRequired();
        builder.HasIndex(b => new { b.DivisionCode, b.ValidTo });
        builder.HasIndex(b => b.ValidTo);
        builder.ScopedBy(b => b.DivisionCode, ancestorsVisible: true);
        builder.HasOne<Division>().WithMany().HasForeignKey(b => b.DivisionCode).OnDelete(DeleteBehavior.Cascade);
    }
}
