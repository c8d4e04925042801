using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Boundaries;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Demo;
using CivicGrid.Modules.Geography.Divisions;
using CivicGrid.Modules.Geography.Locate;
using CivicGrid.Modules.Geography.Spatial;
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
        services.AddScoped<DivisionTree>();
        services.AddScoped<CreateDivision>();
        services.AddSingleton<GeoIndex>();
        services.AddSingleton<IGeoLocator>(sp => sp.GetRequiredService<GeoIndex>());
        services.AddScoped<LocatePoint>();
        services.AddScoped<BoundaryRules>();
        services.AddScoped<BoundaryQueries>();
        services.AddScoped<IPlaceShapes, PlaceShapes>();
        services.AddScoped<EditBoundary>();
        services.AddScoped<ImportBoundaries>();
        services.AddScoped<IDemoGeography, DemoGeography>();
        return services;
    }

    public static RouteGroupBuilder MapGeography(this RouteGroupBuilder api)
    {
        api.MapDivisionEndpoints();
        api.MapGeoEndpoints();
        return api;
    }

    /// <summary>Builds the spatial index before the server takes its first request.</summary>
    public static async Task LoadIndexAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // A demo seed on this start has already built it.
        var index = services.GetRequiredService<GeoIndex>();
        if (!index.IsLoaded)
        {
            await index.ReloadAsync(services.GetRequiredService<CivicGridDbContext>(), cancellationToken);
        }
    }
}
