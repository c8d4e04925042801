using CivicGrid.Modules.Geography.Contracts;

namespace CivicGrid.Modules.Geography.Domain;

/// <summary>An administrative division (province down to community) or a grid / micro-grid.</summary>
internal sealed class Division
{
    private Division()
    {
        Code = Name = string.Empty;
    }

    public Division(string code, string name, DivisionLevel level, string? parentCode)
    {
        Code = code;
        Name = name;
        Level = level;
        ParentCode = parentCode;
    }

    /// <summary>The statistics code (grids: community code + 3 digits). The primary key.</summary>
    public string Code { get; private set; }

    public string Name { get; private set; }

    public DivisionLevel Level { get; private set; }

    public string? ParentCode { get; private set; }

    /// <summary>Renames; returns true when something changed.</summary>
    public bool Rename(string name)
    {
        if (Name == name)
        {
            return false;
        }
        Name = name;
        return true;
    }
}
