using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Registry.Tags;

/// <summary>
/// A tag a person may carry (独居老人, 低保, 资源型 …), in a group. The catalog is national (not
/// jurisdiction data), seeded by the migration and edited by holders of <c>registry.catalog</c>; a
/// retired tag stays on the persons that carry it but is refused on new writes.
/// </summary>
internal sealed class RegistryTag
{
    public const int MaxNameLength = 20;
    public const int MaxGroupLength = 20;

    public string Name { get; set; } = string.Empty;

    public string Group { get; set; } = string.Empty;

    public int SortOrder { get; set; }

    public bool Active { get; set; } = true;

    public string? UpdatedBy { get; set; }
}

/// <summary>The groups of the seeded catalog.</summary>
internal static class TagGroups
{
    public const string Care = "关爱对象";
    public const string Assistance = "社会救助";
    public const string Veterans = "优抚对象";
    public const string ResidentType = "居民类型";
    public const string Other = "其他";

    /// <summary>The seed: (group, tags) in display order.</summary>
    public static readonly (string Group, string[] Tags)[] Seed =
    [
        (Care, ["独居老人", "空巢老人", "留守老人", "留守儿童", "困难户", "失独家庭", "残疾人", "重病患者"]),
        (Assistance, ["低保", "特困供养", "低收入"]),
        (Veterans, ["退役军人", "军烈属"]),
        // 资源型 can give help, 服务型 need help, 管理型 need oversight (Wuhai's three resident types).
        (ResidentType, ["资源型", "服务型", "管理型"]),
        (Other, ["党员", "志愿者", "楼栋长"]),
    ];
}

internal sealed class RegistryTagConfiguration : IEntityTypeConfiguration<RegistryTag>
{
    public void Configure(EntityTypeBuilder<RegistryTag> builder)
    {
        builder.ToTable("registry_tags");
        builder.HasKey(t => t.Name);
        builder.Property(t => t.Name).HasMaxLength(RegistryTag.MaxNameLength);
        builder.Property(t => t.Group).HasMaxLength(RegistryTag.MaxGroupLength).IsRequired();
        builder.Property(t => t.UpdatedBy).HasMaxLength(64);
        var order = 0;
        builder.HasData(TagGroups.Seed.SelectMany(g => g.Tags.Select(t => new RegistryTag { Name = t, Group = g.Group, SortOrder = ++order * 10 })));
    }
}
