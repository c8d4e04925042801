namespace CivicGrid.Modules.Cases.Domain;

/// <summary>Which level of the ladder handles a category first (网格职责清单).</summary>
public static class HandlingLevels
{
    public const string Grid = "grid";
    public const string Community = "community";
    public const string Township = "township";
    public const string Department = "department";
}

/// <summary>
/// One row of the two-level classification (大类 with <see cref="ParentCode"/> null, 小类 under it)
/// and its duty row: who handles it first, which department owns it, the deadlines in hours and
/// whether a grid worker may close it himself (自行处置).
/// </summary>
internal sealed class CaseCategory
{
    public CaseCategory(string code, string? parentCode, string name, string firstLevel, string? departmentCode,
        int acceptHours, int dispatchHours, int handleHours, int verifyHours, bool selfClose, int sortOrder,
        int duplicateRadiusMeters = 100, int duplicateWindowHours = 72)
    {
        DuplicateRadiusMeters = duplicateRadiusMeters;
        DuplicateWindowHours = duplicateWindowHours;
        Code = code;
        ParentCode = parentCode;
        Name = name;
        FirstLevel = firstLevel;
        DepartmentCode = departmentCode;
        AcceptHours = acceptHours;
        DispatchHours = dispatchHours;
        HandleHours = handleHours;
        VerifyHours = verifyHours;
        SelfClose = selfClose;
        SortOrder = sortOrder;
    }

    public string Code { get; private set; }

    public string? ParentCode { get; private set; }

    public string Name { get; private set; }

    public string FirstLevel { get; private set; }

    public string? DepartmentCode { get; private set; }

    public int AcceptHours { get; private set; }

    public int DispatchHours { get; private set; }

    public int HandleHours { get; private set; }

    public int VerifyHours { get; private set; }

    public bool SelfClose { get; private set; }

    public int SortOrder { get; private set; }

    /// <summary>Open cases of this category within this distance (0: never) and ...</summary>
    public int DuplicateRadiusMeters { get; private set; }

    /// <summary>... reported within these hours are offered as "already reported" at intake.</summary>
    public int DuplicateWindowHours { get; private set; }
}
