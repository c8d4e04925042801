using CivicGrid.Infrastructure.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Identity.Protection;

/// <summary>
/// Re-encrypts, under the current field key, every protected value still written under an older
/// one: once when the web host starts, then every <c>Security:ReEncryptEvery</c> (default one hour).
/// Each store rewrites row by row and only a value that has not changed meanwhile, so stopping at
/// any point leaves every value readable under its own key version and the next run carries on.
/// It uses the process's <c>IFieldProtector</c>, which loads the ring once: after <c>keys rotate</c>
/// (another process) the web process sees the new key, and this job uses it, only after a restart.
/// Only a started host runs it; the command-line verbs build the host but never start it.
/// </summary>
internal sealed partial class FieldReEncryptionJob(
    IServiceScopeFactory scopes, TimeProvider time, IConfiguration configuration, ILogger<FieldReEncryptionJob> logger)
    : BackgroundService
{
    public const string PeriodSetting = "Security:ReEncryptEvery";

    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = configuration.GetValue(PeriodSetting, DefaultPeriod);
        if (period <= TimeSpan.Zero)
        {
            period = DefaultPeriod;
        }
        // RunOnceAsync logs its own failures and never throws.
        await PeriodicJob.RunAsync(RunOnceAsync, period, time, _ => { }, stoppingToken);
    }

    /// <summary>One pass over every store; failures are logged, never thrown, so the next pass still comes.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            foreach (var result in await scope.ServiceProvider.GetRequiredService<FieldKeys>().ReEncryptAllAsync(cancellationToken))
            {
                if (result.Count > 0)
                {
                    LogReEncrypted(logger, result.Count, result.Store);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the rows done so far are done, the rest wait for the next start.
        }
#pragma warning disable CA1031 // a background loop must survive a failed pass (database down, unreadable ring)
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encrypted {Count} value(s) of {Store} under the current field key")]
    private static partial void LogReEncrypted(ILogger logger, int count, string store);

    [LoggerMessage(Level = LogLevel.Error, Message = "Field re-encryption pass failed; it is retried at the next period")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
