using CivicGrid.Infrastructure.Errors;

namespace CivicGrid.Modules.Cases.Contracts;

/// <summary>
/// A report from outside the staff (a resident's 随手拍): the same fields as <c>POST /api/v1/cases</c>,
/// with the reporter's own phone (optional, stored encrypted with its blind index).
/// </summary>
public sealed record PublicCaseReport(string? CategoryCode, double? Lon, double? Lat, string? Description,
    IReadOnlyList<Guid> PhotoIds, string Channel, string? ReporterPhone);

/// <summary>What the intake made: the case, its number and its grid; <c>Created</c> false for an idempotent retry.</summary>
public sealed record PublicIntakeResult(Guid CaseId, string Number, string GridCode, bool Created);

/// <summary>One state a case entered, and when (no actor, no note: what the public may see).</summary>
public sealed record PublicCaseStep(string State, DateTimeOffset At);

/// <summary>A case as the public sees it: no staff names, no personal data.</summary>
public sealed record PublicCaseView(Guid Id, string Number, string CategoryName, string State, string GridCode,
    DateTimeOffset CreatedAt, IReadOnlyList<PublicCaseStep> Timeline, IReadOnlyList<Guid> PhotoIds, string? Satisfaction);

/// <summary>A 小类 a resident may pick, with how many cases used it lately (most common first).</summary>
public sealed record PublicCategory(string Code, string Name, string Group, int Uses);

/// <summary>
/// The Cases module's contract for intake channels outside the staff (随手拍): one intake path
/// (validation, numbering, deadlines, grid at report time, photos) run as the current caller, and
/// the few reads and writes a resident's tracking page needs. The reads ignore the caller's
/// jurisdiction: the channel decides who may see what (a tracking code).
/// </summary>
public interface IPublicCases
{
    /// <summary>The satisfaction ratings (满意, 基本满意, 不满意) as stored.</summary>
    IReadOnlyList<string> Satisfactions { get; }

    /// <summary>Reports the case through the intake as the current caller (who needs <c>cases.report</c> over the grid).</summary>
    Task<Result<PublicIntakeResult>> ReportAsync(PublicCaseReport report, string? idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>The case's public view, or null when there is none.</summary>
    Task<PublicCaseView?> ViewAsync(Guid caseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The reporter's rating of a closed case (回访 by the reporter): the case moves to followed_up
    /// with the rating on its timeline, acted by <paramref name="actor"/>. 409 unless the case is closed.
    /// </summary>
    Task<Result<string>> RateAsync(Guid caseId, string satisfaction, string actor, CancellationToken cancellationToken = default);

    /// <summary>Writes a note on the case's timeline (moderation); its state stays.</summary>
    Task NoteAsync(Guid caseId, string action, string actor, string? role, string? note, CancellationToken cancellationToken = default);

    /// <summary>Every 小类, the most used in the last 90 days first.</summary>
    Task<IReadOnlyList<PublicCategory>> CategoriesAsync(CancellationToken cancellationToken = default);
}
