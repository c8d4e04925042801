using CivicGrid.Infrastructure.Errors;
using Microsoft.AspNetCore.Http;

namespace CivicGrid.Modules.Cases.Contracts;

/// <summary>The body of <c>POST /api/v1/cases/{id}/{action}</c>; which fields count depends on the action.</summary>
/// <c>PhotoIds</c> are files uploaded by the caller (<c>POST /api/v1/files</c>), recorded on the timeline event
/// (evidence on report back, before/after photos).
public sealed record CaseActionRequest(string? Note = null, string? Reason = null, string? Assignee = null, string? Satisfaction = null,
    IReadOnlyList<Guid>? PhotoIds = null);

/// <summary>
/// A case step taken against the version of the case its caller saw (a phone that acted offline):
/// applied only if the case still has that version, otherwise 409 with the given code, the current
/// case in <c>current</c> and its version in <c>version</c>.
/// </summary>
public interface IVersionCheckedCaseSteps
{
    /// <summary>The <c>If-Match</c> value of a case's row version.</summary>
    static string VersionOf(Guid version) => $"\"{version:N}\"";

    /// <summary>The steps a handler takes on the ground, from the phone (report back, verify, call up, decline); the follow-up call stays on the case page.</summary>
    static IReadOnlyList<string> FieldSteps { get; } = [Workflow.CaseWorkflow.Report, Workflow.CaseWorkflow.Verify, Workflow.CaseWorkflow.Escalate, Workflow.CaseWorkflow.Decline];

    /// <summary>Takes step <paramref name="action"/> (as <c>POST /api/v1/cases/{id}/{action}</c>) if the case's version is <paramref name="ifMatch"/>.</summary>
    Task<IResult> TakeAsync(Guid id, string action, string? ifMatch, CaseActionRequest? body, string conflictCode, CancellationToken ct);
}

/// <summary>
/// One of the caller's open cases as the phone keeps it: its light, its <c>Version</c> (sent back as
/// <c>If-Match</c> with a step taken offline) and the <see cref="IVersionCheckedCaseSteps.FieldSteps"/> he may take on it now.
/// </summary>
public sealed record WorkerCase(Guid Id, string Number, string CategoryCode, string State, string GridCode, string Description,
    string? Assignee, DateTimeOffset UpdatedAt, DateTimeOffset? DueAt, string? Light, string Version, IReadOnlyList<string> Actions);

/// <summary>A case category for a report's picker (小类 under their 大类).</summary>
public sealed record WorkerCategory(string Code, string? ParentCode, string Name);

/// <summary>The Cases module's contract for a grid worker's day on the phone: his open cases and the categories.</summary>
public interface IWorkerCases
{
    /// <summary>The caller's own queue ("mine"), at most <paramref name="max"/> cases.</summary>
    Task<Result<IReadOnlyList<WorkerCase>>> MineAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>Every category, in the order the pickers show them.</summary>
    Task<IReadOnlyList<WorkerCategory>> CategoriesAsync(CancellationToken cancellationToken = default);
}
