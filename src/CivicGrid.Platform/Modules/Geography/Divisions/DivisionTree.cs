using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Domain;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Geography.Divisions;

// The tree and map pages' view of the divisions. These types are public only because Razor page
// models must be public and take them through their constructors; other modules use Contracts/.

/// <summary>A division with how many units of each lower level it holds (grids and micro-grids included).</summary>
public sealed record DivisionCounts(string Code, string Name, DivisionLevel Level, IReadOnlyDictionary<DivisionLevel, int> Below)
{
    /// <summary>How many units of <paramref name="level"/> lie under this division.</summary>
    public int CountOf(DivisionLevel level) => Below.GetValueOrDefault(level);
}

/// <summary>
/// One step of the tree: the current division (null at the top, where the children are the
/// provinces), its ancestors (province first), its children with their counts, and the levels
/// worth a count column (those with at least one unit under the current division).
/// </summary>
public sealed record DivisionBranch(
    DivisionCounts? Current, IReadOnlyList<DivisionSummary> Ancestors, IReadOnlyList<DivisionCounts> Children,
    IReadOnlyList<DivisionLevel> CountLevels);

/// <summary>A search result with its ancestors (province first), to tell same-named places apart.</summary>
public sealed record DivisionHit(DivisionSummary Division, IReadOnlyList<DivisionSummary> Ancestors);

/// <summary>What the map page needs to know about a division before it asks for shapes.</summary>
public sealed record DivisionPlace(DivisionSummary Division, IReadOnlyList<DivisionSummary> Ancestors, int ChildCount, bool HasBoundary);

/// <summary>
/// Reads the division tree for the pages. Counts under each child come from one GROUP BY over
/// code prefixes (a unit's code starts with every ancestor's code), not a query per child.
/// </summary>
public sealed class DivisionTree(CivicGridDbContext db)
{
    private static readonly DivisionLevel[] AllLevels = Enum.GetValues<DivisionLevel>();

    /// <summary>The branch at <paramref name="code"/>, or the provinces when it is null; null when the code is unknown.</summary>
    public async Task<DivisionBranch?> BranchAsync(string? code, CancellationToken cancellationToken)
    {
        var divisions = db.Set<Division>().AsNoTracking();
        Division? current = null;
        if (code is not null)
        {
            if (DivisionCode.LevelOf(code) is null)
            {
                return null;
            }
            current = await divisions.SingleOrDefaultAsync(d => d.Code == code, cancellationToken);
            if (current is null)
            {
                return null;
            }
        }

        var childLevel = current is null ? DivisionLevel.Province : current.Level + 1;
        var children = await (current is null
                ? divisions.Where(d => d.Level == DivisionLevel.Province)
                : divisions.Where(d => d.ParentCode == current.Code))
            .OrderBy(d => d.Code)
            .Select(d => new { d.Code, d.Name, d.Level })
            .ToListAsync(cancellationToken);

        var counts = new Dictionary<string, Dictionary<DivisionLevel, int>>(StringComparer.Ordinal);
        if (children.Count > 0 && childLevel < DivisionLevel.MicroGrid)
        {
            var prefixLength = DivisionCode.LengthOf(childLevel);
            var below = current is null ? divisions : divisions.Where(d => d.Code.StartsWith(current.Code));
            var groups = await below
                .Where(d => d.Level > childLevel)
                .GroupBy(d => new { Prefix = d.Code.Substring(0, prefixLength), d.Level })
                .Select(g => new { g.Key.Prefix, g.Key.Level, Count = g.Count() })
                .ToListAsync(cancellationToken);
            foreach (var group in groups)
            {
                if (!counts.TryGetValue(group.Prefix, out var perLevel))
                {
                    counts[group.Prefix] = perLevel = [];
                }
                perLevel[group.Level] = group.Count;
            }
        }

        var rows = children
            .Select(c => new DivisionCounts(c.Code, c.Name, c.Level,
                counts.TryGetValue(c.Code, out var below) ? below : new Dictionary<DivisionLevel, int>()))
            .ToList();
        var totals = new Dictionary<DivisionLevel, int>();
        if (rows.Count > 0)
        {
            totals[childLevel] = rows.Count;
        }
        foreach (var (level, count) in rows.SelectMany(r => r.Below))
        {
            totals[level] = totals.GetValueOrDefault(level) + count;
        }
        var countLevels = AllLevels.Where(l => l > childLevel && totals.GetValueOrDefault(l) > 0).ToList();
        var ancestors = current is null ? [] : await AncestorsAsync([current.Code], cancellationToken);
        return new DivisionBranch(
            current is null ? null : new DivisionCounts(current.Code, current.Name, current.Level, totals),
            current is null ? [] : ancestors.GetValueOrDefault(current.Code, []),
            rows, countLevels);
    }

    /// <summary>Divisions of any level whose name contains <paramref name="text"/>, higher levels first.</summary>
    public async Task<Paged<DivisionHit>> SearchAsync(string text, PageRequest paging, CancellationToken cancellationToken)
    {
        var query = db.Set<Division>().AsNoTracking().Where(d => d.Name.Contains(text));
        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderBy(d => d.Level).ThenBy(d => d.Code)
            .Skip(paging.Skip).Take(paging.PageSize)
            .Select(d => new DivisionSummary(d.Code, d.Name, d.Level, d.ParentCode))
            .ToListAsync(cancellationToken);
        var ancestors = await AncestorsAsync(items.Select(i => i.Code).ToList(), cancellationToken);
        return new Paged<DivisionHit>(
            items.Select(i => new DivisionHit(i, ancestors.GetValueOrDefault(i.Code, []))).ToList(),
            total, paging.Page, paging.PageSize);
    }

    /// <summary>The division, its ancestors and whether it has a boundary; null when the code is unknown.</summary>
    public async Task<DivisionPlace?> PlaceAsync(string code, CancellationToken cancellationToken)
    {
        if (DivisionCode.LevelOf(code) is null)
        {
            return null;
        }
        var division = await db.Set<Division>().AsNoTracking()
            .Where(d => d.Code == code)
            .Select(d => new DivisionSummary(d.Code, d.Name, d.Level, d.ParentCode))
            .SingleOrDefaultAsync(cancellationToken);
        if (division is null)
        {
            return null;
        }
        var childCount = await db.Set<Division>().CountAsync(d => d.ParentCode == code, cancellationToken);
        var hasBoundary = await db.Set<Boundary>().AnyAsync(b => b.DivisionCode == code && b.ValidTo == null, cancellationToken);
        var ancestors = await AncestorsAsync([code], cancellationToken);
        return new DivisionPlace(division, ancestors.GetValueOrDefault(code, []), childCount, hasBoundary);
    }

    // Every ancestor of every code, read in one query; the ancestry of a code is its prefixes.
    private async Task<Dictionary<string, IReadOnlyList<DivisionSummary>>> AncestorsAsync(
        IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        var wanted = codes.SelectMany(DivisionCode.AncestorsOf).Distinct().ToList();
        var found = wanted.Count == 0
            ? new Dictionary<string, DivisionSummary>()
            : await db.Set<Division>().AsNoTracking()
                .Where(d => wanted.Contains(d.Code))
                .Select(d => new DivisionSummary(d.Code, d.Name, d.Level, d.ParentCode))
                .ToDictionaryAsync(d => d.Code, cancellationToken);
        return codes.Distinct().ToDictionary(
            c => c,
            c => (IReadOnlyList<DivisionSummary>)DivisionCode.AncestorsOf(c).Reverse().Where(found.ContainsKey).Select(p => found[p]).ToList(),
            StringComparer.Ordinal);
    }
}
