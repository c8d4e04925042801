using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Domain;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Cases.Queries;

/// <summary>An open case near a new report, offered as "already reported" (可能重复).</summary>
public sealed record NearbyCase(Guid Id, string Number, string State, string Description, DateTimeOffset CreatedAt, double DistanceMeters);

/// <summary>A department summoned to a case and whether it reported in.</summary>
public sealed record CaseSummonsView(string DepartmentCode, string SummonedBy, DateTimeOffset SummonedAt, DateTimeOffset DueAt,
    DateTimeOffset? CheckedInAt, string? CheckedInBy, bool Overdue);

/// <summary>
/// Reads beside the case itself: possible duplicates at intake (the same category, open, within the
/// category's distance and time window, nearest first) and a case's summonses.
/// </summary>
internal sealed class CaseNearby(CivicGridDbContext db, CaseCategoryCatalog categories, TimeProvider clock)
{
    private const double MetersPerDegree = 111_320;

    public async Task<Result<IReadOnlyList<NearbyCase>>> NearbyAsync(string? categoryCode, double? lon, double? lat,
        CancellationToken cancellationToken)
    {
        var category = categoryCode is { Length: > 0 } ? await categories.FindAsync(categoryCode, cancellationToken) : null;
        var invalid = new FieldErrors()
            .When(category is null, "categoryCode", $"未知的事件类别 {categoryCode}")
            .When(lon is not { } x || !double.IsFinite(x) || x is < -180 or > 180, "lon", "经度须在 -180 到 180 之间")
            .When(lat is not { } y || !double.IsFinite(y) || y is < -90 or > 90, "lat", "纬度须在 -90 到 90 之间")
            .ToError();
        if (invalid is not null)
        {
            return invalid;
        }
        if (category!.DuplicateRadiusMeters <= 0)
        {
            return Array.Empty<NearbyCase>();
        }
        var radius = category.DuplicateRadiusMeters;
        var dLat = radius / MetersPerDegree;
        var dLon = radius / (MetersPerDegree * Math.Max(0.01, Math.Cos(lat!.Value * Math.PI / 180)));
        var since = clock.GetUtcNow().ToUniversalTime() - TimeSpan.FromHours(category.DuplicateWindowHours);
        var (x0, x1, y0, y1) = (lon!.Value - dLon, lon.Value + dLon, lat.Value - dLat, lat.Value + dLat);
        var code = category.Code;
        var open = CaseStates.Open;
        var candidates = await db.Set<Case>().AsNoTracking()
            .Where(c => c.CategoryCode == code && c.CreatedAt >= since && open.Contains(c.State)
                && c.Lon >= x0 && c.Lon <= x1 && c.Lat >= y0 && c.Lat <= y1)
            .OrderByDescending(c => c.CreatedAt).Take(200)
            .Select(c => new { c.Id, c.Number, c.State, c.Description, c.CreatedAt, c.Lon, c.Lat })
            .ToListAsync(cancellationToken);
        return candidates
            .Select(c => new NearbyCase(c.Id, c.Number, c.State, c.Description, c.CreatedAt, Distance(lon.Value, lat.Value, c.Lon, c.Lat)))
            .Where(c => c.DistanceMeters <= radius)
            .OrderBy(c => c.DistanceMeters).Take(10).ToList();
    }

    public async Task<Result<IReadOnlyList<CaseSummonsView>>> SummonsAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await db.Set<Case>().AnyAsync(c => c.Id == id, cancellationToken))
        {
            return CaseQueries.NotFound(id);
        }
        var now = clock.GetUtcNow();
        return await db.Set<CaseSummons>().AsNoTracking().Where(s => s.CaseId == id).OrderBy(s => s.Id)
            .Select(s => new CaseSummonsView(s.DepartmentCode, s.SummonedBy, s.SummonedAt, s.DueAt, s.CheckedInAt, s.CheckedInBy,
                s.OverdueAt != null || (s.CheckedInAt == null ? now > s.DueAt : s.CheckedInAt > s.DueAt)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Great-circle distance in meters (haversine).</summary>
    public static double Distance(double lon1, double lat1, double lon2, double lat2)
    {
        const double R = 6_371_008.8;
        var (p1, p2) = (lat1 * Math.PI / 180, lat2 * Math.PI / 180);
        var dp = p2 - p1;
        var dl = (lon2 - lon1) * Math.PI / 180;
        var a = Math.Sin(dp / 2) * Math.Sin(dp / 2) + Math.Cos(p1) * Math.Cos(p2) * Math.Sin(dl / 2) * Math.Sin(dl / 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
