namespace CivicGrid.Modules.Registry.Templates;

/// <summary>The registry fields and derived values a template can put in a column, with their usual headers.</summary>
internal static class TemplateCatalog
{
    public const string Name = "name";
    public const string Sex = "sex";
    public const string BirthDate = "birthDate";
    public const string Ethnicity = "ethnicity";
    public const string HouseholdType = "householdType";
    public const string IdNumber = "idNumber";
    public const string Phone = "phone";
    public const string Address = "address";
    public const string GridCode = "gridCode";
    public const string Tags = "tags";

    public const string Age = "age";
    public const string GridName = "gridName";
    public const string Community = "community";
    public const string Township = "township";

    /// <summary>Registry fields by key, with their header.</summary>
    public static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Name] = "姓名",
        [Sex] = "性别",
        [BirthDate] = "出生日期",
        [Ethnicity] = "民族",
        [HouseholdType] = "户籍类型",
        [IdNumber] = "身份证号",
        [Phone] = "联系电话",
        [Address] = "现住址",
        [GridCode] = "网格编码",
        [Tags] = "标签",
    };

    /// <summary>Derived values by key, with their header.</summary>
    public static readonly IReadOnlyDictionary<string, string> Derived = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Age] = "年龄",
        [GridName] = "网格",
        [Community] = "社区",
        [Township] = "街镇",
    };

    /// <summary>The keys of a kind, or null for extra fields (whose keys are the template's own).</summary>
    public static IReadOnlyDictionary<string, string>? KeysOf(string kind) => kind switch
    {
        ColumnKinds.Field => Fields,
        ColumnKinds.Derived => Derived,
        _ => null,
    };

    /// <summary>True when a column needs the division names of the persons' grids.</summary>
    public static bool NeedsNames(TemplateColumn column) =>
        column.Kind == ColumnKinds.Derived && column.Key is GridName or Community or Township;
}
