using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Cases.Deadlines;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Intake;
using CivicGrid.Modules.Cases.Notices;
using CivicGrid.Modules.Cases.Open311;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Cases.Workflow;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Cases;

/// <summary>Cases (事件): intake, the workflow from report to follow-up, its timeline, and deadlines in working time.</summary>
internal static class CasesModule
{
    public static IServiceCollection AddCases(this IServiceCollection services)
    {
        services.AddSingleton<CaseCategoryCatalog>();
        services.AddSingleton<CaseNumbers>();
        services.AddScoped<ReportCase>();
        services.AddSingleton<CaseIntakeWriter>().AddHostedService(sp => sp.GetRequiredService<CaseIntakeWriter>());
        services.AddScoped<CasePhotos>();
        services.AddScoped<CaseNotices>();
        services.AddScoped<ActOnCase>();
        services.AddScoped<IVersionCheckedCaseSteps, VersionCheckedCaseSteps>();
        services.AddScoped<IWorkerCases, WorkerCases>();
        services.AddScoped<CaseQueries>();
        services.AddSingleton<CaseDetailReads>();
        services.AddScoped<CoordinateCase>();
        services.AddScoped<CaseNearby>();
        services.AddScoped<CaseEvaluation>();
        services.AddSingleton(sp => Open311Settings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddScoped<Open311Reads>().AddScoped<Open311Intake>();
        services.AddScoped<CaseInbox>();
        services.AddScoped<CaseReporterPhones>();
        services.AddSingleton<PublicCategoryUses>().AddScoped<IPublicCases, PublicCases>();
        services.AddScoped<IProtectedFieldStore>(sp => sp.GetRequiredService<CaseReporterPhones>());
        services.AddSingleton(sp => CaseDeadlineSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<WorkingCalendarSource>();
        services.AddScoped<CaseDeadlines>();
        services.AddSingleton<CaseDeadlineJob>().AddHostedService(sp => sp.GetRequiredService<CaseDeadlineJob>());
        return services;
    }

    public static RouteGroupBuilder MapCases(this RouteGroupBuilder api) => api.MapCaseEndpoints().MapCaseHolidayEndpoints();

    /// <summary>Open311 GeoReport v2 at <c>/open311/v2</c>, outside the <c>/api/v1</c> group (its reads are anonymous by the spec).</summary>
    public static IEndpointRouteBuilder MapOpen311(this IEndpointRouteBuilder app) => app.MapOpen311Endpoints();
}
