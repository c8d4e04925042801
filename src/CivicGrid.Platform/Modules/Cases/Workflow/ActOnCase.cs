using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Cases.Deadlines;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Intake;
using CivicGrid.Modules.Cases.Notices;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Cases.Workflow;

/// <summary>
/// <c>POST /api/v1/cases/{id}/{action}</c>: one step of <see cref="CaseWorkflow"/>. A case outside
/// the caller's view is 404 (the filter), a step the caller's roles may not take over the case's
/// grid is 403, a bad body 400, a step the case's state does not allow 409
/// <c>cases.illegal_transition</c>, and a step that lost a race with another one on the same case
/// 409 <c>cases.concurrency</c> (the row version did not match).
/// </summary>
internal sealed partial class ActOnCase(CivicGridDbContext db, ICaller caller, TimeProvider clock, CaseDeadlines deadlines,
    CaseCategoryCatalog categories, CasePhotos casePhotos, CaseNotices notices, ILogger<ActOnCase> logger)
{
    public const int MaxNote = 2000;

    public async Task<Result<CaseDetail>> HandleAsync(Guid id, string action, CaseActionRequest? body, CancellationToken cancellationToken)
    {
        if (!CaseWorkflow.Transitions.TryGetValue(action, out var transition))
        {
            return Error.NotFound("cases.unknown_action", $"未知的操作 {action}");
        }
        var found = await db.Set<Case>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (found is null)
        {
            return CaseQueries.NotFound(id);
        }
        if (!caller.Can(transition.Capability, found.GridCode))
        {
            return Error.Forbidden("cases.action_forbidden", $"您无权对该事件执行 {action}");
        }
        body ??= new CaseActionRequest();
        if (Validate(action, body) is { } invalid)
        {
            return invalid;
        }
        if (!transition.From.Contains(found.State))
        {
            return Error.Conflict("cases.illegal_transition", $"事件处于 {found.State} 状态，不能执行 {action}");
        }

        var now = clock.GetUtcNow();
        var fromState = found.State;
        var actor = caller.Name;
        var role = CaseActors.RoleFor(caller, transition.Capability, found.GridCode);
        if (found.State == CaseStates.Dispatched && action is CaseWorkflow.Report or CaseWorkflow.Escalate)
        {
            // The handler's first action starts the handling.
            db.Add(found.Transition(CaseWorkflow.StartHandling, CaseStates.Handling, actor, role, null, now));
        }
        var note = action switch
        {
            CaseWorkflow.Reject or CaseWorkflow.Return or CaseWorkflow.Escalate or CaseWorkflow.Decline => Join(body.Reason, body.Note),
            CaseWorkflow.Dispatch => Join($"派遣至 {body.Assignee!.Trim()}", body.Note),
            CaseWorkflow.FollowUp => Join(body.Satisfaction, body.Note),
            _ => body.Note?.Trim(),
        };
        var photos = await casePhotos.AttachAsync(body.PhotoIds, found.Id, found.GridCode, cancellationToken);
        if (!photos.IsSuccess)
        {
            return photos.Error!;
        }
        db.Add(found.Transition(action, transition.To, actor, role, note, now).WithPhotos(photos.Value));
        switch (action)
        {
            case CaseWorkflow.Dispatch:
                found.AssignTo(body.Assignee!.Trim());
                break;
            case CaseWorkflow.Escalate:
                CaseWorkflow.Escalated(found);
                break;
            case CaseWorkflow.Decline:
                found.AssignTo(null);
                break;
            case CaseWorkflow.FollowUp:
                found.Rate(body.Satisfaction!);
                break;
        }
        var category = await categories.GetAsync(found.CategoryCode, cancellationToken);
        await deadlines.EnterAsync(found, fromState, category, now, cancellationToken);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone else moved the case since it was read: the version no longer matched (or, on
            // a race decided by the unique timeline step, his event took this sequence first).
            return Error.Conflict("cases.concurrency", "该事件刚被他人处理，请刷新后重试");
        }
        var detail = await CaseQueries.DetailAsync(db, found, category.Name, now, cancellationToken);
        if (action == CaseWorkflow.Dispatch)
        {
            // After the commit, for the API and the pages alike: a lost notice never undoes a
            // dispatch (the assignee also finds the case in his list), so a failure is logged only.
            try
            {
                await notices.DispatchedAsync(detail, cancellationToken);
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or TimeoutException)
            {
                LogNoticeFailed(logger, e, found.Number);
            }
        }
        return detail;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dispatch notice of case {Number} could not be written; the dispatch stands")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception, string number);

    private static Error? Validate(string action, CaseActionRequest body)
    {
        var errors = new FieldErrors()
            .When(body.Note is { Length: > MaxNote }, "note", $"说明最多 {MaxNote} 字")
            .When(body.Reason is { Length: > MaxNote }, "reason", $"原因最多 {MaxNote} 字");
        switch (action)
        {
            case CaseWorkflow.Reject or CaseWorkflow.Return or CaseWorkflow.Escalate or CaseWorkflow.Decline:
                errors.When(string.IsNullOrWhiteSpace(body.Reason), "reason", "请填写原因");
                break;
            case CaseWorkflow.Dispatch:
                errors.When(string.IsNullOrWhiteSpace(body.Assignee), "assignee", "请指定处置单位或人员")
                    .When(body.Assignee is { Length: > 64 }, "assignee", "处置单位或人员最多 64 字");
                break;
            case CaseWorkflow.Report:
                errors.When(string.IsNullOrWhiteSpace(body.Note), "note", "请填写处置情况");
                break;
            case CaseWorkflow.FollowUp:
                errors.When(body.Satisfaction is null || !CaseWorkflow.Satisfactions.Contains(body.Satisfaction), "satisfaction",
                    $"satisfaction 须为 {string.Join("、", CaseWorkflow.Satisfactions)} 之一");
                break;
        }
        return errors.ToError();
    }

    private static string? Join(string? first, string? second)
    {
        var parts = new[] { first?.Trim(), second?.Trim() }.Where(p => !string.IsNullOrEmpty(p)).ToList();
        return parts.Count == 0 ? null : string.Join("；", parts);
    }
}
