using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NetTopologySuite.Geometries;

namespace CivicGrid.Modules.Geography.Spatial;

/// <summary>
/// The in-memory spatial index of the current boundaries: one point locator per level that has
/// shapes (micro-grid, grid, community, township, county), asked deepest first. Built eagerly at
/// start-up and after every change of boundaries, then swapped in atomically: a lookup always sees
/// one whole snapshot, and readers never wait for a rebuild.
/// </summary>
internal sealed partial class GeoIndex(ILogger<GeoIndex> logger) : IGeoLocator
{
    private static readonly DivisionLevel[] SearchOrder =
        [DivisionLevel.MicroGrid, DivisionLevel.Grid, DivisionLevel.Community, DivisionLevel.Township, DivisionLevel.County];

    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private Snapshot _snapshot = Snapshot.Empty;

    public int Count => Volatile.Read(ref _snapshot).Count;

    /// <summary>True once a snapshot has been built from the database (it may be empty).</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>Rebuilds from the database's current boundaries and swaps the new snapshot in.</summary>
    public async Task ReloadAsync(CivicGridDbContext db, CancellationToken cancellationToken = default)
    {
        await _rebuild.WaitAsync(cancellationToken);
        try
        {
            var clock = Stopwatch.StartNew();
            var names = await db.Set<Division>().IgnoreQueryFilters().AsNoTracking()
                .Select(d => new { d.Code, d.Name })
                .ToDictionaryAsync(d => d.Code, d => d.Name, StringComparer.Ordinal, cancellationToken);
            var shapes = new Dictionary<DivisionLevel, List<(string, Geometry)>>();
            await foreach (var b in db.Set<Boundary>().IgnoreQueryFilters().AsNoTracking().Where(b => b.ValidTo == null)
                               .Select(b => new { b.DivisionCode, b.Wkb }).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                var level = DivisionCode.LevelOf(b.DivisionCode);
                if (level is null || !SearchOrder.Contains(level.Value))
                {
                    continue;
                }
                if (!shapes.TryGetValue(level.Value, out var list))
                {
                    shapes[level.Value] = list = [];
                }
                list.Add((b.DivisionCode, Shapes.FromWkb(b.Wkb)));
            }
            var snapshot = new Snapshot(names,
                SearchOrder.Where(shapes.ContainsKey).Select(l => new PointLocator<string>(shapes[l])).ToArray());
            Volatile.Write(ref _snapshot, snapshot);
            IsLoaded = true;
            LogBuilt(logger, snapshot.Count, clock.ElapsedMilliseconds);
        }
        finally
        {
            _rebuild.Release();
        }
    }

    public bool TryLocateCode(double longitude, double latitude, [MaybeNullWhen(false)] out string code)
    {
        var locators = Volatile.Read(ref _snapshot).Locators;
        foreach (var locator in locators)
        {
            if (locator.TryLocate(longitude, latitude, out code))
            {
                return true;
            }
        }
        code = null;
        return false;
    }

    public GeoLocation? Locate(double longitude, double latitude)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        foreach (var locator in snapshot.Locators)
        {
            if (locator.TryLocate(longitude, latitude, out var code))
            {
                return snapshot.Describe(code);
            }
        }
        return null;
    }

    private sealed class Snapshot(Dictionary<string, string> names, PointLocator<string>[] locators)
    {
        public static readonly Snapshot Empty = new(new Dictionary<string, string>(StringComparer.Ordinal), []);

        public PointLocator<string>[] Locators { get; } = locators;

        public int Count { get; } = locators.Sum(l => l.Count);

        public GeoLocation Describe(string code) => new(
            Ref(code, 2), Ref(code, 4), Ref(code, 6), Ref(code, 9), Ref(code, 12), Ref(code, 15), Ref(code, 18));

        private PlaceRef? Ref(string code, int length) =>
            code.Length >= length && names.TryGetValue(code[..length], out var name) ? new PlaceRef(code[..length], name) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Geo index built: {Count} boundaries in {Elapsed} ms")]
    private static partial void LogBuilt(ILogger logger, int count, long elapsed);
}
