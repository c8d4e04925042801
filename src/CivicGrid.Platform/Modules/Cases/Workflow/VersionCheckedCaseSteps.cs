using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Queries;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Cases.Workflow;

/// <summary>
/// A step taken on the phone (<c>POST /api/v1/workbench/cases/{id}/{action}</c>), maybe hours ago
/// offline, applies only to the case as the phone saw it. <c>If-Match</c> carries the case's row
/// version from <c>/workbench/today</c>; the case is read (tracked) here and the step runs through
/// <see cref="ActOnCase"/> in the same unit of work, so its save checks that very version: a case
/// changed meanwhile — before the check or between check and save — is 409 with the caller's code
/// and the server's current case in <c>current</c>, never overwritten.
/// </summary>
internal sealed class VersionCheckedCaseSteps(CivicGridDbContext db, ActOnCase act, CaseQueries queries) : IVersionCheckedCaseSteps
{
    public async Task<IResult> TakeAsync(Guid id, string action, string? ifMatch, CaseActionRequest? body, string conflictCode, CancellationToken ct)
    {
        var found = await db.Set<Case>().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (found is null)
        {
            return CaseQueries.NotFound(id).ToProblem();
        }
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return new FieldErrors().Add("If-Match", "须带上事件的版本（If-Match）").ToError()!.ToProblem();
        }
        if (!string.Equals(IVersionCheckedCaseSteps.VersionOf(found.Version), ifMatch.Trim(), StringComparison.Ordinal))
        {
            return await ConflictAsync(id, conflictCode, "该事件已被他人处理，请查看当前状态", ct);
        }
        var result = await act.HandleAsync(id, action, body, ct);
        if (result is { IsSuccess: false, Error.Kind: ErrorKind.Conflict })
        {
            db.ChangeTracker.Clear();
            return await ConflictAsync(id, conflictCode, result.Error!.Message, ct);
        }
        return result.ToHttp();
    }

    private async Task<IResult> ConflictAsync(Guid id, string code, string message, CancellationToken ct)
    {
        var current = await queries.GetAsync(id, ct);
        if (!current.IsSuccess)
        {
            return current.Error!.ToProblem();
        }
        var version = await db.Set<Case>().AsNoTracking().Where(c => c.Id == id).Select(c => c.Version).FirstAsync(ct);
        return TypedResults.Problem(detail: message, statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?>
        {
            [ProblemMapping.CodeKey] = code,
            ["current"] = current.Value,
            ["version"] = IVersionCheckedCaseSteps.VersionOf(version),
        });
    }
}
