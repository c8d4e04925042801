using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Demo;

/// <summary>The demo district: seeds real divisions and a plausible partition into grids.</summary>
internal static class DemoModule
{
    public static IServiceCollection AddDemo(this IServiceCollection services) =>
        services.AddScoped<SeedDemo>().AddScoped<DemoUsers>();
}
