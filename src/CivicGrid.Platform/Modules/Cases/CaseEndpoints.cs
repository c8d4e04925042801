using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Cases.Intake;
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
        [CaseWorkflow.Decline] = "Decline a dispatch as not one's own (退回派遣) with a `reason`: back to the dispatcher's queue; counts against 准确派遣率; needs cases.handle",
        [CaseWorkflow.FollowUp] = "Follow up a closed case (回访) with `satisfaction` (satisfied, fairly_satisfied, dissatisfied); needs cases.handle",
    };

    public static RouteGroupBuilder MapCaseEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/case-categories", async (CaseQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.CategoriesAsync(ct)))
            .WithTags("Cases")
            .WithSummary("The two-level case classification (大类/小类) with each category's duty row: first-handling level, owning department, deadlines in hours, self-close")
            .Produces<IReadOnlyList<CaseCategoryView>>();

        api.MapGet("/case-evaluation", async (string? within, DateOnly? from, DateOnly? to, string? by, CaseEvaluation evaluation,
                CancellationToken ct) => (await evaluation.HandleAsync(within, from, to, by, ct)).ToHttp())
            .WithTags("Cases")
            .RequireCapability(Capabilities.DashboardRead)
            .WithSummary("综合评价 of the cases reported within a division or grid (`within`, default the caller's first jurisdiction) from `from` to `to` (local dates, default this year): in total and by `by` = division (one level down, drill-down to the grid), department, person or category")
            .Produces<CaseEvaluationReport>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

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
                    CancellationToken ct) => (await useCase.HandleAsync(id, action, body, ct)).ToHttp())
                .WithName($"Cases_{action}")
                .WithSummary(summary)
                .ProducesCaseStep();
        }
        cases.MapGet("/nearby", async (string? categoryCode, double? lon, double? lat, CaseNearby queries, CancellationToken ct) =>
                (await queries.NearbyAsync(categoryCode, lon, lat, ct)).ToHttp())
            .RequireCapability(Capabilities.CasesReport)
            .WithSummary("Possible duplicates before reporting (可能重复): open cases of the same category within the category's distance and time window, nearest first")
            .Produces<IReadOnlyList<NearbyCase>>()
            .ProducesValidationProblem();

        cases.MapPost("/{id:guid}/summon", async (Guid id, [FromBody] SummonRequest? body, CoordinateCase useCase, CancellationToken ct) =>
                (await useCase.SummonAsync(id, body, ct)).ToHttp())
            .WithName("Cases_summon")
            .RequireCapability(Capabilities.CasesDispatch)
            .WithSummary("Summon departments to an open case (吹哨报到): each must report in within `hours` working hours (default Cases:SummonHours, 2); needs cases.dispatch")
            .ProducesCaseStep();
        cases.MapPost("/{id:guid}/checkin", async (Guid id, [FromBody] CaseActionRequest? body, CoordinateCase useCase, CancellationToken ct) =>
                (await useCase.CheckInAsync(id, body, ct)).ToHttp())
            .WithName("Cases_checkin")
            .RequireCapability(Capabilities.CasesHandle)
            .WithSummary("Report in (部门报到) as an officer of a department summoned to the case; late check-ins are marked; needs cases.handle as a department")
            .ProducesCaseStep();
        cases.MapPost("/{id:guid}/supervise", async (Guid id, [FromBody] CaseActionRequest? body, CoordinateCase useCase, CancellationToken ct) =>
                (await useCase.SuperviseAsync(id, body, ct)).ToHttp())
            .WithName("Cases_supervise")
            .RequireCapability(Capabilities.CasesSupervise)
            .WithSummary("Supervise an open case (督办) with a `note`, as a higher level; needs cases.supervise")
            .ProducesCaseStep();
        cases.MapPost("/{id:guid}/merge", async (Guid id, [FromBody] MergeRequest? body, CoordinateCase useCase, CancellationToken ct) =>
                (await useCase.MergeAsync(id, body, ct)).ToHttp())
            .WithName("Cases_merge")
            .RequireCapability(Capabilities.CasesDispatch)
            .WithSummary("Merge a duplicate into the open case `intoId` it repeats: it ends as merged and its reporter follows the other; needs cases.dispatch")
            .ProducesCaseStep();
        cases.MapGet("/{id:guid}/summons", async (Guid id, CaseNearby queries, CancellationToken ct) => (await queries.SummonsAsync(id, ct)).ToHttp())
            .WithSummary("The departments summoned to a case, their deadlines and check-ins")
            .Produces<IReadOnlyList<CaseSummonsView>>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPost("/{id:guid}/follow", async (Guid id, CoordinateCase useCase, CancellationToken ct) =>
                (await useCase.FollowAsync(id, true, ct)).ToHttp())
            .WithSummary("Follow a case one sees (关注): its progress reaches one's inbox")
            .Produces<bool>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapDelete("/{id:guid}/follow", async (Guid id, CoordinateCase useCase, CancellationToken ct) =>
                (await useCase.FollowAsync(id, false, ct)).ToHttp())
            .WithSummary("Stop following a case")
            .Produces<bool>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>What a step on a case answers: the case, or 400, 403, 404, 409.</summary>
    private static RouteHandlerBuilder ProducesCaseStep(this RouteHandlerBuilder builder) =>
        builder.Produces<CaseDetail>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
