using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Notifications.Contracts;

namespace CivicGrid.Modules.Cases.Notices;

/// <summary>
/// Whom Cases tells what: a dispatch tells the assignee; the deadline job's warning (黄灯) tells
/// the assignee (the township's staff while nobody is assigned), overdue (红灯) the assignee and the
/// township's staff, an escalation the township's staff; overdue and escalation also by text
/// message. The dedupe key is the timeline step (<c>case:{id}:{sequence}</c>), so a step is told once.
/// The assignee is a user name, a jurisdiction code (the users handling cases granted at exactly
/// that code) or a department code (that department's officers over the case's grid).
/// </summary>
internal sealed class CaseNotices(INotifier notifier, IUserLookup users)
{
    public const string Dispatched = "case_dispatched";
    public const string Warning = "case_warning";
    public const string Overdue = "case_overdue";
    public const string Escalated = "case_escalated";

    public async Task<int> DispatchedAsync(CaseDetail c, CancellationToken cancellationToken)
    {
        var notice = new Notice(Dispatched, $"新派遣事件 {c.Number}", Cut(c.Description), Link(c.Id), Key(c.Id, c.Timeline[^1].Sequence));
        return await notifier.NotifyAsync(await AssigneesAsync(c.Assignee, c.GridCode, cancellationToken), notice, cancellationToken);
    }

    /// <summary>The deadline job's notices for a whole batch, in one write (user look-ups remembered across the batch).</summary>
    public async Task<int> DeadlinesAsync(IEnumerable<(Guid Id, string Number, string GridCode, string? Assignee, int Sequence)> cases,
        bool overdue, CancellationToken cancellationToken)
    {
        var notices = new List<(IReadOnlyCollection<Guid>, Notice)>();
        foreach (var (id, number, gridCode, assignee, sequence) in cases)
        {
            var assignees = await AssigneesAsync(assignee, gridCode, cancellationToken);
            var notice = overdue
                ? new Notice(Overdue, $"事件 {number} 已超期（红灯）", "该事件已超过办理时限，请尽快处置。", Link(id), Key(id, sequence), Sms: true)
                : new Notice(Warning, $"事件 {number} 即将超期（黄灯）", "该事件即将超过办理时限。", Link(id), Key(id, sequence));
            notices.Add((overdue || assignees.Count == 0 ? [.. assignees, .. await TownshipStaffAsync(gridCode, cancellationToken)] : assignees,
                notice));
        }
        return await notifier.NotifyManyAsync(notices, cancellationToken);
    }

    /// <summary>The escalation notices of a batch, in one write.</summary>
    public async Task<int> EscalatedManyAsync(IEnumerable<(Guid Id, string Number, string GridCode, int Sequence)> cases,
        CancellationToken cancellationToken)
    {
        var notices = new List<(IReadOnlyCollection<Guid>, Notice)>();
        foreach (var (id, number, gridCode, sequence) in cases)
        {
            notices.Add((await TownshipStaffAsync(gridCode, cancellationToken), new Notice(Escalated, $"事件 {number} 超时上报街镇",
                "网格处置超时，已自动上报街镇，请重新派遣。", Link(id), Key(id, sequence), Sms: true)));
        }
        return await notifier.NotifyManyAsync(notices, cancellationToken);
    }

    private readonly Dictionary<(string, string), IReadOnlyList<Guid>> _assignees = [];
    private readonly Dictionary<string, IReadOnlyList<Guid>> _townshipStaff = new(StringComparer.Ordinal);

    /// <summary>The users behind an assignee; remembered for this scope (one request, or one batch of a job).</summary>
    private async Task<IReadOnlyList<Guid>> AssigneesAsync(string? assignee, string gridCode, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(assignee))
        {
            return [];
        }
        // A user name or a unit code names the same users anywhere; a department, within the grid's reach.
        var key = (assignee, assignee.All(char.IsAsciiDigit) ? string.Empty : gridCode);
        if (!_assignees.TryGetValue(key, out var known))
        {
            _assignees[key] = known = await LookUpAssigneesAsync(assignee, gridCode, cancellationToken);
        }
        return known;
    }

    private async Task<IReadOnlyList<Guid>> LookUpAssigneesAsync(string assignee, string gridCode, CancellationToken cancellationToken)
    {
        var found = await users.ByNamesAsync([assignee], cancellationToken);
        if (found.Count == 0)
        {
            found = assignee.All(char.IsAsciiDigit)
                ? await users.WithCapabilityAsync(Capabilities.CasesHandle, assignee, exactly: true, cancellationToken: cancellationToken)
                : await users.WithCapabilityAsync(Capabilities.CasesHandle, gridCode, department: assignee, cancellationToken: cancellationToken);
        }
        return [.. found.Select(u => u.UserId)];
    }

    private async Task<IReadOnlyList<Guid>> TownshipStaffAsync(string gridCode, CancellationToken cancellationToken)
    {
        var township = gridCode[..Math.Min(9, gridCode.Length)];
        if (!_townshipStaff.TryGetValue(township, out var staff))
        {
            _townshipStaff[township] = staff = [.. (await users.HoldingAsync(Roles.Township, township, cancellationToken)).Select(u => u.UserId)];
        }
        return staff;
    }

    private static string Link(Guid id) => $"/cases/{id}";

    private static string Key(Guid id, int sequence) => $"case:{id}:{sequence}";

    private static string Cut(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
