using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Registry.Data;
using CivicGrid.Modules.Registry.History;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Registry.Organizations;

/// <summary>
/// What organizations, places and components have in common: a name, a grid (the jurisdiction,
/// from the point or chosen), an optional point and address, and who made and last changed it.
/// Each is an <see cref="IRegistryRecord"/>: its field changes are kept.
/// </summary>
internal abstract class LocatedRecord : IRegistryRecord, IInGrid
{
    public Guid Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public string GridCode { get; set; } = string.Empty;

    public double? Lon { get; set; }

    public double? Lat { get; set; }

    public string? Address { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = string.Empty;

    /// <summary>The columns every located record maps the same way, scoped by its grid.</summary>
    public static void ConfigureCommon<T>(EntityTypeBuilder<T> builder, string table) where T : LocatedRecord
    {
        builder.ToTable(table);
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Name).HasMaxLength(MaxName).IsRequired();
        builder.Property(r => r.GridCode).HasMaxLength(18).IsUnicode(false).IsRequired();
        builder.Property(r => r.Address).HasMaxLength(MaxAddress);
        builder.Property(r => r.CreatedBy).HasMaxLength(64).IsRequired();
        builder.Property(r => r.UpdatedBy).HasMaxLength(64).IsRequired();
        builder.HasIndex(r => r.GridCode);
        builder.ScopedBy(r => r.GridCode);
    }

    public const int MaxName = 100;
    public const int MaxAddress = 200;
}

/// <summary>The fields every located record's input has: where it is (a point, or a grid chosen) and what it is called.</summary>
internal interface ILocatedInput
{
    string? Name { get; }

    double? Lon { get; }

    double? Lat { get; }

    string? GridCode { get; }

    string? Address { get; }
}

/// <summary>What every located record's view has: its id (for the Location of a created record).</summary>
internal interface ILocatedView
{
    Guid Id { get; }
}
