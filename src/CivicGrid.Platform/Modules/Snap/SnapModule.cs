using System.IO.Compression;
using System.Net;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Files.Contracts;
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
        // A photo over the limit is refused before its bytes are read, with a message a resident understands.
        app.UseWhen(context => HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/r"),
            branch => branch.Use(RefuseTooLargeAsync));
        api.MapSnapEndpoints();
        app.MapSnapPublicEndpoints();
        return app;
    }

    private static async Task RefuseTooLargeAsync(HttpContext context, RequestDelegate next)
    {
        var max = context.RequestServices.GetRequiredService<IFileUploads>().MaxBytes;
        // The form's other fields and the multipart envelope fit in the megabyte above the photo's limit.
        if (context.Request.ContentLength is not { } length || length <= max + 1024 * 1024)
        {
            await next(context);
            return;
        }
        var message = $"照片不能超过 {max / (1024 * 1024)} MB，请换一张较小的照片";
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        if (Pages.SnapPages.WantsJson(context.Request))
        {
            await Results.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["photo"] = [message] })
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = message,
                Extensions = { [ProblemMapping.CodeKey] = "snap.too_large" },
            }).ExecuteAsync(context);
            return;
        }
        var back = WebUtility.HtmlEncode(context.Request.Path.Value ?? "/r");
        await Results.Content($"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>照片太大</title><link rel="stylesheet" href="/css/inline/phone.css"></head><body><main class="ph-main"><h1>照片太大</h1><p class="ph-alert" id="snap-too-large">{message}。</p><a class="ph-btn" href="{back}">返回</a></main></body></html>""",
            "text/html; charset=utf-8", statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
    }

    private static bool IsCompressed(PathString path) =>
        path.StartsWithSegments("/r") || path.StartsWithSegments("/t") || path.StartsWithSegments("/api/v1/snap/posters");
}
