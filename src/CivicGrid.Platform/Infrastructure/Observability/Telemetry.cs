using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Formatting.Compact;

namespace CivicGrid.Infrastructure.Observability;

/// <summary>Structured logs (Serilog), OpenTelemetry metrics and traces; the exporter is off unless configured.</summary>
public static class Telemetry
{
    /// <summary>The name of the platform's own activity source and meter.</summary>
    public const string Name = "CivicGrid";

    /// <summary>Spans for the platform's own work (imports, seeding, jobs).</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>The platform's own instruments.</summary>
    public static readonly Meter Meter = new(Name);

    internal static IServiceCollection AddCivicGridTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSerilog((sp, logger) =>
        {
            var settings = sp.GetRequiredService<IConfiguration>();
            logger.ReadFrom.Configuration(settings).Enrich.FromLogContext();
            if (settings.GetValue("Logging:Json", false))
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {TraceId}{NewLine}{Exception}",
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
            var file = settings["Logging:File"];
            if (!string.IsNullOrWhiteSpace(file))
            {
                logger.WriteTo.File(new CompactJsonFormatter(), file, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 30);
            }
        });

        var endpoint = configuration["OpenTelemetry:OtlpEndpoint"];
        var exporting = !string.IsNullOrWhiteSpace(endpoint);
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(Name))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Name))
            .WithTracing(tracing => tracing
                // With no exporter nothing would read the spans: each request still gets its trace id
                // (logs, problems and audit entries carry it), but no span is recorded.
                .SetSampler(exporting ? new ParentBasedSampler(new AlwaysOnSampler()) : new AlwaysOffSampler())
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(Name));

        if (exporting)
        {
            otel.UseOtlpExporter(OtlpExportProtocol.HttpProtobuf, new Uri(endpoint!));
        }
        return services;
    }
}
