using Microsoft.AspNetCore.Http;

namespace CivicGrid.Modules.Cases.Contracts;

/// <summary>
/// A case step taken against the version of the case its caller saw (a phone that acted offline):
/// applied only if the case still has that version, otherwise 409 with the given code, the current
/// case in <c>current</c> and its version in <c>version</c>.
/// </summary>
public interface IVersionCheckedCaseSteps
{
    /// <summary>The <c>If-Match</c> value of a case's row version.</summary>
    static string VersionOf(Guid version) => $"\"{version:N}\"";

    /// <summary>Takes step <paramref name="action"/> (as <c>POST /api/v1/cases/{id}/{action}</c>) if the case's version is <paramref name="ifMatch"/>.</summary>
    Task<IResult> TakeAsync(Guid id, string action, string? ifMatch, CaseActionRequest? body, string conflictCode, CancellationToken ct);
}
