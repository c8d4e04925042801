using CivicGrid.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Registry.Organizations;

/// <summary>The five classes of city components (部件) after GB/T 30428.</summary>
public enum ComponentClass
{
    /// <summary>公共设施 (manhole covers, hydrants, power and water facilities ...).</summary>
    PublicFacilities = 1,
    /// <summary>交通设施 (signs, lights, barriers ...).</summary>
    Traffic = 2,
    /// <summary>市容环境设施 (bins, public toilets, billboards ...).</summary>
    CityAppearance = 3,
    /// <summary>园林绿化设施 (trees, green belts, benches ...).</summary>
    Greening = 4,
    /// <summary>其他.</summary>
    Other = 5,
}

/// <summary>A component's condition.</summary>
public enum ComponentStatus
{
    /// <summary>完好.</summary>
    Intact = 1,
    /// <summary>损坏.</summary>
    Damaged = 2,
    /// <summary>丢失.</summary>
    Missing = 3,
}

/// <summary>A public facility in a grid (井盖, 路灯, 消防栓, 监控 ...): class, subclass, its own code, condition.</summary>
internal sealed class Component : LocatedRecord
{
    public const int MaxSubclass = 20;
    public const int MaxCode = 40;

    public ComponentClass Class { get; set; }

    /// <summary>小类: 井盖, 路灯, 消防栓, 监控 … (free text, suggested by <see cref="ComponentRecords.CommonSubclasses"/>).</summary>
    public string Subclass { get; set; } = string.Empty;

    /// <summary>The component's own number (部件编码), when it has one.</summary>
    public string? Code { get; set; }

    public ComponentStatus Status { get; set; }
}

internal sealed class ComponentConfiguration : IEntityTypeConfiguration<Component>
{
    public void Configure(EntityTypeBuilder<Component> builder)
    {
        LocatedRecord.ConfigureCommon(builder, "registry_components");
        builder.Property(c => c.Class).HasConversion<int>();
        builder.Property(c => c.Status).HasConversion<int>();
        builder.Property(c => c.Subclass).HasMaxLength(Component.MaxSubclass).IsRequired();
        builder.Property(c => c.Code).HasMaxLength(Component.MaxCode);
        builder.HasIndex(c => c.Code);
        builder.HasIndex(c => new { c.GridCode, c.Class });
    }
}

internal sealed record ComponentView(
    Guid Id, string Name, ComponentClass Class, string Subclass, string? Code, ComponentStatus Status, string? Address, double? Lon,
    double? Lat, string GridCode, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy) : ILocatedView;

internal sealed record ComponentInput(
    string? Name, ComponentClass? Class, string? Subclass, string? Code, ComponentStatus? Status, string? Address, double? Lon, double? Lat,
    string? GridCode) : ILocatedInput;

/// <summary>The components' use cases; a component without a name goes by its subclass and code.</summary>
internal sealed class ComponentRecords(LocatedServices services) : LocatedRecords<Component, ComponentInput, ComponentView>(services)
{
    /// <summary>Subclasses the forms suggest.</summary>
    public static readonly IReadOnlyList<string> CommonSubclasses = ["井盖", "路灯", "消防栓", "监控", "垃圾箱", "公厕", "交通标志", "护栏", "座椅", "行道树"];

    protected override string Noun => "component";

    protected override string Label => "部件";

    protected override bool NameRequired => false;

    protected override Component New() => new();

    protected override void Validate(ComponentInput input, FieldErrors errors) =>
        errors.When(input.Class is not { } c || !Enum.IsDefined(c), "class",
                "class 须为 PublicFacilities / Traffic / CityAppearance / Greening / Other（公共设施、交通设施、市容环境设施、园林绿化设施、其他）")
            .When(Trimmed(input.Subclass) is not { Length: <= Component.MaxSubclass }, "subclass",
                $"须填写小类（如 {string.Join("、", CommonSubclasses.Take(4))}），最多 {Component.MaxSubclass} 个字")
            .When(Trimmed(input.Code) is { Length: > Component.MaxCode }, "code", $"部件编码最多 {Component.MaxCode} 个字符")
            .When(input.Status is { } s && !Enum.IsDefined(s), "status", "status 须为 Intact / Damaged / Missing");

    protected override void Apply(Component record, ComponentInput input)
    {
        record.Class = input.Class!.Value;
        record.Subclass = Trimmed(input.Subclass)!;
        record.Code = Trimmed(input.Code);
        record.Status = input.Status ?? ComponentStatus.Intact;
        if (record.Name.Length == 0)
        {
            record.Name = record.Code is null ? record.Subclass : $"{record.Subclass} {record.Code}";
        }
    }

    protected override ComponentView View(Component c) => new(
        c.Id, c.Name, c.Class, c.Subclass, c.Code, c.Status, c.Address, c.Lon, c.Lat, c.GridCode, c.CreatedAt, c.CreatedBy, c.UpdatedAt,
        c.UpdatedBy);

    protected override IQueryable<Component> Search(IQueryable<Component> records, string text) =>
        records.Where(c => c.Name.Contains(text) || c.Subclass.Contains(text) || c.Code == text);
}
