namespace CivicGrid.Modules.Registry.Contracts;

/// <summary>A residential compound (小区) as a place: name, grid, and its point when recorded.</summary>
public sealed record CompoundPlace(Guid Id, string Name, string GridCode, double? Lon, double? Lat);

/// <summary>
/// Compounds as places for other modules (QR posters, the resident's report page). The caller's
/// jurisdiction is not applied: the calling module checks the compound's grid itself.
/// </summary>
public interface ICompoundPlaces
{
    /// <summary>The compound of that id, or null.</summary>
    Task<CompoundPlace?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The compounds in the grids under <paramref name="code"/> (a division or grid), by grid and name; at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<CompoundPlace>> WithinAsync(string code, int max, CancellationToken cancellationToken = default);
}
