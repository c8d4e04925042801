using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;

namespace CivicGrid.Modules.Registry.Import;

/// <summary>
/// Places a row in a grid: by 网格编码, or by 所属网格 (the grid's name, looked up under the caller's
/// jurisdictions or <c>within</c>). The addresses (现住址) are not geocoded. Lookups are cached for the
/// whole import and resolved per chunk before the rows are checked in parallel.
/// </summary>
internal sealed class GridPlaces(ICaller caller, IDivisionDirectory divisions, string? within)
{
    private readonly Dictionary<string, DivisionSummary?> _codes = new(StringComparer.Ordinal);
    private Dictionary<string, List<string>>? _names;

    /// <summary>Looks up the codes and (once) the names a chunk uses.</summary>
    public async Task ResolveAsync(IEnumerable<(string? Code, string? Name)> cells, CancellationToken cancellationToken)
    {
        var needNames = false;
        foreach (var (code, name) in cells)
        {
            if (code is not null)
            {
                if (!_codes.ContainsKey(code))
                {
                    await LookUpAsync(code, cancellationToken);
                }
            }
            else if (name is not null)
            {
                needNames = true;
            }
        }
        if (needNames && _names is null)
        {
            _names = await NamesAsync(cancellationToken);
        }
    }

    /// <summary>The row's grid code, or why the row has none the caller may register persons in.</summary>
    public (string? Code, string? Problem) Place(string? code, string? name)
    {
        if (code is null)
        {
            if (name is null)
            {
                return (null, "须填写网格编码或所属网格");
            }
            if (_names is null)
            {
                return (null, "按所属网格名称导入须指定辖区（within）");
            }
            if (!_names.TryGetValue(name, out var codes))
            {
                return (null, $"您的辖区内没有名为“{name}”的网格");
            }
            if (codes.Count > 1)
            {
                return (null, $"网格名称“{name}”不唯一（{string.Join("、", codes.Take(5))}），请填写网格编码");
            }
            code = codes[0];
        }
        if (!_codes.TryGetValue(code, out var grid))
        {
            // Found by name: the walk below only collects grids.
            grid = new DivisionSummary(code, name ?? code, DivisionLevel.Grid, null);
        }
        if (grid is null || grid.Level != DivisionLevel.Grid || !caller.Covers(code))
        {
            // A grid outside the caller's subtrees reads like one that does not exist: nothing leaks.
            return (code, $"没有网格 {code}");
        }
        return caller.Can(Capabilities.RegistryWrite, code) ? (code, null) : (code, $"无权在网格 {code} 登记人员");
    }

    /// <summary>A grid code's whole community at once (one query for its ~10-20 grids, not one each); any other code alone.</summary>
    private async Task LookUpAsync(string code, CancellationToken cancellationToken)
    {
        if (DivisionCode.LevelOf(code) == DivisionLevel.Grid)
        {
            foreach (var sibling in await divisions.ChildrenAsync(DivisionCode.ParentOf(code)!, cancellationToken))
            {
                _codes[sibling.Code] = sibling;
            }
            _codes.TryAdd(code, null);
            return;
        }
        _codes[code] = await divisions.FindAsync(code, cancellationToken);
    }

    private async Task<Dictionary<string, List<string>>?> NamesAsync(CancellationToken cancellationToken)
    {
        IEnumerable<string> roots = within is { Length: > 0 } ? [within]
            : caller.IsSystem ? []
            : caller.Grants.Select(g => g.JurisdictionCode).Distinct(StringComparer.Ordinal);
        var queue = new Queue<string>(roots);
        if (queue.Count == 0)
        {
            return null;
        }
        var names = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var root in queue.ToList())
        {
            if (await divisions.FindAsync(root, cancellationToken) is { Level: DivisionLevel.Grid } grid)
            {
                Add(grid);
            }
        }
        while (queue.TryDequeue(out var code))
        {
            foreach (var child in await divisions.ChildrenAsync(code, cancellationToken))
            {
                if (child.Level == DivisionLevel.Grid)
                {
                    Add(child);
                }
                else if (child.Level < DivisionLevel.Grid)
                {
                    queue.Enqueue(child.Code);
                }
            }
        }
        return names;

        void Add(DivisionSummary grid)
        {
            if (!names.TryGetValue(grid.Name, out var list))
            {
                names[grid.Name] = list = [];
            }
            if (!list.Contains(grid.Code))
            {
                list.Add(grid.Code);
            }
        }
    }
}
