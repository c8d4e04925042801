using System.Collections.Concurrent;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;

namespace CivicGrid.Modules.Registry.Templates;

/// <summary>
/// The names of the grids, communities and townships a set of grids lies in, through the Geography
/// contract: one query per township (its name, its communities) and one per community (its grids),
/// never one per person; kept for <see cref="DivisionNameCache.Lifetime"/> so repeated fills skip them.
/// Entries are kept per caller view (the directory answers within it).
/// </summary>
internal sealed class DivisionNames(IDivisionDirectory divisions, DivisionNameCache cache, ICaller caller, TimeProvider time)
{
    private static readonly int TownshipLength = DivisionCode.LengthOf(DivisionLevel.Township);
    private static readonly int CommunityLength = DivisionCode.LengthOf(DivisionLevel.Community);

    public async Task<IReadOnlyDictionary<string, string>> ForGridsAsync(IEnumerable<string> gridCodes, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        // The directory answers within the caller's view: entries are kept per view, never shared across.
        var view = caller.IsSystem ? "*" : string.Join(",", caller.Grants.Select(g => g.JurisdictionCode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var grids = gridCodes.Where(g => g.Length >= CommunityLength).Distinct(StringComparer.Ordinal).ToList();
        foreach (var township in grids.Select(TownshipOf).Distinct(StringComparer.Ordinal))
        {
            await AddAsync(township, self: true);
        }
        foreach (var community in grids.Select(CommunityOf).Distinct(StringComparer.Ordinal))
        {
            await AddAsync(community, self: false);
        }
        return names;

        async Task AddAsync(string code, bool self)
        {
            var now = time.GetUtcNow();
            var key = view + "|" + code;
            if (!cache.Entries.TryGetValue(key, out var entry) || entry.Until < now)
            {
                var found = self ? await divisions.FindAsync(code, cancellationToken) : null;
                var children = await divisions.ChildrenAsync(code, cancellationToken);
                entry = new DivisionNameCache.Entry(found?.Name, [.. children.Select(c => (c.Code, c.Name))], now + DivisionNameCache.Lifetime);
                if (cache.Entries.Count > DivisionNameCache.MaxEntries)
                {
                    cache.Entries.Clear();
                }
                cache.Entries[key] = entry;
            }
            if (entry.Name is { } name)
            {
                names[code] = name;
            }
            foreach (var (child, childName) in entry.Children)
            {
                names[child] = childName;
            }
        }
    }

    /// <summary>The township of a grid code (its first 9 digits).</summary>
    public static string TownshipOf(string gridCode) => gridCode.Length >= TownshipLength ? gridCode[..TownshipLength] : gridCode;

    /// <summary>The community of a grid code (its first 12 digits).</summary>
    public static string CommunityOf(string gridCode) => gridCode.Length >= CommunityLength ? gridCode[..CommunityLength] : gridCode;
}

/// <summary>Division names by parent code, for a few minutes (a renamed grid shows in the reports after at most that long).</summary>
internal sealed class DivisionNameCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Past this many entries the cache starts over (a district is ~110 per view).</summary>
    public const int MaxEntries = 20_000;

    public ConcurrentDictionary<string, Entry> Entries { get; } = new(StringComparer.Ordinal);

    public sealed record Entry(string? Name, IReadOnlyList<(string Code, string Name)> Children, DateTimeOffset Until);
}
