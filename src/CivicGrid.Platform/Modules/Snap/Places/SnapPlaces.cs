using System.Globalization;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Contracts;

namespace CivicGrid.Modules.Snap.Places;

/// <summary>What kind of place a QR code stands for.</summary>
internal enum SnapPlaceKind
{
    Community,
    Grid,
    Compound,
}

/// <summary>
/// A place with a QR code: its key in the URL (<c>/r/{key}</c>: a community's or grid's division
/// code, or <c>c</c> + a compound's id), its name, the code that decides who serves it
/// (<see cref="Code"/>: the division, or the compound's grid), a point inside it and a small
/// outline for the "where" picture (of the place, or of the compound's grid).
/// </summary>
internal sealed record SnapPlace(string Key, SnapPlaceKind Kind, string Name, string Code, double? Lon, double? Lat,
    IReadOnlyList<(double Lon, double Lat)> Outline)
{
    /// <summary>The township the place lies in: a report from its QR code may be placed anywhere in it.</summary>
    public string Township => Code[..Math.Min(9, Code.Length)];

    public bool HasPoint => Lon is not null && Lat is not null;
}

/// <summary>Finds the places of QR codes and the staff serving them (names and masked phones for the posters).</summary>
internal sealed class SnapPlaces(IPlaceShapes shapes, ICompoundPlaces compounds, IStaffContacts contacts)
{
    public const string CompoundPrefix = "c";

    /// <summary>The roles named on a poster, by kind of place.</summary>
    private static readonly IReadOnlyList<string> GridStaff = [Roles.GridWorker, Roles.GridHead];
    private static readonly IReadOnlyList<string> CommunityStaff = [Roles.Community];

    public static string KeyOf(Guid compoundId) => CompoundPrefix + compoundId.ToString("N", CultureInfo.InvariantCulture);

    /// <summary>The place of a key, or null when the key names none (or a division that has no QR code).</summary>
    public async Task<SnapPlace?> FindAsync(string? key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 40)
        {
            return null;
        }
        if (key.StartsWith(CompoundPrefix, StringComparison.Ordinal))
        {
            if (!Guid.TryParseExact(key[1..], "N", out var id) || await compounds.FindAsync(id, cancellationToken) is not { } compound)
            {
                return null;
            }
            var grid = await shapes.FindAsync(compound.GridCode, cancellationToken);
            var (lon, lat) = compound is { Lon: { } x, Lat: { } y } ? (x, y) : (grid?.Lon, grid?.Lat);
            return new SnapPlace(key, SnapPlaceKind.Compound, grid is null ? compound.Name : $"{grid.Name} · {compound.Name}",
                compound.GridCode, lon, lat, grid?.Outline ?? []);
        }
        if (!key.All(char.IsAsciiDigit) || await shapes.FindAsync(key, cancellationToken) is not { } place)
        {
            return null;
        }
        SnapPlaceKind? kind = place.Level switch
        {
            DivisionLevel.Community => SnapPlaceKind.Community,
            DivisionLevel.Grid or DivisionLevel.MicroGrid => SnapPlaceKind.Grid,
            _ => null,
        };
        return kind is null ? null : new SnapPlace(key, kind.Value, place.Name, place.Code, place.Lon, place.Lat, place.Outline);
    }

    /// <summary>Whom the poster names: a grid's workers and head, a community's staff.</summary>
    public Task<IReadOnlyList<StaffContact>> ContactsAsync(SnapPlace place, CancellationToken cancellationToken) =>
        contacts.OfAsync(place.Code, place.Kind == SnapPlaceKind.Community ? CommunityStaff : GridStaff, cancellationToken);

    /// <summary>
    /// The places of a division's poster set: itself if it has a QR code, then every community and
    /// grid under it and every compound in them; at most <paramref name="max"/>.
    /// </summary>
    public async Task<IReadOnlyList<SnapPlace>> SetAsync(string code, int max, CancellationToken cancellationToken)
    {
        var places = new List<SnapPlace>();
        if (await FindAsync(code, cancellationToken) is { Kind: not SnapPlaceKind.Compound } self)
        {
            places.Add(self);
        }
        foreach (var division in await shapes.BelowAsync(code, max, cancellationToken))
        {
            if (places.Count >= max)
            {
                break;
            }
            if (division.Level is DivisionLevel.Community or DivisionLevel.Grid && await FindAsync(division.Code, cancellationToken) is { } place)
            {
                places.Add(place);
            }
        }
        foreach (var compound in await compounds.WithinAsync(code, Math.Max(0, max - places.Count), cancellationToken))
        {
            if (await FindAsync(KeyOf(compound.Id), cancellationToken) is { } place)
            {
                places.Add(place);
            }
        }
        return places;
    }
}
