using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Jobs;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Notifications.Contracts;
using CivicGrid.Modules.Notifications.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Notifications.Sms;

/// <summary>
/// Sends the queued text messages (<c>SmsState = pending</c>) every <c>Notifications:SmsEvery</c>.
/// Each one is claimed first (<c>pending → sending</c> by a conditional update), so two instances
/// or two passes never send it twice; a crash after the claim loses that one text rather than
/// sending it again (the in-app notice stays). The phone is decrypted only to hand it to the
/// sender and never logged.
/// </summary>
internal sealed partial class SmsOutbox(IServiceScopeFactory scopes, NotificationSettings settings, TimeProvider time,
    ILogger<SmsOutbox> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.SmsJob)
        {
            return;
        }
        await PeriodicJob.RunAsync(async ct => await RunOnceAsync(ct), settings.SmsEvery, time, e => LogFailed(logger, e), stoppingToken);
    }

    /// <summary>Sends what is queued; returns how many texts went out.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<IUserLookup>();
        var sender = scope.ServiceProvider.GetRequiredService<ISmsSender>();
        var sent = 0;
        while (true)
        {
            var pending = await db.Set<Notification>().AsNoTracking().Where(n => n.SmsState == SmsStates.Pending)
                .OrderBy(n => n.CreatedAt).Take(Batch)
                .Select(n => new { n.Id, n.UserId, n.Title, n.Body }).ToListAsync(cancellationToken);
            foreach (var n in pending)
            {
                if (await SetStateAsync(db, n.Id, SmsStates.Pending, SmsStates.Sending, cancellationToken) == 0)
                {
                    continue;
                }
                var phone = await users.PhoneForSendingAsync(n.UserId, cancellationToken);
                if (phone is null)
                {
                    await SetStateAsync(db, n.Id, SmsStates.Sending, SmsStates.NoPhone, cancellationToken);
                    continue;
                }
                try
                {
                    await sender.SendAsync(phone, $"【网格智治】{n.Title}：{n.Body}", cancellationToken);
                    await SetStateAsync(db, n.Id, SmsStates.Sending, SmsStates.Sent, cancellationToken);
                    sent++;
                }
#pragma warning disable CA1031 // one gateway failure must not stop the others
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogSendFailed(logger, n.Id, e);
                    await SetStateAsync(db, n.Id, SmsStates.Sending, SmsStates.Failed, cancellationToken);
                }
            }
            if (pending.Count < Batch)
            {
                return sent;
            }
        }
    }

    private Task<int> SetStateAsync(CivicGridDbContext db, Guid id, string from, string to, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.Set<Notification>().Where(n => n.Id == id && n.SmsState == from)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.SmsState, to).SetProperty(n => n.SmsAt, now), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The text message of notification {NotificationId} was not sent")]
    private static partial void LogSendFailed(ILogger logger, Guid notificationId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending queued text messages failed; retried at the next period")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary>The default <see cref="ISmsSender"/> when no gateway is configured: logs the text with the number masked.</summary>
internal sealed partial class LoggingSmsSender(ILogger<LoggingSmsSender> logger) : ISmsSender
{
    public Task SendAsync(string phone, string text, CancellationToken cancellationToken = default)
    {
        LogText(logger, Masking.Phone(phone), text);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS (no gateway configured) to {MaskedPhone}: {Text}")]
    private static partial void LogText(ILogger logger, string maskedPhone, string text);
}
