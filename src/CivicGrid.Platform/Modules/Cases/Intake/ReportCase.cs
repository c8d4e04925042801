using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Cases.Deadlines;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Cases.Intake;

/// <summary>What <see cref="ReportCase"/> returns: the case, and whether this request created it (false: an idempotent retry).</summary>
internal sealed record ReportedCase(CaseDetail Case, bool Created);

/// <summary>
/// <c>POST /api/v1/cases</c>: validates, locates the point in its grid (kept as the grid at report
/// time), numbers the case <c>SJ-YYYYMMDD-NNNNN</c> and stores it with its first timeline event.
/// The caller needs <c>cases.report</c> over that grid. With an <c>Idempotency-Key</c>, a retry by
/// the same user returns the case of the first request instead of a second case. A 12345 call
/// (channel <c>hotline</c>) records the caller's name and phone, the phone encrypted with a blind
/// index; it needs <c>cases.hotline</c> over the grid too.
/// </summary>
internal sealed class ReportCase(CivicGridDbContext db, IGeoLocator locator, ICaller caller, LocalTime time, CaseDeadlines deadlines,
    CaseCategoryCatalog categories, CaseNumbers numbers, CasePhotos casePhotos, IFieldProtector protector, CaseIntakeWriter writer)
{
    public const int MaxDescription = 2000;
    public const int MaxReporterName = 64;
    public const int MaxPhotos = 9;
    public const int MaxKey = 100;

    public async Task<Result<ReportedCase>> HandleAsync(ReportCaseRequest request, string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors()
            .When(string.IsNullOrWhiteSpace(request.CategoryCode), "categoryCode", "请选择事件类别")
            .When(request.Lon is null, "lon", "缺少经度 lon")
            .When(request.Lat is null, "lat", "缺少纬度 lat")
            .When(request.Lon is { } x && (!double.IsFinite(x) || x is < -180 or > 180), "lon", "经度须在 -180 到 180 之间")
            .When(request.Lat is { } y && (!double.IsFinite(y) || y is < -90 or > 90), "lat", "纬度须在 -90 到 90 之间")
            .When(string.IsNullOrWhiteSpace(request.Description), "description", "请描述事件")
            .When(request.Description is { Length: > MaxDescription }, "description", $"描述最多 {MaxDescription} 字")
            .When(request.PhotoIds is { Count: > MaxPhotos }, "photoIds", $"最多 {MaxPhotos} 张照片")
            .When(request.Channel is not null && !CaseChannels.All.Contains(request.Channel), "channel",
                $"channel 须为 {string.Join("、", CaseChannels.All)} 之一")
            .When(idempotencyKey is { Length: 0 or > MaxKey }, "Idempotency-Key", $"Idempotency-Key 须为 1 到 {MaxKey} 个字符")
            .When(request.ReporterName is { Length: > MaxReporterName }, "reporterName", $"来电人姓名最多 {MaxReporterName} 字")
            .When(request.Channel == CaseChannels.Hotline && string.IsNullOrWhiteSpace(request.ReporterPhone), "reporterPhone", "请填写来电号码")
            .When(request.ReporterPhone is { } phone && CaseReporterPhones.Normalize(phone) is null, "reporterPhone", CaseReporterPhones.Problem);
        CaseCategory? category = null;
        if (request.CategoryCode is { Length: > 0 } categoryCode && !errors.ToDictionary().ContainsKey("categoryCode"))
        {
            // Only a 小类 can be reported; the 大类 group them.
            category = await categories.FindAsync(categoryCode, cancellationToken) is { ParentCode: not null } leaf ? leaf : null;
            errors.When(category is null, "categoryCode", $"未知的事件小类 {categoryCode}");
        }
        string? gridCode = null;
        if (request is { Lon: { } lon, Lat: { } lat } && errors.ToDictionary() is var fields && !fields.ContainsKey("lon") && !fields.ContainsKey("lat"))
        {
            gridCode = locator.Locate(lon, lat)?.Grid?.Code;
            errors.When(gridCode is null, "lon", "该位置不在任何网格内");
        }
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }
        if (!caller.Can(Capabilities.CasesReport, gridCode!))
        {
            return Error.Forbidden("cases.report_forbidden", "您无权在该网格上报事件");
        }
        // A 随手拍 reporter may leave his own phone; recording someone else's name or phone is the hotline's.
        var forCaller = request.Channel == CaseChannels.Hotline || !string.IsNullOrWhiteSpace(request.ReporterName)
            || (!string.IsNullOrWhiteSpace(request.ReporterPhone) && request.Channel != CaseChannels.Snap);
        if (forCaller && !caller.Can(Capabilities.CasesHotline, gridCode!))
        {
            return Error.Forbidden("cases.hotline_forbidden", "您无权登记热线来电");
        }

        // The actor is the signed-in user; his name keys his idempotency keys. A retry is found by
        // the writer's one look-up of the batch's keys, so a first request pays no look-up of its own.
        var actor = caller.Name;
        var now = time.UtcNow;
        var id = Guid.CreateVersion7(now);
        // Numbered before any transaction opens: the counter row is bumped and committed on its own,
        // never held by (or rolled back with) an intake. A refused request leaves a gap (docs/adr/0013).
        var number = await numbers.NextAsync(db, cancellationToken);
        var photoIds = request.PhotoIds is { Count: > 0 } asked ? asked.Distinct().ToList() : null;
        var created = new Case(id, number, request.CategoryCode!, request.Lon!.Value, request.Lat!.Value,
            gridCode!, request.Description!.Trim(), request.Channel ?? CaseChannels.Patrol, caller.UserId,
            string.IsNullOrWhiteSpace(request.ReporterName) ? actor : request.ReporterName.Trim(),
            photoIds is null ? null : string.Join(',', photoIds), now);
        if (request.ReporterPhone is { } reporterPhone && CaseReporterPhones.Normalize(reporterPhone) is { } digits)
        {
            created.RecordReporterPhone(protector.Encrypt(digits, FieldKind.Phone), protector.BlindIndex(digits, FieldKind.Phone));
        }
        // The accept clock (立案时限) starts at the report.
        await deadlines.EnterAsync(created, null, category!, now, cancellationToken);
        var reported = created.Reported(actor, CaseActors.RoleFor(caller, Capabilities.CasesReport, gridCode!));
        var key = idempotencyKey is null ? null : new CaseIdempotencyKey(actor, idempotencyKey, created.Id, now);
        // Written with whatever other intakes are waiting, in one transaction, as the system (docs/adr/0024);
        // the answer comes only after the commit. Not cancellable: the batch is everybody's.
        switch (await writer.WriteAsync(new CaseIntake(created, reported, key, photoIds, caller.UserId)))
        {
            case IntakeOutcome.Retry:
                // A retry of a request that already created its case: the first case is the answer.
                return new ReportedCase(await FirstResultAsync(actor, idempotencyKey!, cancellationToken)
                    ?? throw new InvalidOperationException("The idempotency key was taken, but its case is not found."), Created: false);
            case IntakeOutcome.PhotosRefused:
                // A retry's photos are attached to the first case already: that case is the answer.
                if (idempotencyKey is not null && await FirstResultAsync(actor, idempotencyKey, cancellationToken) is { } earlier)
                {
                    return new ReportedCase(earlier, Created: false);
                }
                return await casePhotos.RefusedAsync(photoIds!, id, cancellationToken);
        }
        // Nothing to read back: the new case and its one event are all in hand.
        return new ReportedCase(CaseQueries.DetailOf(created, category!.Name, [CaseQueries.ViewOf(reported)], now), Created: true);
    }

    private async Task<CaseDetail?> FirstResultAsync(string actor, string key, CancellationToken cancellationToken)
    {
        var caseId = await db.Set<CaseIdempotencyKey>().AsNoTracking()
            .Where(k => k.UserName == actor && k.Key == key).Select(k => (Guid?)k.CaseId).FirstOrDefaultAsync(cancellationToken);
        if (caseId is null)
        {
            return null;
        }
        // The key is this user's own: he created the case, so he gets it back even if he no longer sees its grid.
        var found = await db.Set<Case>().IgnoreQueryFilters().AsNoTracking().FirstAsync(c => c.Id == caseId, cancellationToken);
        var category = await categories.GetAsync(found.CategoryCode, cancellationToken);
        return await CaseQueries.DetailAsync(db, found, category.Name, time.UtcNow, cancellationToken);
    }
}

/// <summary>Which of the caller's roles acts, for the timeline.</summary>
internal static class CaseActors
{
    public static string? RoleFor(ICaller caller, string capability, string code) =>
        caller.Grants.FirstOrDefault(g => g.Covers(code) && Capabilities.RoleHas(g.Role, capability))?.Role
        ?? caller.Grants.FirstOrDefault()?.Role;
}
