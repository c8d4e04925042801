using CivicGrid.Modules.Cases.Domain;

namespace CivicGrid.Modules.Cases.Data;

/// <summary>
/// The classification every installation starts with (大类/小类), with a duty row each. 公共设施's
/// 小类 follow the component classes of GB/T 30428 (数字化城市管理信息系统: 公用设施, 道路交通,
/// 市容环境, 园林绿化, 房屋土地, 其他设施). Deadlines are working hours: accept, dispatch, handle, verify.
/// </summary>
internal static class CaseCategorySeed
{
    private const string G = HandlingLevels.Grid;
    private const string C = HandlingLevels.Community;
    private const string T = HandlingLevels.Township;
    private const string D = HandlingLevels.Department;

    public static readonly CaseCategory[] All =
    [
        // 矛盾纠纷
        new("01", null, "矛盾纠纷", C, "justice", 2, 4, 72, 24, false, 100, duplicateRadiusMeters: 0),
        new("0101", "01", "邻里纠纷", G, "justice", 2, 4, 48, 24, true, 101, duplicateRadiusMeters: 0),
        new("0102", "01", "婚姻家庭纠纷", C, "justice", 2, 4, 72, 24, false, 102, duplicateRadiusMeters: 0),
        new("0103", "01", "物业纠纷", C, "housing", 2, 4, 120, 24, false, 103, duplicateRadiusMeters: 0),
        new("0104", "01", "劳资纠纷", T, "human-resources", 2, 4, 120, 24, false, 104, duplicateRadiusMeters: 0),
        // 安全隐患
        new("02", null, "安全隐患", T, "emergency", 1, 2, 24, 12, false, 200),
        new("0201", "02", "消防隐患", T, "fire-rescue", 1, 1, 24, 12, false, 201),
        new("0202", "02", "燃气隐患", D, "housing", 1, 1, 8, 12, false, 202),
        new("0203", "02", "危房及建筑施工隐患", D, "housing", 1, 2, 48, 24, false, 203),
        // 环境卫生
        new("03", null, "环境卫生", G, "urban-management", 2, 4, 24, 24, true, 300),
        new("0301", "03", "垃圾乱堆乱放", G, "urban-management", 2, 4, 24, 24, true, 301),
        new("0302", "03", "污水外溢", C, "water", 2, 4, 24, 24, false, 302),
        new("0303", "03", "噪声扰民", C, "ecology", 2, 4, 48, 24, false, 303),
        // 市容秩序
        new("04", null, "市容秩序", C, "urban-management", 2, 4, 48, 24, false, 400),
        new("0401", "04", "占道经营", C, "urban-management", 2, 4, 24, 24, false, 401),
        new("0402", "04", "违章搭建", T, "urban-management", 2, 8, 240, 48, false, 402),
        new("0403", "04", "非法小广告", G, "urban-management", 2, 4, 24, 24, true, 403),
        // 公共设施 (GB/T 30428 部件大类)
        new("05", null, "公共设施", C, "urban-management", 2, 4, 72, 24, false, 500),
        new("0501", "05", "公用设施(井盖、管线、路灯)", D, "utilities", 2, 4, 48, 24, false, 501),
        new("0502", "05", "道路交通设施", D, "transport", 2, 4, 72, 24, false, 502),
        new("0503", "05", "市容环境设施", C, "urban-management", 2, 4, 72, 24, false, 503),
        new("0504", "05", "园林绿化设施", D, "landscaping", 2, 4, 120, 24, false, 504),
        new("0505", "05", "房屋土地", D, "natural-resources", 2, 8, 240, 48, false, 505),
        new("0506", "05", "其他设施", C, "urban-management", 2, 4, 120, 24, false, 506),
        // 民生诉求
        new("06", null, "民生诉求", C, "civil-affairs", 4, 8, 120, 24, false, 600),
        new("0601", "06", "社会救助", C, "civil-affairs", 4, 8, 120, 24, false, 601),
        new("0602", "06", "养老服务", C, "civil-affairs", 4, 8, 120, 24, false, 602),
        new("0603", "06", "供暖供水", D, "utilities", 2, 4, 24, 24, false, 603),
        // 治安
        new("07", null, "治安", T, "public-security", 1, 1, 24, 12, false, 700),
        new("0701", "07", "治安隐患", T, "public-security", 1, 1, 24, 12, false, 701),
        new("0702", "07", "可疑人员", T, "public-security", 1, 1, 8, 12, false, 702),
    ];
}
