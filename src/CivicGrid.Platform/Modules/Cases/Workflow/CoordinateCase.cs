using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Cases.Deadlines;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Intake;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace CivicGrid.Modules.Cases.Workflow;

/// <summary>The body of <c>POST /api/v1/cases/{id}/summon</c>: the departments and, optionally, the hours (working time) to report in.</summary>
public sealed record SummonRequest(IReadOnlyList<string>? Departments, string? Note = null, int? Hours = null);

/// <summary>The body of <c>POST /api/v1/cases/{id}/merge</c>: the case this one duplicates.</summary>
public sealed record MergeRequest(Guid? IntoId, string? Note = null);

/// <summary>
/// The steps beside the main loop, each on the case's timeline and none changing who works it:
/// 吹哨报到 (the township summons departments, each must report in within its deadline), 督办
/// (a higher level supervises), merging a duplicate into the case it repeats, and following a case.
/// Same answers as <see cref="ActOnCase"/>: 404 outside the caller's view, 403 without the
/// capability over the case's grid, 400 for a bad body, 409 for a case no longer open or a lost race.
/// </summary>
internal sealed class CoordinateCase(CivicGridDbContext db, ICaller caller, TimeProvider clock, CaseCategoryCatalog categories,
    WorkingCalendarSource calendars, IConfiguration configuration)
{
    public const int DefaultSummonHours = 2;

    public async Task<Result<CaseDetail>> SummonAsync(Guid id, SummonRequest? body, CancellationToken cancellationToken)
    {
        body ??= new SummonRequest(null);
        var known = (await categories.AllAsync(cancellationToken)).Values.Select(c => c.DepartmentCode).OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var departments = (body.Departments ?? []).Select(d => d?.Trim() ?? string.Empty).Distinct(StringComparer.Ordinal).ToList();
        var invalid = new FieldErrors()
            .When(departments.Count == 0, "departments", "请选择要吹哨的部门")
            .When(departments.Count > 20, "departments", "一次最多吹哨 20 个部门")
            .When(departments.Any(d => !known.Contains(d)), "departments", $"未知的部门 {departments.FirstOrDefault(d => !known.Contains(d))}")
            .When(body.Hours is < 1 or > 240, "hours", "报到时限须在 1 到 240 个工作小时之间")
            .When(body.Note is { Length: > ActOnCase.MaxNote }, "note", $"说明最多 {ActOnCase.MaxNote} 字")
            .ToError();
        return await StepAsync(id, Capabilities.CasesDispatch, "summon", invalid, async (found, actor, role, now) =>
        {
            var open = await db.Set<CaseSummons>().Where(s => s.CaseId == found.Id && s.CheckedInAt == null)
                .Select(s => s.DepartmentCode).ToListAsync(cancellationToken);
            var hours = body.Hours ?? configuration.GetValue("Cases:SummonHours", DefaultSummonHours);
            var calendar = await calendars.GetAsync(cancellationToken);
            var due = calendar.Add(now, TimeSpan.FromHours(hours));
            var added = departments.Where(d => !open.Contains(d)).ToList();
            foreach (var department in added)
            {
                db.Add(new CaseSummons(found.Id, department, actor, now, due));
            }
            var note = $"吹哨：{string.Join("、", departments)}，{hours} 个工作小时内报到" + (body.Note is { Length: > 0 } n ? $"；{n.Trim()}" : "");
            return found.Note("summon", found.State, actor, role, note, now);
        }, cancellationToken);
    }

    public async Task<Result<CaseDetail>> CheckInAsync(Guid id, CaseActionRequest? body, CancellationToken cancellationToken)
    {
        var invalid = new FieldErrors().When(body?.Note is { Length: > ActOnCase.MaxNote }, "note", $"说明最多 {ActOnCase.MaxNote} 字").ToError();
        return await StepAsync(id, Capabilities.CasesHandle, "checkin", invalid, async (found, actor, role, now) =>
        {
            var mine = caller.Grants.Where(g => g.Role == Roles.Department && g.DepartmentCode is not null && g.Covers(found.GridCode))
                .Select(g => g.DepartmentCode!).ToList();
            var summons = await db.Set<CaseSummons>()
                .Where(s => s.CaseId == found.Id && s.CheckedInAt == null && mine.Contains(s.DepartmentCode))
                .ToListAsync(cancellationToken);
            if (summons.Count == 0)
            {
                return Error.Forbidden("cases.not_summoned", "您所在的部门未被吹哨到该事件，或已报到");
            }
            foreach (var s in summons)
            {
                s.CheckIn(actor, now);
            }
            var late = summons.Any(s => now > s.DueAt) ? "（超时）" : string.Empty;
            var note = $"{string.Join("、", summons.Select(s => s.DepartmentCode))} 报到{late}" + (body?.Note is { Length: > 0 } n ? $"；{n.Trim()}" : "");
            return found.Note("checkin", found.State, actor, Roles.Department, note, now);
        }, cancellationToken);
    }

    public async Task<Result<CaseDetail>> SuperviseAsync(Guid id, CaseActionRequest? body, CancellationToken cancellationToken)
    {
        var invalid = new FieldErrors()
            .When(string.IsNullOrWhiteSpace(body?.Note), "note", "请填写督办意见")
            .When(body?.Note is { Length: > ActOnCase.MaxNote }, "note", $"说明最多 {ActOnCase.MaxNote} 字")
            .ToError();
        return await StepAsync(id, Capabilities.CasesSupervise, "supervise", invalid, (found, actor, role, now) =>
        {
            found.Supervised(now);
            return Task.FromResult<Result<CaseEvent>>(found.Note("supervise", found.State, actor, role, $"督办：{body!.Note!.Trim()}", now));
        }, cancellationToken);
    }

    public async Task<Result<CaseDetail>> MergeAsync(Guid id, MergeRequest? body, CancellationToken cancellationToken)
    {
        var invalid = new FieldErrors()
            .When(body?.IntoId is null, "intoId", "请指定要合并到的事件")
            .When(body?.IntoId == id, "intoId", "不能合并到自身")
            .When(body?.Note is { Length: > ActOnCase.MaxNote }, "note", $"说明最多 {ActOnCase.MaxNote} 字")
            .ToError();
        return await StepAsync(id, Capabilities.CasesDispatch, "merge", invalid, async (found, actor, role, now) =>
        {
            var target = await db.Set<Case>().FirstOrDefaultAsync(c => c.Id == body!.IntoId, cancellationToken);
            if (target is null)
            {
                return new FieldErrors().When(true, "intoId", $"事件 {body!.IntoId} 不存在").ToError()!;
            }
            if (!caller.Can(Capabilities.CasesDispatch, target.GridCode))
            {
                return Error.Forbidden("cases.action_forbidden", "您无权处理被合并到的事件");
            }
            if (!CaseStates.Open.Contains(target.State))
            {
                return Error.Conflict("cases.illegal_transition", $"事件 {target.Number} 已办结，不能合并到它");
            }
            var note = body!.Note is { Length: > 0 } n ? $"；{n.Trim()}" : string.Empty;
            db.Add(target.Note("merged_in", target.State, actor, role, $"合并重复事件 {found.Number}{note}", now));
            if (found.ReporterUserId is { } reporter && !await db.Set<CaseFollower>()
                    .AnyAsync(f => f.CaseId == target.Id && f.UserId == reporter, cancellationToken))
            {
                db.Add(new CaseFollower(target.Id, reporter, now));
            }
            found.MergeInto(target.Id);
            found.StopClock();
            return found.Note("merge", CaseStates.Merged, actor, role, $"与 {target.Number} 重复，已合并{note}", now);
        }, cancellationToken);
    }

    /// <summary>Follows (or with <paramref name="follow"/> false, stops following) a case the caller sees.</summary>
    public async Task<Result<bool>> FollowAsync(Guid id, bool follow, CancellationToken cancellationToken)
    {
        if (caller.UserId is not { } user)
        {
            return Error.Forbidden("cases.follow_forbidden", "请先登录");
        }
        var found = await db.Set<Case>().AsNoTracking().Select(c => new { c.Id, c.GridCode }).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (found is null)
        {
            return CaseQueries.NotFound(id);
        }
        var existing = await db.Set<CaseFollower>().FirstOrDefaultAsync(f => f.CaseId == id && f.UserId == user, cancellationToken);
        if (follow && existing is null)
        {
            db.Add(new CaseFollower(id, user, clock.GetUtcNow()));
        }
        else if (!follow && existing is not null)
        {
            db.Remove(existing);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (follow)
        {
            // A concurrent follow of the same user got there first: he follows it either way.
        }
        return follow;
    }

    private async Task<Result<CaseDetail>> StepAsync(Guid id, string capability, string action, Error? invalid,
        Func<Case, string, string?, DateTimeOffset, Task<Result<CaseEvent>>> step, CancellationToken cancellationToken)
    {
        var found = await db.Set<Case>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (found is null)
        {
            return CaseQueries.NotFound(id);
        }
        if (!caller.Can(capability, found.GridCode))
        {
            return Error.Forbidden("cases.action_forbidden", $"您无权对该事件执行 {action}");
        }
        if (invalid is not null)
        {
            return invalid;
        }
        if (!CaseStates.Open.Contains(found.State))
        {
            return Error.Conflict("cases.illegal_transition", $"事件处于 {found.State} 状态，不能执行 {action}");
        }
        var now = clock.GetUtcNow();
        var result = await step(found, caller.Name, CaseActors.RoleFor(caller, capability, found.GridCode), now);
        if (!result.IsSuccess)
        {
            return result.Error!;
        }
        db.Add(result.Value);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Error.Conflict("cases.concurrency", "该事件刚被他人处理，请刷新后重试");
        }
        var category = await categories.GetAsync(found.CategoryCode, cancellationToken);
        return await CaseQueries.DetailAsync(db, found, category.Name, now, cancellationToken);
    }
}
