using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Health;
using CivicGrid.Infrastructure.Observability;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Infrastructure.Web;
using CivicGrid.Modules.Cases;
using CivicGrid.Modules.Demo;
using CivicGrid.Modules.Files;
using CivicGrid.Modules.Geography;
using CivicGrid.Modules.Identity;
using CivicGrid.Modules.Notifications;
using CivicGrid.Modules.Registry;
using CivicGrid.Modules.Snap;
using CivicGrid.Modules.Workbench;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using Scalar.AspNetCore;
using Serilog;

namespace CivicGrid.Infrastructure;

/// <summary>Composition of the platform: services, middleware, modules. The host only calls these.</summary>
public static partial class Platform
{
    /// <summary>Registers every service of the platform and its modules.</summary>
    public static IServiceCollection AddCivicGrid(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new LocalTime(
            sp.GetRequiredService<TimeProvider>(), LocalTime.ZoneFrom(sp.GetRequiredService<IConfiguration>())));
        // Chinese text stays readable (and smaller) in the HTML instead of &#x...; entities.
        services.Configure<WebEncoderOptions>(options =>
            options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddDataProtection().SetApplicationName("CivicGrid");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
        {
            var path = sp.GetRequiredService<IConfiguration>()["DataProtection:KeyPath"] is { Length: > 0 } keys
                ? keys
                : Path.Combine("data", "keys");
            options.XmlRepository = new FileSystemXmlRepository(
                Directory.CreateDirectory(path), sp.GetRequiredService<ILoggerFactory>());
        }));
        services.AddCivicGridTelemetry(configuration);
        services.AddCivicGridDatabase();
        services.AddCivicGridLocalization();
        services.AddSingleton<InlineStyles>();

        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemMapping.Customize);
        services.AddExceptionHandler<GlobalExceptionHandler>();
        // Let binding failures reach the exception handler so they become problems that say what broke.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.Configure<ApiBehaviorOptions>(options => options.SuppressMapClientErrors = false);

        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CivicGrid 网格智治 API";
            document.Info.Description = "REST API of the grid-governance platform. Errors are RFC 9457 problem+json with a stable `code` and the `traceId`.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/";
            // Every module page needs a signed-in user; the sign-in page opts out itself.
            options.Conventions.AuthorizeFolder("/Modules");
        });
        services.AddCivicGridRateLimits();
        // Requests carry forms and JSON; bulk imports raise their own limit on their endpoint.
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>().Configure<IConfiguration>((options, settings) =>
            options.Limits.MaxRequestBodySize = settings.GetValue("Limits:MaxRequestBodyMegabytes", 10L) * 1024 * 1024);

        services.AddGeography();
        services.AddIdentity();
        services.AddRegistry();
        services.AddFiles();
        services.AddNotifications();
        services.AddCases();
        services.AddSnap();
        services.AddDemo();
        services.AddWorkbench();
        return services;
    }

    /// <summary>The request pipeline and every endpoint.</summary>
    public static WebApplication UseCivicGrid(this WebApplication app)
    {
        app.UseSecurityHeaders();
        // Outside the exception handler, so each request is logged once with its final status.
        app.UseSerilogRequestLogging();
        app.UseExceptionHandler("/error");
        app.UseWhen(context => ApiPaths.IsApi(context.Request), api => api.UseStatusCodePages());
        app.UseWhen(context => !ApiPaths.IsApi(context.Request), pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseRequestLocalization();
        app.UseRouting();
        // Authenticates bearer tokens when present; endpoints opt in to requiring them.
        app.UseAuthentication();
        app.UseCookieApiAntiforgery();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.UseWorkbench();
        app.MapStaticAssets();
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("CivicGrid API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .HideDeveloperTools()
            .HideClientButton()
            .DisableAgent());
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync })
            .ExcludeFromDescription();
        app.MapLanguageSwitch();
        app.MapRazorPages().WithStaticAssets();

        // Every API call carries a bearer token (or the pages' cookie); the few open ones say AllowAnonymous.
        var api = app.MapGroup("/api/v1").RequireAuthorization();
        api.MapGeography();
        api.MapIdentity();
        api.MapRegistry();
        api.MapFiles();
        api.MapNotifications();
        api.MapCases();
        app.MapSnap(api);
        api.MapWorkbench();
        app.MapOpen311();
        // Anything else under /api (unknown route 404, wrong content type 415, wrong method 405)
        // ends with an empty body, which UseStatusCodePages turns into a coded problem.
        return app;
    }

    /// <summary>
    /// Applies migrations and, on a fresh database, seeds the demo district (<c>Demo:SeedOnStart</c>,
    /// default true) before the server takes requests. Returns the path of <c>demo-users.csv</c>
    /// (the demo accounts' sign-ins) when the demo is on and the file exists, otherwise null.
    /// </summary>
    public static async Task<string?> PrepareDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        if (app.Configuration.GetValue("Database:MigrateOnStart", true))
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        }
        var seed = services.GetRequiredService<SeedDemo>();
        var demo = app.Configuration.GetValue("Demo:SeedOnStart", true);
        if (demo && await seed.IsEmptyAsync(cancellationToken))
        {
            var report = await seed.RunAsync(SeedDemo.DefaultArea, SeedDemo.DefaultGrids, seed.PersonsOnStart, cancellationToken);
            LogDemoSeeded(app.Logger, report.Area, report.Elapsed.TotalSeconds);
        }
        await GeographyModule.LoadIndexAsync(services, cancellationToken);
        return demo && File.Exists(seed.UsersFilePath) ? seed.UsersFilePath : null;
    }

    private static Task WriteHealthAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Fresh database: demo district {Area} seeded in {Seconds:F1} s")]
    private static partial void LogDemoSeeded(Microsoft.Extensions.Logging.ILogger logger, string area, double seconds);
}
