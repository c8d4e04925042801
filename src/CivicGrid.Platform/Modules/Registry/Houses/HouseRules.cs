using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Registry.Contracts;

namespace CivicGrid.Modules.Registry.Houses;

/// <summary>The rules of a house's own fields, shared by the API and the house ledger import.</summary>
internal static class HouseRules
{
    public const int MaxRoom = 50;
    public const int MaxAddress = 200;

    /// <summary>The field names the rules report under (the import maps them to its columns).</summary>
    public static readonly string[] Fields = ["room", "floor", "area", "use", "address", "buildingId"];

    /// <summary>Adds the problems of a house's fields to <paramref name="errors"/>.</summary>
    public static FieldErrors Check(FieldErrors errors, string room, int? floor, decimal? area, HouseUse? use, string? address, bool inBuilding,
        bool inUnit) =>
        errors.When(room.Length is 0 or > MaxRoom, "room", $"房号须为 1-{MaxRoom} 个字")
            .When(floor is < -5 or > 200, "floor", "楼层须在 -5 到 200 之间")
            .When(area is <= 0 or > 100_000, "area", "面积须大于 0 且不超过 100000 平方米")
            .When(use is null, "use", "须选择房屋用途（SelfOccupied 自住 / Rented 出租 / Vacant 空置 / Commercial 商用）")
            .When(address is { Length: > MaxAddress }, "address", $"地址最多 {MaxAddress} 个字")
            .When(inUnit && !inBuilding, "buildingId", "选择单元时须选择楼栋")
            .When(!inBuilding && string.IsNullOrWhiteSpace(address), "address", "不在楼栋中的房屋（平房）须填写地址");

    /// <summary>A use as ledgers write it (自住, 出租, 空置/闲置, 商用/经营) or its English name; null when unknown.</summary>
    public static HouseUse? ParseUse(string? text) => text?.Trim() switch
    {
        "自住" or "自用" or "SelfOccupied" => HouseUse.SelfOccupied,
        "出租" or "租赁" or "Rented" => HouseUse.Rented,
        "空置" or "闲置" or "Vacant" => HouseUse.Vacant,
        "商用" or "经营" or "商业" or "Commercial" => HouseUse.Commercial,
        _ => null,
    };

    /// <summary>The Chinese name of a use.</summary>
    public static string NameOf(HouseUse use) => use switch
    {
        HouseUse.SelfOccupied => "自住",
        HouseUse.Rented => "出租",
        HouseUse.Vacant => "空置",
        _ => "商用",
    };
}
