using System.Diagnostics;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Import;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Registry.Templates;

/// <summary><c>/api/v1/report-templates</c>: 一表通 templates, their filled rows, to-do per grid, .xlsx export and extra values.</summary>
internal static class TemplateEndpoints
{
    public static RouteGroupBuilder MapTemplateEndpoints(this RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/report-templates").WithTags("Registry");

        templates.MapGet("/", async (TemplateDirectory directory, CancellationToken ct) => TypedResults.Ok(await directory.ListAsync(ct)))
            .RequireReadOrDefine()
            .WithSummary("The report templates of the caller's divisions, those above them and those below")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        templates.MapPost("/", async Task<Results<Created<ReportTemplateView>, ProblemHttpResult>> (ReportTemplateInput input,
                TemplateDirectory directory, CancellationToken ct) =>
            {
                var result = await directory.CreateAsync(input, ct);
                return result.IsSuccess
                    ? TypedResults.Created($"/api/v1/report-templates/{result.Value.Id}", result.Value)
                    : result.Error!.ToProblem();
            })
            .RequireCapability(Capabilities.RegistryTemplates)
            .WithSummary("Define a template for a division: a filter (tags all/any, ages, sex, household type) and ordered columns (field, derived or extra)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

        templates.MapGet("/{id:guid}", async (Guid id, TemplateDirectory directory, CancellationToken ct) =>
            (await directory.GetAsync(id, ct)).ToHttp())
            .RequireReadOrDefine()
            .WithSummary("One template's definition")
            .Produces<ReportTemplateView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        templates.MapPut("/{id:guid}", async (Guid id, ReportTemplateInput input, TemplateDirectory directory, CancellationToken ct) =>
            (await directory.UpdateAsync(id, input, ct)).ToHttp())
            .RequireCapability(Capabilities.RegistryTemplates)
            .WithSummary("Replace a template's definition (extra values of keys kept stay)")
            .Produces<ReportTemplateView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        templates.MapDelete("/{id:guid}", async Task<IResult> (Guid id, TemplateDirectory directory, CancellationToken ct) =>
            {
                var result = await directory.DeleteAsync(id, ct);
                return result.IsSuccess ? TypedResults.NoContent() : result.Error!.ToProblem();
            })
            .RequireCapability(Capabilities.RegistryTemplates)
            .WithSummary("Remove a template and its extra values")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        templates.MapGet("/{id:guid}/rows", async (Guid id, string? within, int? page, int? pageSize, TemplateFill fill, CancellationToken ct) =>
            (await fill.RowsAsync(id, within, page, pageSize, ct)).ToHttp())
            .RequireCapability(Capabilities.RegistryRead)
            .WithSummary("The template filled for a division (default: its own), paged, numbers masked; cells in the columns' order")
            .Produces<TemplateRows>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        templates.MapGet("/{id:guid}/export.xlsx", async Task<IResult> (Guid id, string? within, bool? unmasked, TemplateFill fill,
                HttpContext http, CancellationToken ct) =>
            {
                var result = await fill.ExportAsync(id, within, unmasked == true, Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier, ct);
                if (!result.IsSuccess)
                {
                    return result.Error!.ToProblem();
                }
                http.Response.Headers.CacheControl = "no-store";
                return Results.File(result.Value.File, ImportEndpoints.XlsxType, result.Value.Name + ".xlsx");
            })
            .RequireCapability(Capabilities.RegistryRead)
            .WithSummary("The template filled for a division as .xlsx, columns in order under their headers; unmasked=true needs registry.unmask over the division and is audited")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        templates.MapGet("/{id:guid}/todo", async (Guid id, string? within, TemplateFill fill, CancellationToken ct) =>
            (await fill.TodoAsync(id, within, ct)).ToHttp())
            .RequireCapability(Capabilities.RegistryRead)
            .WithSummary("Per grid: how many listed persons still miss a required extra field, and who")
            .Produces<TemplateTodo>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        templates.MapPut("/{id:guid}/values/{personId:guid}", async (Guid id, Guid personId, TemplateValuesInput input, TemplateDirectory directory,
                CancellationToken ct) =>
            (await directory.SetValuesAsync(id, personId, input, ct)).ToHttp())
            .RequireCapability(Capabilities.RegistryWrite)
            .WithSummary("Fill a listed person's extra fields (null clears one); types and choices checked")
            .Produces<TemplateValuesView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    /// <summary>
    /// Definitions (no people's data) are for those who read the registry and for those who define templates
    /// (department officers hold <c>registry.templates</c> without <c>registry.read</c>).
    /// </summary>
    private static RouteHandlerBuilder RequireReadOrDefine(this RouteHandlerBuilder builder) =>
        builder.RequireAuthorization(policy => policy.RequireAssertion(context => context.User.Grants()
            .Any(g => Capabilities.RoleHas(g.Role, Capabilities.RegistryRead) || Capabilities.RoleHas(g.Role, Capabilities.RegistryTemplates))));
}
