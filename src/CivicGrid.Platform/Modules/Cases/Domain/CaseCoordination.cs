namespace CivicGrid.Modules.Cases.Domain;

/// <summary>
/// A department summoned to a case (吹哨报到 / 部门报到): it must report in (报到) before
/// <see cref="DueAt"/>, in working time; the deadline job marks a summons it did not answer in time.
/// </summary>
internal sealed class CaseSummons(Guid caseId, string departmentCode, string summonedBy, DateTimeOffset summonedAt, DateTimeOffset dueAt)
{
    public long Id { get; private set; }

    public Guid CaseId { get; private set; } = caseId;

    public string DepartmentCode { get; private set; } = departmentCode;

    public string SummonedBy { get; private set; } = summonedBy;

    public DateTimeOffset SummonedAt { get; private set; } = summonedAt;

    public DateTimeOffset DueAt { get; private set; } = dueAt;

    public DateTimeOffset? CheckedInAt { get; private set; }

    public string? CheckedInBy { get; private set; }

    /// <summary>When the deadline job found it unanswered past <see cref="DueAt"/> (null: not so).</summary>
    public DateTimeOffset? OverdueAt { get; private set; }

    public void CheckIn(string by, DateTimeOffset at) => (CheckedInBy, CheckedInAt) = (by, at);
}

/// <summary>A user following a case (a reporter of a duplicate, a resident who saw the same thing).</summary>
internal sealed class CaseFollower(Guid caseId, Guid userId, DateTimeOffset since)
{
    public Guid CaseId { get; private set; } = caseId;

    public Guid UserId { get; private set; } = userId;

    public DateTimeOffset Since { get; private set; } = since;
}
