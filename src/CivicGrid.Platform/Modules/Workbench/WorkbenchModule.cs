using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Contracts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Workbench;

/// <summary>
/// The grid worker's workbench on the phone (<c>/m/</c>): an installable, offline-first page over the
/// existing API, with its own small read (<c>/workbench/today</c>) and version-checked case steps
/// (docs/adr/0022).
/// </summary>
internal static class WorkbenchModule
{
    /// <summary>The page, and the service worker's scope.</summary>
    public const string Path = "/m/";

    /// <summary>The problem code of a case step refused because the case changed since the phone saw it.</summary>
    public const string CaseChanged = "workbench.case_changed";

    /// <summary>The problem code of a house's use refused because the house changed since the phone saw it.</summary>
    public const string HouseChanged = "workbench.house_changed";

    public static IServiceCollection AddWorkbench(this IServiceCollection services)
    {
        services.AddScoped<WorkbenchQueries>();
        // Only the workbench's shell and its day of data are compressed here (static files come
        // precompressed from MapStaticAssets). Neither carries a secret next to reflected input.
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
        return services;
    }

    /// <summary>Compression for the shell and <c>/workbench/today</c>; the service worker at <c>/m/sw.js</c> (scope <c>/m/</c>).</summary>
    public static WebApplication UseWorkbench(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/m") || context.Request.Path.StartsWithSegments("/api/v1/workbench/today"),
            compressed => compressed.UseResponseCompression());
        var worker = app.Services.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider.GetFileInfo("js/workbench/sw.js");
        app.MapGet(Path + "sw.js", (HttpContext context) =>
            {
                // Never cached by HTTP: a new deployment's worker must be seen at the next visit.
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Stream(worker.CreateReadStream(), "text/javascript; charset=utf-8");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    public static RouteGroupBuilder MapWorkbench(this RouteGroupBuilder api)
    {
        var workbench = api.MapGroup("/workbench").WithTags("Workbench");
        workbench.MapGet("/today", async (WorkbenchQueries queries, CancellationToken ct) => (await queries.TodayAsync(ct)).ToHttp())
            .RequireCapability(Capabilities.CasesHandle)
            .WithSummary("My grid today, for the phone offline: my open cases (lights, version, the steps I may take), my grids' households with their residents (masked), my unread notices, the case categories")
            .Produces<WorkbenchToday>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        workbench.MapGet("/session", (HttpContext http, IAntiforgery antiforgery, ICaller caller) =>
                TypedResults.Ok(new WorkbenchSession(caller.Name, antiforgery.GetAndStoreTokens(http).RequestToken!)))
            .WithSummary("Who is signed in, and the antiforgery token the page's cookie writes send in X-CSRF-TOKEN (the phone asks before each sync)")
            .Produces<WorkbenchSession>();
        foreach (var action in IVersionCheckedCaseSteps.FieldSteps)
        {
            workbench.MapPost($"/cases/{{id:guid}}/{action}", async (Guid id, [FromHeader(Name = "If-Match")] string? ifMatch,
                    [FromBody] CaseActionRequest? body, IVersionCheckedCaseSteps steps, CancellationToken ct) =>
                    await steps.TakeAsync(id, action, ifMatch, body, CaseChanged, ct))
                .WithName($"Workbench_{action}")
                .RequireCapability(Capabilities.CasesHandle)
                .WithSummary($"The case step `{action}` taken on the phone, applied only if the case still has the version in If-Match; otherwise 409 workbench.case_changed with the current case")
                .ProducesVersionChecked("the case as GET /api/v1/cases/{id} answers it");
        }
        workbench.MapPost("/houses/{id:guid}/use", async (Guid id, [FromHeader(Name = "If-Match")] string? ifMatch,
                [FromBody] WorkbenchHouseUse? body, IVersionCheckedHouseUse edit, CancellationToken ct) =>
                await edit.ChangeUseAsync(id, ifMatch, body?.Use, HouseChanged, ct))
            .RequireCapability(Capabilities.RegistryWrite)
            .WithSummary("The house's use changed on the phone, applied only if the house still has the version in If-Match; otherwise 409 workbench.house_changed with the current house")
            .ProducesVersionChecked("the house as GET /api/v1/houses/{id} answers it");
        return api;
    }

    /// <summary>What an edit checked against the version the phone saw answers: the object, or 400, 403, 404, 409 with the current one.</summary>
    /// <remarks>The object's schema is its own module's (the workbench sees it only through a contract).</remarks>
    private static RouteHandlerBuilder ProducesVersionChecked(this RouteHandlerBuilder builder, string what) =>
        builder.WithDescription($"200 with {what}.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
