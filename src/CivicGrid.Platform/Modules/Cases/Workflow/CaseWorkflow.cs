using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Identity.Contracts;

namespace CivicGrid.Modules.Cases.Workflow;

/// <summary>One guarded step of the loop: from which states, to which, and who may take it.</summary>
internal sealed record CaseTransition(string Action, IReadOnlyList<string> From, string To, string Capability);

/// <summary>
/// The workflow as a table: the one place to read or change which action moves a case where.
/// <code>
/// reported      → accepted (accept, 立案) | rejected (reject, 不予受理, reason)
/// accepted      → dispatched (dispatch, 派遣, assignee)
/// dispatched    → handling (implicit on the handler's first action) → reported_back (report, 反馈, note)
/// reported_back → verified (verify, 核查) | dispatched (return, 退回/返工, reason)
/// verified      → closed (close, 结案) | dispatched (return, reason)
/// closed        → followed_up (followup, 回访, satisfaction)
/// dispatched, handling → accepted (escalate, 网格呼叫: back to the township's queue, reason)
/// dispatched    → accepted (decline, 退回派遣: "not ours", reason; counts against 准确派遣率)
/// </code>
/// Capabilities, checked over the case's grid: deciding and routing (accept, reject, dispatch,
/// return, close) is <c>cases.dispatch</c> (township, centre, admin); the work on the ground
/// (report back, verify on site, follow-up call, calling for help) is <c>cases.handle</c> (grid
/// workers and heads, community, township, departments).
/// </summary>
internal static class CaseWorkflow
{
    public const string Accept = "accept";
    public const string Reject = "reject";
    public const string Dispatch = "dispatch";
    public const string Report = "report";
    public const string Verify = "verify";
    public const string Close = "close";
    public const string Return = "return";
    public const string Escalate = "escalate";
    public const string FollowUp = "followup";
    public const string Decline = "decline";

    /// <summary>The action recorded when a handler's first action starts the handling.</summary>
    public const string StartHandling = "start_handling";

    public static readonly IReadOnlyDictionary<string, CaseTransition> Transitions = new[]
    {
        new CaseTransition(Accept, [CaseStates.Reported], CaseStates.Accepted, Capabilities.CasesDispatch),
        new CaseTransition(Reject, [CaseStates.Reported], CaseStates.Rejected, Capabilities.CasesDispatch),
        new CaseTransition(Dispatch, [CaseStates.Accepted], CaseStates.Dispatched, Capabilities.CasesDispatch),
        new CaseTransition(Report, [CaseStates.Dispatched, CaseStates.Handling], CaseStates.ReportedBack, Capabilities.CasesHandle),
        new CaseTransition(Verify, [CaseStates.ReportedBack], CaseStates.Verified, Capabilities.CasesHandle),
        new CaseTransition(Return, [CaseStates.ReportedBack, CaseStates.Verified], CaseStates.Dispatched, Capabilities.CasesDispatch),
        new CaseTransition(Close, [CaseStates.Verified], CaseStates.Closed, Capabilities.CasesDispatch),
        new CaseTransition(FollowUp, [CaseStates.Closed], CaseStates.FollowedUp, Capabilities.CasesHandle),
        new CaseTransition(Escalate, [CaseStates.Dispatched, CaseStates.Handling], CaseStates.Accepted, Capabilities.CasesHandle),
        new CaseTransition(Decline, [CaseStates.Dispatched], CaseStates.Accepted, Capabilities.CasesHandle),
    }.ToDictionary(t => t.Action, StringComparer.Ordinal);

    /// <summary>
    /// What escalating (网格呼叫) does besides the transition, by hand or by the deadline job: the
    /// case goes to the township of its grid, which dispatches it again, one level up the ladder.
    /// </summary>
    public static void Escalated(Case c)
    {
        c.AssignTo(c.GridCode[..Math.Min(9, c.GridCode.Length)]);
        c.Escalated();
    }

    /// <summary>The follow-up ratings (满意 / 基本满意 / 不满意).</summary>
    public static readonly IReadOnlyList<string> Satisfactions = ["satisfied", "fairly_satisfied", "dissatisfied"];
}
