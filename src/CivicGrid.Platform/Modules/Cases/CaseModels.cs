namespace CivicGrid.Modules.Cases;

/// <summary>
/// The body of <c>POST /api/v1/cases</c>. <c>ReporterName</c> and <c>ReporterPhone</c> record a
/// 12345 caller (channel <c>hotline</c>, which needs <c>cases.hotline</c>); the phone is stored encrypted.
/// </summary>
public sealed record ReportCaseRequest(string? CategoryCode, double? Lon, double? Lat, string? Description,
    IReadOnlyList<Guid>? PhotoIds = null, string? Channel = null, string? ReporterName = null, string? ReporterPhone = null);

/// <summary>A case in a list, with its stage's deadline and traffic light (green, yellow 黄灯, red 红灯; null: no clock runs).</summary>
public sealed record CaseSummary(Guid Id, string Number, string CategoryCode, string State, string GridCode,
    string Description, string Channel, string? Assignee, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? DueAt, string? Light);

/// <summary>One line of a case's timeline, with the photos recorded on it.</summary>
public sealed record CaseEventView(int Sequence, string Action, string? FromState, string ToState, string Actor, string? Role,
    string? Note, DateTimeOffset At, IReadOnlyList<Guid> PhotoIds);

/// <summary>
/// A case with everything about it, timeline included. <c>DueAt</c> is the current stage's deadline
/// in working time, <c>Light</c> its traffic light (green, yellow 黄灯, red 红灯; both null when the
/// state runs no clock), <c>EscalationLevel</c> how often it went up the ladder.
/// </summary>
public sealed record CaseDetail(Guid Id, string Number, string CategoryCode, string CategoryName, string State,
    double Lon, double Lat, string GridCode, string Description, string Channel, string? ReporterName,
    IReadOnlyList<Guid> PhotoIds, string? Assignee, string? Satisfaction, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? StageStartedAt, DateTimeOffset? DueAt, string? Light, int EscalationLevel,
    IReadOnlyList<CaseEventView> Timeline);

/// <summary>A category and its duty row.</summary>
public sealed record CaseCategoryView(string Code, string? ParentCode, string Name, string FirstLevel, string? DepartmentCode,
    int AcceptHours, int DispatchHours, int HandleHours, int VerifyHours, bool SelfClose);
