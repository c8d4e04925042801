namespace CivicGrid.Modules.Cases.Domain;

/// <summary>
/// A case (事件): where and what, who reported it, where it stands. The grid is the one the point
/// lay in at report time and never changes with later boundary edits. <see cref="Version"/> is the
/// optimistic-concurrency token: every transition replaces it, so of two people acting on the same
/// case at once one wins and the other's update matches no row.
/// </summary>
internal sealed class Case
{
    private Case()
    {
        Number = CategoryCode = GridCode = Description = Channel = State = string.Empty;
    }

    public Case(Guid id, string number, string categoryCode, double lon, double lat, string gridCode, string description,
        string channel, Guid? reporterUserId, string? reporterName, string? photoIds, DateTimeOffset at)
    {
        Id = id;
        Number = number;
        CategoryCode = categoryCode;
        Lon = lon;
        Lat = lat;
        GridCode = gridCode;
        Description = description;
        Channel = channel;
        ReporterUserId = reporterUserId;
        ReporterName = reporterName;
        PhotoIds = photoIds;
        State = CaseStates.Reported;
        Version = Guid.CreateVersion7(at);
        CreatedAt = UpdatedAt = at;
    }

    public Guid Id { get; private set; }

    public string Number { get; private set; }

    public string CategoryCode { get; private set; }

    public double Lon { get; private set; }

    public double Lat { get; private set; }

    public string GridCode { get; private set; }

    public string Description { get; private set; }

    public string Channel { get; private set; }

    public Guid? ReporterUserId { get; private set; }

    public string? ReporterName { get; private set; }

    /// <summary>The reporter's phone (a 12345 caller's), encrypted at rest; null when none was given.</summary>
    public byte[]? ReporterPhoneCipher { get; private set; }

    /// <summary>The blind index of <see cref="ReporterPhoneCipher"/>: finds a caller's cases by his number.</summary>
    public byte[]? ReporterPhoneIndex { get; private set; }

    /// <summary>The report's photo ids (files of the Files module, attached to this case), comma-separated.</summary>
    public string? PhotoIds { get; private set; }

    public string State { get; private set; }

    /// <summary>A unit code or a user name the case is dispatched to.</summary>
    public string? Assignee { get; private set; }

    /// <summary>The follow-up rating (满意度: satisfied, fairly_satisfied, dissatisfied), null before.</summary>
    public string? Satisfaction { get; private set; }

    /// <summary>The sequence of the last timeline event.</summary>
    public int LastSequence { get; private set; }

    public Guid Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the current stage's clock started (null: the state runs no clock).</summary>
    public DateTimeOffset? StageStartedAt { get; private set; }

    /// <summary>The 黄灯 instant: the warning share of the stage's working duration.</summary>
    public DateTimeOffset? StageWarnAt { get; private set; }

    /// <summary>The 红灯 instant: the stage's deadline in working time.</summary>
    public DateTimeOffset? StageDueAt { get; private set; }

    /// <summary>When the deadline job wrote this stage's warning (null: not yet).</summary>
    public DateTimeOffset? WarnedAt { get; private set; }

    /// <summary>When the deadline job found this stage overdue (null: not yet).</summary>
    public DateTimeOffset? OverdueAt { get; private set; }

    /// <summary>How many times the case has been escalated up the ladder (0: still at its first level).</summary>
    public int EscalationLevel { get; private set; }

    /// <summary>When the case was accepted (立案), null before; <see cref="AcceptedOnTime"/> whether within the accept deadline.</summary>
    public DateTimeOffset? AcceptedAt { get; private set; }

    public bool? AcceptedOnTime { get; private set; }

    /// <summary>The first dispatch (派遣), and how many dispatches there were.</summary>
    public DateTimeOffset? DispatchedAt { get; private set; }

    public int DispatchCount { get; private set; }

    /// <summary>How often an assignee declined a dispatch as not his (派遣不准确).</summary>
    public int DeclineCount { get; private set; }

    /// <summary>The last report back (反馈), whether within the handling deadline, and by whom.</summary>
    public DateTimeOffset? ReportedBackAt { get; private set; }

    public bool? HandledOnTime { get; private set; }

    public string? HandledBy { get; private set; }

    /// <summary>How often the work was returned for rework (返工).</summary>
    public int ReturnCount { get; private set; }

    /// <summary>When the case was closed (结案).</summary>
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>How many stages ran past their deadline (红灯).</summary>
    public int OverdueCount { get; private set; }

    /// <summary>How often a higher level supervised the case (督办), and when last.</summary>
    public int SupervisionCount { get; private set; }

    public DateTimeOffset? SupervisedAt { get; private set; }

    /// <summary>Minutes from the report to the acceptance (立案用时).</summary>
    public int? AcceptMinutes { get; private set; }

    /// <summary>Minutes from the first dispatch to the last report back (处置用时).</summary>
    public int? HandleMinutes { get; private set; }

    /// <summary>Minutes from the report to the closing (结案用时).</summary>
    public int? CloseMinutes { get; private set; }

    /// <summary>The case this duplicate was merged into (state merged).</summary>
    public Guid? MergedIntoId { get; private set; }

    /// <summary>
    /// Moves to <paramref name="to"/> and returns the timeline event for it, keeping the figures the
    /// evaluation (综合评价) counts: when each stage ended and whether within its deadline.
    /// </summary>
    public CaseEvent Transition(string action, string to, string actor, string? role, string? note, DateTimeOffset at)
    {
        var onTime = StageDueAt is null || at <= StageDueAt;
        switch (action)
        {
            case "accept":
                (AcceptedAt, AcceptedOnTime, AcceptMinutes) = (at, onTime, Minutes(CreatedAt, at));
                break;
            case "dispatch":
                DispatchedAt ??= at;
                DispatchCount++;
                break;
            case "decline":
                DeclineCount++;
                break;
            case "report":
                (ReportedBackAt, HandledOnTime, HandledBy, HandleMinutes) = (at, onTime, actor, Minutes(DispatchedAt ?? CreatedAt, at));
                break;
            case "return":
                ReturnCount++;
                break;
            case "close":
                (ClosedAt, CloseMinutes) = (at, Minutes(CreatedAt, at));
                break;
        }
        return Note(action, to, actor, role, note, at);
    }

    private static int Minutes(DateTimeOffset from, DateTimeOffset to) => (int)Math.Max(0, Math.Round((to - from).TotalMinutes));

    /// <summary>A timeline event that may or may not change the state (a summons, a supervision, a merge).</summary>
    public CaseEvent Note(string action, string to, string actor, string? role, string? note, DateTimeOffset at)
    {
        var from = State;
        State = to;
        LastSequence++;
        Version = Guid.CreateVersion7(at);
        UpdatedAt = at;
        return new CaseEvent(Id, LastSequence, action, from, to, actor, role, note, at);
    }

    /// <summary>The first event: the report itself.</summary>
    public CaseEvent Reported(string actor, string? role)
    {
        LastSequence = 1;
        return new CaseEvent(Id, 1, "report_case", null, CaseStates.Reported, actor, role, null, CreatedAt);
    }

    public void AssignTo(string? assignee) => Assignee = assignee;

    /// <summary>Keeps the reporter's phone, already encrypted, with its blind index.</summary>
    public void RecordReporterPhone(byte[] cipher, byte[] index)
    {
        ReporterPhoneCipher = cipher;
        ReporterPhoneIndex = index;
    }

    /// <summary>Starts a stage's clock: warnings and overdue are the job's to mark again.</summary>
    public void StartClock(DateTimeOffset startedAt, DateTimeOffset warnAt, DateTimeOffset dueAt)
    {
        StageStartedAt = startedAt;
        StageWarnAt = warnAt;
        StageDueAt = dueAt;
        WarnedAt = OverdueAt = null;
    }

    /// <summary>Stops the clock: the state runs none.</summary>
    public void StopClock() => StageStartedAt = StageWarnAt = StageDueAt = WarnedAt = OverdueAt = null;

    /// <summary>One step up the ladder (网格呼叫 by hand, or by the deadline job).</summary>
    public void Escalated() => EscalationLevel++;

    public void Rate(string satisfaction) => Satisfaction = satisfaction;

    /// <summary>督办 by a higher level.</summary>
    public void Supervised(DateTimeOffset at)
    {
        SupervisionCount++;
        SupervisedAt = at;
    }

    /// <summary>This case is a duplicate of <paramref name="target"/>.</summary>
    public void MergeInto(Guid target) => MergedIntoId = target;
}

/// <summary>One immutable line of a case's timeline.</summary>
internal sealed class CaseEvent(Guid caseId, int sequence, string action, string? fromState, string toState, string actor,
    string? role, string? note, DateTimeOffset at)
{
    public long Id { get; private set; }

    public Guid CaseId { get; private set; } = caseId;

    public int Sequence { get; private set; } = sequence;

    public string Action { get; private set; } = action;

    public string? FromState { get; private set; } = fromState;

    public string ToState { get; private set; } = toState;

    public string Actor { get; private set; } = actor;

    public string? Role { get; private set; } = role;

    public string? Note { get; private set; } = note;

    public DateTimeOffset At { get; private set; } = at;

    /// <summary>Photo ids recorded on this step (files attached to the case), comma-separated.</summary>
    public string? PhotoIds { get; private set; }

    /// <summary>Records the photos of this step; returns the event.</summary>
    public CaseEvent WithPhotos(string? photoIds)
    {
        PhotoIds = photoIds;
        return this;
    }

    /// <summary>The ids of a comma-separated list.</summary>
    public static IReadOnlyList<Guid> Ids(string? photoIds) =>
        [.. (photoIds ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)];
}

/// <summary>The per-day counter behind <c>SJ-YYYYMMDD-NNNNN</c>, bumped atomically in the database.</summary>
internal sealed class CaseNumberCounter(string day, long value)
{
    public string Day { get; private set; } = day;

    public long Value { get; private set; } = value;
}

/// <summary>An <c>Idempotency-Key</c> of one user and the case its first request created.</summary>
internal sealed class CaseIdempotencyKey(string userName, string key, Guid caseId, DateTimeOffset createdAt)
{
    public string UserName { get; private set; } = userName;

    public string Key { get; private set; } = key;

    public Guid CaseId { get; private set; } = caseId;

    public DateTimeOffset CreatedAt { get; private set; } = createdAt;
}
