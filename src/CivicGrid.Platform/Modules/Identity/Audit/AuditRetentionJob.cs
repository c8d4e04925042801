using CivicGrid.Infrastructure.Jobs;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CivicGrid.Modules.Identity.Audit;

/// <summary>The <c>Audit:*</c> settings.</summary>
internal sealed class AuditSettings
{
    /// <summary>MLPS 2.0 (等保 2.0) asks for audit records to be kept at least six months.</summary>
    public const int MinimumRetentionDays = 180;

    public const string RetentionSetting = "Audit:RetentionDays";

    /// <summary>Days an audit record is kept before retention deletes it (default 365, at least 180).</summary>
    public int RetentionDays { get; set; } = 365;
}

/// <summary>Refuses a retention shorter than the law allows, at start-up and in the CLI.</summary>
internal sealed class AuditSettingsValidation : IValidateOptions<AuditSettings>
{
    public ValidateOptionsResult Validate(string? name, AuditSettings options) =>
        options.RetentionDays < AuditSettings.MinimumRetentionDays
            ? ValidateOptionsResult.Fail(
                $"{AuditSettings.RetentionSetting} is {options.RetentionDays}: audit records must be kept at least " +
                $"{AuditSettings.MinimumRetentionDays} days (MLPS 2.0 / 等保 2.0). Set it to {AuditSettings.MinimumRetentionDays} or more.")
            : ValidateOptionsResult.Success;
}

/// <summary>
/// Deletes audit records older than <c>Audit:RetentionDays</c>, leaving an anchor so the chain
/// stays verifiable: once when the web host starts, then daily. Each pass is one transaction and
/// idempotent, so a restart at any point is harmless. Only a started host runs it; the command-line
/// verbs build the host but never start it (<c>audit prune</c> runs one pass itself).
/// </summary>
internal sealed partial class AuditRetentionJob(
    IAuditLog audit, IOptions<AuditSettings> settings, TimeProvider time, ILogger<AuditRetentionJob> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromDays(1);

    // One pass at a time in this process, its closing audit record included.
    private readonly SemaphoreSlim _running = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PeriodicJob.RunAsync(RunOnceAsync, Period, time, e => LogFailed(logger, e), stoppingToken);
    }

    /// <summary>One pass: prunes what is older than the retention, then records that it did.</summary>
    public async Task<AuditPruneResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            return await PassAsync(cancellationToken);
        }
        finally
        {
            _running.Release();
        }
    }

    public override void Dispose()
    {
        _running.Dispose();
        base.Dispose();
    }

    private async Task<AuditPruneResult> PassAsync(CancellationToken cancellationToken)
    {
        var days = settings.Value.RetentionDays;
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(days);
        var result = await audit.PruneAsync(cutoff, cancellationToken);
        if (result.Refused is not null)
        {
            LogRefused(logger, result.Refused);
            await audit.AppendAsync(new AuditEntry("system", "audit.prune_refused", "audit_log", result.Refused), cancellationToken);
        }
        else if (result.Pruned > 0)
        {
            LogPruned(logger, result.Pruned, result.ThroughSequence ?? 0, days);
            await audit.AppendAsync(new AuditEntry("system", "audit.prune", $"audit_anchor:{result.AnchorId}",
                $"{result.Pruned} records older than {days} days deleted, through #{result.ThroughSequence}"), cancellationToken);
        }
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit retention: {Count} record(s) through #{Through} older than {Days} days deleted")]
    private static partial void LogPruned(ILogger logger, long count, long through, int days);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit retention refused to delete anything: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit retention pass failed; it is retried at the next period")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
