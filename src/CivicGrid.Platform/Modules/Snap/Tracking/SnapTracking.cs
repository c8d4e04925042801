using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Files.Contracts;
using CivicGrid.Modules.Snap.Domain;
using CivicGrid.Modules.Snap.Intake;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Snap.Tracking;

/// <summary>What the tracking page shows: the case's public view, or only that it was hidden.</summary>
internal sealed record SnapStatus(string TrackingCode, string CaseNumber, bool Hidden, bool CanRate, PublicCaseView? Case,
    IReadOnlyList<Guid> PublicPhotoIds);

/// <summary>
/// The resident's side after the report, by tracking code only (anonymous): the public timeline
/// (states and times), the photos not redacted, and one satisfaction rating once the case is closed.
/// </summary>
internal sealed class SnapTracking(CivicGridDbContext db, IPublicCases cases, IFileUploads files, TimeProvider clock)
{
    public async Task<SnapStatus?> StatusAsync(string? code, CancellationToken cancellationToken)
    {
        if (await FindAsync(code, cancellationToken) is not { } report)
        {
            return null;
        }
        if (report.IsHidden)
        {
            return new SnapStatus(report.TrackingCode, report.CaseNumber, Hidden: true, CanRate: false, null, []);
        }
        var view = await cases.ViewAsync(report.CaseId, cancellationToken);
        var redacted = report.Redacted;
        return new SnapStatus(report.TrackingCode, report.CaseNumber, Hidden: false,
            CanRate: report.RatedAt is null && view?.State == "closed", view,
            [.. (view?.PhotoIds ?? []).Where(p => !redacted.Contains(p))]);
    }

    /// <summary>The resident's rating of his closed case: once, then 409.</summary>
    public async Task<Result<string>> RateAsync(string? code, string? satisfaction, CancellationToken cancellationToken)
    {
        if (await FindAsync(code, cancellationToken) is not { } report || report.IsHidden)
        {
            return Error.NotFound("snap.unknown_code", "查询码不存在");
        }
        if (report.RatedAt is not null)
        {
            return Error.Conflict("snap.already_rated", "您已经评价过了，谢谢");
        }
        if (satisfaction is null || !cases.Satisfactions.Contains(satisfaction))
        {
            return new FieldErrors().Add("satisfaction", "请选择 满意、基本满意 或 不满意").ToError()!;
        }
        // Claimed first, in one guarded UPDATE: of two submissions at once only one rates.
        var now = clock.GetUtcNow();
        var claimed = await db.Set<SnapReport>().IgnoreQueryFilters().Where(s => s.Id == report.Id && s.RatedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RatedAt, now), cancellationToken);
        if (claimed == 0)
        {
            return Error.Conflict("snap.already_rated", "您已经评价过了，谢谢");
        }
        var rated = await cases.RateAsync(report.CaseId, satisfaction, SnapCaller.Name, cancellationToken);
        if (!rated.IsSuccess)
        {
            // Not closed (or moved meanwhile): the rating may come later.
            await db.Set<SnapReport>().IgnoreQueryFilters().Where(s => s.Id == report.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.RatedAt, (DateTimeOffset?)null), cancellationToken);
        }
        return rated;
    }

    /// <summary>A photo of the report as the public may see it: not hidden, not redacted, one of the report's own.</summary>
    public async Task<AttachedFileContent?> PhotoAsync(string? code, Guid photoId, CancellationToken cancellationToken)
    {
        if (await StatusAsync(code, cancellationToken) is not { Hidden: false, Case: { } view } status || !status.PublicPhotoIds.Contains(photoId))
        {
            return null;
        }
        return await files.OpenAttachedAsync(photoId, view.Id, cancellationToken);
    }

    private async Task<SnapReport?> FindAsync(string? code, CancellationToken cancellationToken) =>
        TrackingCodes.Normalize(code) is { } normalized
            ? await db.Set<SnapReport>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.TrackingCode == normalized, cancellationToken)
            : null;
}
