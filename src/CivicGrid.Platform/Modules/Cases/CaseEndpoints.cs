using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Intake;
using CivicGrid.Modules.Cases.Notices;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Cases.Workflow;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Cases;

/// <summary><c>/api/v1/cases</c> and <c>/api/v1/case-categories</c>.</summary>
internal static class CaseEndpoints
{
    private static readonly Dictionary<string, string> ActionSummaries = new(StringComparer.Ordinal)
    {
        [CaseWorkflow.Accept] = "Accept a reported case (立案); needs cases.dispatch",
        [CaseWorkflow.Reject] = "Reject a reported case (不予受理) with a `reason`; needs cases.dispatch",
        [CaseWorkflow.Dispatch] = "Dispatch an accepted case (派遣) to an `assignee` (unit code or user name); needs cases.dispatch",
        [CaseWorkflow.Report] = "Report back (反馈) on a dispatched case with a `note`; the first handler action starts the handling; needs cases.handle",
        [CaseWorkflow.Verify] = "Verify on site (核查) a reported-back case; needs cases.handle",
        [CaseWorkflow.Close] = "Close a verified case (结案); needs cases.dispatch",
        [CaseWorkflow.Return] = "Return a reported-back or verified case for rework (退回/返工) with a `reason`; needs cases.dispatch",
        [CaseWorkflow.Escalate] = "Call for help (网格呼叫): a dispatched case goes back to the township's queue, with a `reason`; needs cases.handle",
        [CaseWorkflow.FollowUp] = "Follow up a closed case (回访) with `satisfaction` (satisfied, fairly_satisfied, dissatisfied); needs cases.handle",
    };

    public static RouteGroupBuilder MapCaseEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/case-categories", async (CaseQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.CategoriesAsync(ct)))
            .WithTags("Cases")
            .WithSummary("The two-level case classification (大类/小类) with each category's duty row: first-handling level, owning department, deadlines in hours, self-close")
            .Produces<IReadOnlyList<CaseCategoryView>>();

        var cases = api.MapGroup("/cases").WithTags("Cases");
        cases.MapPost("/", async Task<IResult> (ReportCaseRequest body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                ReportCase useCase, CancellationToken ct) =>
            {
                var result = await useCase.HandleAsync(body, idempotencyKey, ct);
                if (!result.IsSuccess)
                {
                    return result.Error!.ToProblem();
                }
                // A retry answers as the first request did.
                return TypedResults.Created($"/api/v1/cases/{result.Value.Case.Id}", result.Value.Case);
            })
            .RequireCapability(Capabilities.CasesReport)
            .WithSummary("Report a case at a point (lon/lat, WGS-84): located in its grid and numbered SJ-YYYYMMDD-NNNNN; an `Idempotency-Key` header makes retries return the first result")
            .Produces<CaseDetail>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        cases.MapGet("/", async (string? state, string? within, int? page, int? pageSize, CaseQueries queries, CancellationToken ct) =>
                (await queries.ListAsync(state, within, page, pageSize, ct)).ToHttp())
            .WithSummary("Cases within the caller's jurisdictions, newest first, paged; filter by `state` and by a division or grid code `within`")
            .Produces<Paged<CaseSummary>>()
            .ProducesValidationProblem();

        cases.MapGet("/{id:guid}", async (Guid id, CaseQueries queries, CancellationToken ct) => (await queries.GetAsync(id, ct)).ToHttp())
            .WithSummary("One case with its timeline; a case outside the caller's jurisdictions is 404")
            .Produces<CaseDetail>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        foreach (var (action, summary) in ActionSummaries)
        {
            cases.MapPost($"/{{id:guid}}/{action}", async (Guid id, [FromBody] CaseActionRequest? body, ActOnCase useCase,
                    CaseNotices notices, CancellationToken ct) =>
                {
                    var result = await useCase.HandleAsync(id, action, body, ct);
                    if (result.IsSuccess && action == CaseWorkflow.Dispatch)
                    {
                        // After the commit: a lost notice never undoes a dispatch; the assignee also sees it in his list.
                        await notices.DispatchedAsync(result.Value, ct);
                    }
                    return result.ToHttp();
                })
                .WithName($"Cases_{action}")
                .WithSummary(summary)
                .Produces<CaseDetail>()
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict);
        }
        return api;
    }
}
