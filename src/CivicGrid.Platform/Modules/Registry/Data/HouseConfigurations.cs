using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Registry.Houses;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Registry.Data;

/// <summary>The columns every place record shares, and its jurisdiction scope.</summary>
internal static class PlaceRecordMapping
{
    public static void Map<T>(EntityTypeBuilder<T> builder, string table) where T : PlaceRecord
    {
        builder.ToTable(table);
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.GridCode).HasMaxLength(18).IsUnicode(false).IsRequired();
        builder.Property(e => e.CreatedBy).HasMaxLength(64).IsRequired();
        builder.Property(e => e.UpdatedBy).HasMaxLength(64).IsRequired();
        builder.HasIndex(e => e.GridCode);
        // Places where people live are people's data: a caller sees those of his subtrees only.
        builder.ScopedBy(e => e.GridCode);
    }
}

internal sealed class CompoundConfiguration : IEntityTypeConfiguration<Compound>
{
    public void Configure(EntityTypeBuilder<Compound> builder)
    {
        PlaceRecordMapping.Map(builder, "registry_compounds");
        builder.Property(e => e.Name).HasMaxLength(100).IsRequired();
        builder.Property(e => e.Address).HasMaxLength(200);
        builder.Property(e => e.PropertyCompany).HasMaxLength(100);
    }
}

internal sealed class BuildingConfiguration : IEntityTypeConfiguration<Building>
{
    public void Configure(EntityTypeBuilder<Building> builder)
    {
        PlaceRecordMapping.Map(builder, "registry_buildings");
        builder.Property(e => e.Name).HasMaxLength(50).IsRequired();
        builder.HasIndex(e => e.CompoundId);
    }
}

internal sealed class UnitConfiguration : IEntityTypeConfiguration<Unit>
{
    public void Configure(EntityTypeBuilder<Unit> builder)
    {
        PlaceRecordMapping.Map(builder, "registry_units");
        builder.Property(e => e.Name).HasMaxLength(50).IsRequired();
        builder.HasIndex(e => e.BuildingId);
    }
}

internal sealed class HouseConfiguration : IEntityTypeConfiguration<House>
{
    public void Configure(EntityTypeBuilder<House> builder)
    {
        PlaceRecordMapping.Map(builder, "registry_houses");
        builder.Property(e => e.Room).HasMaxLength(50).IsRequired();
        builder.Property(e => e.Area).HasPrecision(10, 2);
        builder.Property(e => e.Use).HasConversion<int>();
        builder.Property(e => e.Address).HasMaxLength(200);
        builder.HasIndex(e => e.BuildingId);
        builder.HasIndex(e => e.CompoundId);
    }
}

internal sealed class HouseholdConfiguration : IEntityTypeConfiguration<Household>
{
    public void Configure(EntityTypeBuilder<Household> builder)
    {
        PlaceRecordMapping.Map(builder, "registry_households");
        builder.Property(e => e.Number).HasMaxLength(30).IsUnicode(false);
        builder.Property(e => e.Kind).HasConversion<int>();
        builder.HasIndex(e => e.HouseId);
        builder.HasIndex(e => e.HeadPersonId);
    }
}

internal sealed class ResidenceConfiguration : IEntityTypeConfiguration<Residence>
{
    public void Configure(EntityTypeBuilder<Residence> builder)
    {
        PlaceRecordMapping.Map(builder, "registry_residences");
        builder.Property(e => e.Relation).HasConversion<int>();
        builder.HasIndex(e => e.HouseId);
        builder.HasIndex(e => e.PersonId);
        builder.HasIndex(e => e.HouseholdId);
    }
}

internal sealed class VisitConfiguration : IEntityTypeConfiguration<Visit>
{
    public void Configure(EntityTypeBuilder<Visit> builder)
    {
        PlaceRecordMapping.Map(builder, "registry_visits");
        builder.Property(e => e.Notes).HasMaxLength(2000).IsRequired();
        builder.Property(e => e.IdempotencyKey).HasMaxLength(100);
        builder.Property(e => e.RequestHash).HasMaxLength(64).IsUnicode(false);
        builder.HasIndex(e => e.HouseId);
        builder.HasIndex(e => e.CreatedAt);
        // A visitor's key names one visit: a retry's insert fails here and finds the first.
        builder.HasIndex(e => new { e.CreatedBy, e.IdempotencyKey }).IsUnique();
    }
}
