namespace CivicGrid.Modules.Geography.Contracts;

/// <summary>
/// A division or grid reduced to what a small "where" picture needs: its name and level, a point
/// surely inside it (<c>Lon</c>, <c>Lat</c>; null without a boundary), and its outline simplified to
/// a few dozen lon/lat pairs (empty without a boundary).
/// </summary>
public sealed record PlaceShape(string Code, string Name, DivisionLevel Level, double? Lon, double? Lat,
    IReadOnlyList<(double Lon, double Lat)> Outline);

/// <summary>
/// Points and outlines of divisions for other modules (QR posters, the resident's report page).
/// The caller's jurisdiction is not applied: names and shapes of divisions are reference data.
/// </summary>
public interface IPlaceShapes
{
    /// <summary>The division or grid of that code, or null when there is none.</summary>
    Task<PlaceShape?> FindAsync(string code, CancellationToken cancellationToken = default);

    /// <summary>The divisions and grids under <paramref name="code"/> (all levels, itself excluded) down to the grids, by code; at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<DivisionSummary>> BelowAsync(string code, int max, CancellationToken cancellationToken = default);
}
