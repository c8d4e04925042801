using CivicGrid.Modules.Geography.Contracts;

namespace CivicGrid.Modules.Registry.Templates;

/// <summary>
/// The names of the grids, communities and townships a set of grids lies in, through the Geography
/// contract: one query per township (its name, its communities) and one per community (its grids),
/// never one per person.
/// </summary>
internal sealed class DivisionNames(IDivisionDirectory divisions)
{
    private static readonly int TownshipLength = DivisionCode.LengthOf(DivisionLevel.Township);
    private static readonly int CommunityLength = DivisionCode.LengthOf(DivisionLevel.Community);

    public async Task<IReadOnlyDictionary<string, string>> ForGridsAsync(IEnumerable<string> gridCodes, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var grids = gridCodes.Where(g => g.Length >= CommunityLength).Distinct(StringComparer.Ordinal).ToList();
        foreach (var township in grids.Select(g => g[..TownshipLength]).Distinct(StringComparer.Ordinal))
        {
            if (await divisions.FindAsync(township, cancellationToken) is { } found)
            {
                names[township] = found.Name;
            }
            await AddChildrenAsync(township);
        }
        foreach (var community in grids.Select(g => g[..CommunityLength]).Distinct(StringComparer.Ordinal))
        {
            await AddChildrenAsync(community);
        }
        return names;

        async Task AddChildrenAsync(string code)
        {
            foreach (var child in await divisions.ChildrenAsync(code, cancellationToken))
            {
                names[child.Code] = child.Name;
            }
        }
    }

    /// <summary>The township of a grid code (its first 9 digits).</summary>
    public static string TownshipOf(string gridCode) => gridCode.Length >= TownshipLength ? gridCode[..TownshipLength] : gridCode;

    /// <summary>The community of a grid code (its first 12 digits).</summary>
    public static string CommunityOf(string gridCode) => gridCode.Length >= CommunityLength ? gridCode[..CommunityLength] : gridCode;
}
