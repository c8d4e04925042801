using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Notifications.Contracts;
using CivicGrid.Modules.Notifications.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace CivicGrid.Modules.Notifications;

/// <summary>
/// <c>Notifications:SmsKinds</c>, the kinds of notice that are also texted (comma-separated,
/// default <c>case_overdue,case_escalated</c>; empty: none), <c>Notifications:SmsEvery</c>, how
/// often queued texts are sent (default 30 seconds), and <c>Notifications:SmsJob</c> (false: this
/// host sends none, another instance does).
/// </summary>
internal sealed record NotificationSettings(IReadOnlySet<string> SmsKinds, TimeSpan SmsEvery, bool SmsJob)
{
    public const string DefaultSmsKinds = "case_overdue,case_escalated";

    public static NotificationSettings From(IConfiguration configuration)
    {
        var kinds = (configuration["Notifications:SmsKinds"] ?? DefaultSmsKinds)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var every = configuration.GetValue("Notifications:SmsEvery", TimeSpan.FromSeconds(30));
        if (every <= TimeSpan.Zero || every > TimeSpan.FromDays(1))
        {
            throw new InvalidOperationException($"Notifications:SmsEvery '{every}' must be positive and at most a day.");
        }
        return new NotificationSettings(kinds, every, configuration.GetValue("Notifications:SmsJob", true));
    }
}

/// <summary>
/// <see cref="INotifier"/>: one row per user in <c>notifications</c>, skipping the users already
/// told this dedupe key (a unique index on user and key backs it). A text is queued (<c>pending</c>)
/// when asked for and the kind is texted; <see cref="Sms.SmsOutbox"/> sends it after the commit.
/// </summary>
internal sealed class Notifier(CivicGridDbContext db, IUserLookup users, NotificationSettings settings, TimeProvider clock) : INotifier
{
    public async Task<int> NotifyUsersAsync(IReadOnlyCollection<string> userNames, Notice notice, CancellationToken cancellationToken = default) =>
        await NotifyAsync([.. (await users.ByNamesAsync(userNames, cancellationToken)).Select(u => u.UserId)], notice, cancellationToken);

    public async Task<int> NotifyRoleAsync(string role, string code, Notice notice, CancellationToken cancellationToken = default) =>
        await NotifyAsync([.. (await users.HoldingAsync(role, code, cancellationToken)).Select(u => u.UserId)], notice, cancellationToken);

    public async Task<int> NotifyAsync(IReadOnlyCollection<Guid> userIds, Notice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(notice);
        var ids = userIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return 0;
        }
        var told = await db.Set<Notification>().AsNoTracking()
            .Where(n => n.DedupeKey == notice.DedupeKey && ids.Contains(n.UserId)).Select(n => n.UserId).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var sms = notice.Sms && settings.SmsKinds.Contains(notice.Kind) ? SmsStates.Pending : null;
        var fresh = ids.Except(told).ToList();
        foreach (var userId in fresh)
        {
            db.Add(new Notification(Guid.CreateVersion7(now), userId, notice.Kind, Cut(notice.Title, 200), Cut(notice.Body, 1000),
                notice.Link, notice.DedupeKey, sms, now));
        }
        if (fresh.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return fresh.Count;
    }

    public async Task<int> NotifyManyAsync(IReadOnlyList<(IReadOnlyCollection<Guid> UserIds, Notice Notice)> notices,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notices);
        var now = clock.GetUtcNow();
        var rows = new List<Notification>();
        foreach (var chunk in notices.Where(n => n.UserIds.Count > 0).Chunk(1000))
        {
            var keys = chunk.Select(n => n.Notice.DedupeKey).Distinct().ToList();
            var told = (await db.Set<Notification>().AsNoTracking().Where(n => keys.Contains(n.DedupeKey))
                .Select(n => new { n.DedupeKey, n.UserId }).ToListAsync(cancellationToken))
                .Select(n => (n.DedupeKey, n.UserId)).ToHashSet();
            foreach (var (userIds, notice) in chunk)
            {
                var sms = notice.Sms && settings.SmsKinds.Contains(notice.Kind) ? SmsStates.Pending : null;
                foreach (var userId in userIds.Distinct())
                {
                    if (told.Add((notice.DedupeKey, userId)))
                    {
                        rows.Add(new Notification(Guid.CreateVersion7(now), userId, notice.Kind, Cut(notice.Title, 200),
                            Cut(notice.Body, 1000), notice.Link, notice.DedupeKey, sms, now));
                    }
                }
            }
        }
        return rows.Count == 0 ? 0 : await BulkWriter.InsertAsync(db, rows, cancellationToken);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
