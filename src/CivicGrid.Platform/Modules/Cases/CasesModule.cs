using CivicGrid.Modules.Cases.Intake;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Cases.Workflow;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Cases;

/// <summary>Cases (事件): intake, the workflow from report to follow-up, and its timeline.</summary>
internal static class CasesModule
{
    public static IServiceCollection AddCases(this IServiceCollection services)
    {
        services.AddScoped<ReportCase>();
        services.AddScoped<ActOnCase>();
        services.AddScoped<CaseQueries>();
        return services;
    }

    public static RouteGroupBuilder MapCases(this RouteGroupBuilder api) => api.MapCaseEndpoints();
}
