using System.IO.Compression;
using CivicGrid.Modules.Snap.Intake;
using CivicGrid.Modules.Snap.Moderation;
using CivicGrid.Modules.Snap.Places;
using CivicGrid.Modules.Snap.Posters;
using CivicGrid.Modules.Snap.Tracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Snap;

/// <summary>
/// 随手拍 by QR code: the residents' anonymous report page <c>/r/{key}</c> and tracking page
/// <c>/t/{code}</c>, QR codes and A4 posters for staff, and moderation. Reports go through the
/// Cases intake (channel <c>snap</c>); photos through the Files module.
/// </summary>
internal static class SnapModule
{
    public static IServiceCollection AddSnap(this IServiceCollection services)
    {
        services.AddSingleton(sp => SnapSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddScoped<SnapPlaces>();
        services.AddScoped<SubmitSnap>();
        services.AddScoped<SnapTracking>();
        services.AddScoped<ModerateSnap>();
        services.AddScoped<PrintPosters>();
        // The resident pages go out compressed (a phone on a weak link); static files are precompressed by MapStaticAssets.
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "image/svg+xml", "application/problem+json"];
        });
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        return services;
    }

    /// <summary>The staff API under <paramref name="api"/>, the public photo route, and compression of the resident pages and posters.</summary>
    public static WebApplication MapSnap(this WebApplication app, RouteGroupBuilder api)
    {
        // Only these paths: their responses carry no secret an attacker's reflected input could probe (BREACH),
        // except the form's antiforgery token, which reflects nothing a third party controls.
        app.UseWhen(context => IsCompressed(context.Request.Path), branch => branch.UseResponseCompression());
        api.MapSnapEndpoints();
        app.MapSnapPublicEndpoints();
        return app;
    }

    private static bool IsCompressed(PathString path) =>
        path.StartsWithSegments("/r") || path.StartsWithSegments("/t") || path.StartsWithSegments("/api/v1/snap/posters");
}
