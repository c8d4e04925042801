using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Snap.Domain;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Snap.Moderation;

/// <summary>A 随手拍's moderation state as staff see it.</summary>
public sealed record SnapModerationView(Guid CaseId, string CaseNumber, string TrackingCode, bool Hidden, DateTimeOffset? HiddenAt,
    string? HiddenBy, IReadOnlyList<Guid> RedactedPhotoIds, bool Rated);

/// <summary>
/// Moderation by staff holding <c>snap.moderate</c> over the report's grid (another jurisdiction's
/// report is 404): hide it from the public tracking page (and show it again), redact a photo from
/// it. A redacted photo stays attached to the case for staff (it may be evidence); only the public
/// page stops serving it. Each step is written on the case's timeline.
/// </summary>
internal sealed class ModerateSnap(CivicGridDbContext db, IPublicCases cases, ICaller caller, TimeProvider clock)
{
    public const int MaxReason = 500;

    public async Task<Result<SnapModerationView>> GetAsync(Guid caseId, CancellationToken cancellationToken) =>
        await db.Set<SnapReport>().AsNoTracking().FirstOrDefaultAsync(s => s.CaseId == caseId, cancellationToken) is { } report
            ? View(report)
            : NotFound(caseId);

    public Task<Result<SnapModerationView>> HideAsync(Guid caseId, string? reason, CancellationToken cancellationToken) =>
        ActAsync(caseId, reason, required: true, "snap_hide", (report, now) => report.Hide(caller.Name, now), null, cancellationToken);

    public Task<Result<SnapModerationView>> ShowAsync(Guid caseId, string? reason, CancellationToken cancellationToken) =>
        ActAsync(caseId, reason, required: false, "snap_show", (report, _) => report.Show(), null, cancellationToken);

    public Task<Result<SnapModerationView>> RedactAsync(Guid caseId, Guid photoId, string? reason, CancellationToken cancellationToken) =>
        ActAsync(caseId, reason, required: true, "snap_redact_photo", (report, _) => report.Redact(photoId), photoId, cancellationToken);

    private async Task<Result<SnapModerationView>> ActAsync(Guid caseId, string? reason, bool required, string action,
        Action<SnapReport, DateTimeOffset> change, Guid? photoId, CancellationToken cancellationToken)
    {
        var report = await db.Set<SnapReport>().FirstOrDefaultAsync(s => s.CaseId == caseId, cancellationToken);
        if (report is null)
        {
            return NotFound(caseId);
        }
        if (!caller.Can(Capabilities.SnapModerate, report.GridCode))
        {
            return Error.Forbidden("snap.moderate_forbidden", "您无权处理该随手拍");
        }
        var why = reason?.Trim();
        var errors = new FieldErrors()
            .When(required && string.IsNullOrEmpty(why), "reason", "请说明原因")
            .When(why is { Length: > MaxReason }, "reason", $"原因最多 {MaxReason} 字");
        if (photoId is { } photo && (await cases.ViewAsync(caseId, cancellationToken))?.PhotoIds.Contains(photo) != true)
        {
            errors.Add("photoId", "该照片不属于这条随手拍");
        }
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }
        change(report, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        var note = photoId is null ? why : $"照片 {photoId}：{why}";
        await cases.NoteAsync(caseId, action, caller.Name, caller.Grants.FirstOrDefault(g => g.Covers(report.GridCode))?.Role, note,
            cancellationToken);
        return View(report);
    }

    private static SnapModerationView View(SnapReport r) =>
        new(r.CaseId, r.CaseNumber, r.TrackingCode, r.IsHidden, r.HiddenAt, r.HiddenBy, r.Redacted, r.RatedAt is not null);

    private static Error NotFound(Guid caseId) => Error.NotFound("snap.not_found", $"事件 {caseId} 不是随手拍，或不存在");
}
