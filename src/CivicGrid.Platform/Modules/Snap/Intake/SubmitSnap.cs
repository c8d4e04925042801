using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Files.Contracts;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Snap.Domain;
using CivicGrid.Modules.Snap.Places;
using CivicGrid.Modules.Snap.Tracking;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Snap.Intake;

/// <summary>What a resident submits on <c>/r/{key}</c> (the form's fields, the browser session and its Idempotency-Key).</summary>
internal sealed record SnapSubmission(string? PlaceKey, string? CategoryCode, double? Lon, double? Lat, string? Description,
    string? Phone, IFormFile? Photo, string? Honeypot, string? IdempotencyKey, string Session);

/// <summary>The tracking code and case number of a report; <c>Created</c> false when a retry found the first.</summary>
internal sealed record SnapSubmitted(string TrackingCode, string CaseNumber, bool Created);

/// <summary>
/// A resident's 随手拍: places the report (the phone's GPS fix when it lies in the QR place's
/// township, else the QR place's own point), then, as the <see cref="SnapCaller"/> of that township,
/// stores the photo through the Files module and reports the case through the Cases intake
/// (channel <c>snap</c>), and gives the resident a tracking code. With an Idempotency-Key (scoped to
/// the browser session) a retry returns the first report and a different body under the same key is 409.
/// </summary>
internal sealed class SubmitSnap(CivicGridDbContext db, SnapPlaces places, IGeoLocator locator, IServiceScopeFactory scopes,
    IHttpContextAccessor http, TimeProvider clock)
{
    public const int MaxDescription = 2000;
    public const int MaxKey = 100;
    public const string LocationField = "location";
    public const string PhotoField = "photo";

    public async Task<Result<SnapSubmitted>> HandleAsync(SnapSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        SnapPlace? place = null;
        if (submission.PlaceKey is { Length: > 0 } key && (place = await places.FindAsync(key, cancellationToken)) is null)
        {
            return Error.NotFound("snap.unknown_place", "二维码无效或该地点已撤销");
        }
        var description = submission.Description?.Trim();
        var phone = string.IsNullOrWhiteSpace(submission.Phone) ? null : submission.Phone.Trim();
        var errors = new FieldErrors()
            // Bots fill every field; people never see this one.
            .When(!string.IsNullOrEmpty(submission.Honeypot), "website", "提交被拒绝")
            .When(string.IsNullOrWhiteSpace(submission.CategoryCode), "categoryCode", "请选择问题类别")
            .When(string.IsNullOrEmpty(description), "description", "请简单描述问题")
            .When(description is { Length: > MaxDescription }, "description", $"描述最多 {MaxDescription} 字")
            .When(phone is not null && !PhoneNumbers.TryNormalizeMobile(phone, out _), "phone", "请填写 11 位手机号，或留空匿名反映")
            .When(submission.IdempotencyKey is { Length: 0 or > MaxKey }, "Idempotency-Key", $"Idempotency-Key 须为 1 到 {MaxKey} 个字符");
        var point = Place(place, submission.Lon, submission.Lat, errors);
        if (errors.ToError("snap.invalid", "请检查标出的内容") is { } invalid)
        {
            return invalid;
        }
        var (lon, lat, grid) = point!.Value;

        var clientKey = submission.IdempotencyKey is { } idempotencyKey ? Hash($"{submission.Session}\n{idempotencyKey}") : null;
        var bodyHash = clientKey is null ? null : await BodyHashAsync(submission, place, description!, phone, cancellationToken);
        if (clientKey is not null && await ByClientKeyAsync(clientKey, cancellationToken) is { } earlier)
        {
            return earlier.BodyHash == bodyHash
                ? new SnapSubmitted(earlier.TrackingCode, earlier.CaseNumber, Created: false)
                : Error.Conflict("snap.idempotency_mismatch", "同一 Idempotency-Key 已用于另一份内容");
        }

        // The resident acts as the snap caller of the report's township, in a scope of his own.
        var context = http.HttpContext;
        var user = context?.User;
        PublicIntakeResult reported;
        try
        {
            if (context is not null)
            {
                context.User = SnapCaller.For(grid[..9]);
            }
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            List<Guid> photos = [];
            if (submission.Photo is not null)
            {
                var uploaded = await services.GetRequiredService<IFileUploads>().UploadAsync(submission.Photo, cancellationToken);
                if (!uploaded.IsSuccess)
                {
                    return Renamed(uploaded.Error!, "file", PhotoField);
                }
                photos.Add(uploaded.Value.Id);
            }
            var result = await services.GetRequiredService<IPublicCases>().ReportAsync(
                new PublicCaseReport(submission.CategoryCode, lon, lat, description, photos, "snap", phone), clientKey, cancellationToken);
            if (!result.IsSuccess)
            {
                return Renamed(Renamed(Renamed(result.Error!, "lon", LocationField), "lat", LocationField), "reporterPhone", "phone");
            }
            reported = result.Value;
        }
        finally
        {
            if (context is not null && user is not null)
            {
                context.User = user;
            }
        }
        return await RecordAsync(reported, place?.Key, clientKey, bodyHash, cancellationToken);
    }

    /// <summary>Where the report lies, and its grid: the GPS fix near the QR place, else the place's own point.</summary>
    private (double Lon, double Lat, string Grid)? Place(SnapPlace? place, double? lon, double? lat, FieldErrors errors)
    {
        string? GridAt(double x, double y) => locator.Locate(x, y)?.Grid?.Code;
        var fix = lon is { } x && lat is { } y && double.IsFinite(x) && double.IsFinite(y) && x is >= -180 and <= 180 && y is >= -90 and <= 90
            ? (Lon: x, Lat: y, Grid: GridAt(x, y))
            : ((double Lon, double Lat, string? Grid)?)null;
        if (fix is { Grid: { } fixGrid } located && (place is null || fixGrid.StartsWith(place.Township, StringComparison.Ordinal)))
        {
            return (located.Lon, located.Lat, fixGrid);
        }
        if (place is { Lon: { } px, Lat: { } py } && GridAt(px, py) is { } placeGrid)
        {
            return (px, py, placeGrid);
        }
        if (fix is { Grid: { } farGrid } far)
        {
            return (far.Lon, far.Lat, farGrid);
        }
        errors.Add(LocationField, fix is null
            ? "无法确定位置：请允许手机定位，或扫描张贴的二维码"
            : "该位置不在本平台的任何网格内");
        return null;
    }

    private async Task<Result<SnapSubmitted>> RecordAsync(PublicIntakeResult reported, string? placeKey, string? clientKey, string? bodyHash,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var report = new SnapReport(Guid.CreateVersion7(clock.GetUtcNow()), TrackingCodes.New(), reported.CaseId, reported.Number,
                reported.GridCode, placeKey, clientKey, bodyHash, clock.GetUtcNow());
            try
            {
                await RowWriter.InsertAsync(db, [report], cancellationToken);
                return new SnapSubmitted(report.TrackingCode, report.CaseNumber, reported.Created);
            }
            catch (System.Data.Common.DbException e) when (RowWriter.IsUniqueViolation(e))
            {
                // A concurrent retry recorded this case first; or (once in 2^50) the code was taken.
                var first = await db.Set<SnapReport>().IgnoreQueryFilters().AsNoTracking()
                    .FirstOrDefaultAsync(s => s.CaseId == reported.CaseId, cancellationToken);
                if (first is not null)
                {
                    return new SnapSubmitted(first.TrackingCode, first.CaseNumber, Created: false);
                }
                if (attempt >= 3)
                {
                    throw;
                }
            }
        }
    }

    private Task<SnapReport?> ByClientKeyAsync(string clientKey, CancellationToken cancellationToken) =>
        db.Set<SnapReport>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.ClientKey == clientKey, cancellationToken);

    private static async Task<string> BodyHashAsync(SnapSubmission s, SnapPlace? place, string description, string? phone,
        CancellationToken cancellationToken)
    {
        var photo = string.Empty;
        if (s.Photo is not null)
        {
            await using var content = s.Photo.OpenReadStream();
            photo = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));
        }
        return Hash(string.Join('\n', place?.Key, s.CategoryCode, s.Lon?.ToString("R", CultureInfo.InvariantCulture),
            s.Lat?.ToString("R", CultureInfo.InvariantCulture), description, phone, photo));
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static Error Renamed(Error error, string from, string to)
    {
        if (error.Fields is not { } fields || !fields.ContainsKey(from))
        {
            return error;
        }
        var renamed = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, messages) in fields)
        {
            var name = field == from ? to : field;
            renamed[name] = renamed.TryGetValue(name, out var already) ? [.. already, .. messages] : messages;
        }
        return error with { Fields = renamed };
    }
}
