using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Divisions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Geography;

/// <summary>Divisions down to grid and micro-grid, their boundaries, and locating a point.</summary>
internal static class GeographyModule
{
    public static IServiceCollection AddGeography(this IServiceCollection services)
    {
        services.AddScoped<IDivisionDirectory, DivisionDirectory>();
        services.AddScoped<DivisionQueries>();
        services.AddScoped<CreateDivision>();
        return services;
    }

    public static RouteGroupBuilder MapGeography(this RouteGroupBuilder api)
    {
        api.MapDivisionEndpoints();
        return api;
    }
}
