namespace CivicGrid.Modules.Geography.Contracts;

/// <summary>A division or grid reduced to what a location answer needs.</summary>
public sealed record PlaceRef(string Code, string Name);

/// <summary>
/// Where a point lies: the grid (and micro-grid) if any, and every division above it. Levels with
/// no answer are null; outside every grid, <see cref="Grid"/> is null and the deepest division
/// that contains the point is the last non-null one.
/// </summary>
public sealed record GeoLocation(
    PlaceRef? Province, PlaceRef? City, PlaceRef? County, PlaceRef? Township, PlaceRef? Community,
    PlaceRef? Grid, PlaceRef? MicroGrid)
{
    /// <summary>The code of the deepest division or grid that contains the point.</summary>
    public string DeepestCode => (MicroGrid ?? Grid ?? Community ?? Township ?? County ?? City ?? Province)!.Code;
}

/// <summary>
/// Locates GPS points (WGS-84 longitude/latitude) in the current grids and divisions, in memory.
/// Used by every module that needs "which grid is this point in".
/// </summary>
public interface IGeoLocator
{
    /// <summary>The location of the point, or null when it lies outside every division with a boundary.</summary>
    GeoLocation? Locate(double longitude, double latitude);

    /// <summary>The code of the deepest division or grid containing the point; no allocation.</summary>
    bool TryLocateCode(double longitude, double latitude, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string code);

    /// <summary>Boundaries (grids and divisions) in the current index.</summary>
    int Count { get; }
}
