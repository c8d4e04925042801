using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Workflow;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Cases.Queries;

/// <summary>
/// <see cref="IWorkerCases"/>: the caller's queue from <see cref="CaseInbox"/> (jurisdiction, lights),
/// with each case's row version and the field steps its state and the caller's grants allow.
/// </summary>
internal sealed class WorkerCases(CivicGridDbContext db, ICaller caller, CaseInbox inbox, CaseQueries queries) : IWorkerCases
{
    public async Task<Result<IReadOnlyList<WorkerCase>>> MineAsync(int max, CancellationToken cancellationToken = default)
    {
        var mine = await inbox.ListAsync(new CaseFilter(Queue: CaseQueues.Mine, PageSize: max), cancellationToken);
        if (!mine.IsSuccess)
        {
            return mine.Error!;
        }
        var rows = mine.Value.Items;
        var ids = rows.Select(r => r.Case.Id).ToList();
        var versions = await db.Set<Case>().AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Version })
            .ToDictionaryAsync(c => c.Id, c => c.Version, cancellationToken);
        return rows.Select(r => r.Case)
            .Select(c => new WorkerCase(c.Id, c.Number, c.CategoryCode, c.State, c.GridCode, c.Description, c.Assignee, c.UpdatedAt,
                c.DueAt, c.Light, IVersionCheckedCaseSteps.VersionOf(versions.GetValueOrDefault(c.Id)), StepsFor(c.State, c.GridCode)))
            .ToList();
    }

    public async Task<IReadOnlyList<WorkerCategory>> CategoriesAsync(CancellationToken cancellationToken = default) =>
        [.. (await queries.CategoriesAsync(cancellationToken)).Select(c => new WorkerCategory(c.Code, c.ParentCode, c.Name))];

    private List<string> StepsFor(string state, string gridCode) =>
        [.. IVersionCheckedCaseSteps.FieldSteps.Where(a => CaseWorkflow.Transitions[a] is var t && t.From.Contains(state) && caller.Can(t.Capability, gridCode))];
}
