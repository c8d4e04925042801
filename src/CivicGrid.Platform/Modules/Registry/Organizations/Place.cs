using CivicGrid.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Registry.Organizations;

/// <summary>The kinds of key place (重点场所).</summary>
public enum PlaceKind
{
    /// <summary>学校.</summary>
    School = 1,
    /// <summary>市场.</summary>
    Market = 2,
    /// <summary>医院.</summary>
    Hospital = 3,
    /// <summary>危化场所 (hazardous chemicals).</summary>
    HazardousSite = 4,
    /// <summary>娱乐场所.</summary>
    Entertainment = 5,
    /// <summary>宗教场所.</summary>
    Religious = 6,
    /// <summary>其他.</summary>
    Other = 99,
}

/// <summary>A key place in a grid, with the person responsible for it.</summary>
internal sealed class Place : LocatedRecord
{
    public PlaceKind Kind { get; set; }

    /// <summary>负责人.</summary>
    public string? ResponsiblePerson { get; set; }
}

internal sealed class PlaceConfiguration : IEntityTypeConfiguration<Place>
{
    public void Configure(EntityTypeBuilder<Place> builder)
    {
        LocatedRecord.ConfigureCommon(builder, "registry_places");
        builder.Property(p => p.Kind).HasConversion<int>();
        builder.Property(p => p.ResponsiblePerson).HasMaxLength(50);
    }
}

internal sealed record PlaceView(
    Guid Id, string Name, PlaceKind Kind, string? ResponsiblePerson, string? Address, double? Lon, double? Lat, string GridCode,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy) : ILocatedView;

internal sealed record PlaceInput(
    string? Name, PlaceKind? Kind, string? ResponsiblePerson, string? Address, double? Lon, double? Lat, string? GridCode) : ILocatedInput;

/// <summary>The key places' use cases.</summary>
internal sealed class PlaceRecords(LocatedServices services) : LocatedRecords<Place, PlaceInput, PlaceView>(services)
{
    protected override string Noun => "place";

    protected override string Label => "场所";

    protected override Place New() => new();

    protected override void Validate(PlaceInput input, FieldErrors errors) =>
        errors.When(input.Kind is not { } kind || !Enum.IsDefined(kind), "kind",
                "kind 须为 School / Market / Hospital / HazardousSite / Entertainment / Religious / Other")
            .When(Trimmed(input.ResponsiblePerson) is { Length: > 50 }, "responsiblePerson", "负责人最多 50 个字");

    protected override void Apply(Place record, PlaceInput input)
    {
        record.Kind = input.Kind!.Value;
        record.ResponsiblePerson = Trimmed(input.ResponsiblePerson);
    }

    protected override PlaceView View(Place p) => new(
        p.Id, p.Name, p.Kind, p.ResponsiblePerson, p.Address, p.Lon, p.Lat, p.GridCode, p.CreatedAt, p.CreatedBy, p.UpdatedAt, p.UpdatedBy);

    protected override IQueryable<Place> Search(IQueryable<Place> records, string text) =>
        records.Where(p => p.Name.Contains(text) || (p.ResponsiblePerson != null && p.ResponsiblePerson.Contains(text)));
}
