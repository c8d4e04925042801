namespace CivicGrid.Modules.Geography.Contracts;

/// <summary>The five levels of the national statistics division codes, then grids.</summary>
public enum DivisionLevel
{
    /// <summary>省 / 自治区: 2 digits.</summary>
    Province = 1,
    /// <summary>市 / 盟: 4 digits.</summary>
    City = 2,
    /// <summary>县 / 区 / 旗: 6 digits.</summary>
    County = 3,
    /// <summary>乡 / 镇 / 街道 / 苏木: 9 digits.</summary>
    Township = 4,
    /// <summary>社区 / 村 / 嘎查: 12 digits.</summary>
    Community = 5,
    /// <summary>网格: community code + 3 digits (15).</summary>
    Grid = 6,
    /// <summary>微网格: grid code + 3 digits (18).</summary>
    MicroGrid = 7,
}
