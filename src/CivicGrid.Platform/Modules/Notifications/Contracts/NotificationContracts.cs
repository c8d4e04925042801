using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Errors;

namespace CivicGrid.Modules.Notifications.Contracts;

/// <summary>One notification in the inbox.</summary>
public sealed record NotificationView(Guid Id, string Kind, string Title, string Body, string? Link, DateTimeOffset CreatedAt,
    DateTimeOffset? ReadAt);

/// <summary>The signed-in user's own in-app inbox, read by another module's page (the phone's workbench).</summary>
public interface IUserInbox
{
    /// <summary>The caller's notifications, newest first; <paramref name="unread"/> true for the unread only.</summary>
    Task<Result<Paged<NotificationView>>> ListAsync(bool? unread, int? page, int? pageSize, CancellationToken cancellationToken);
}

/// <summary>
/// One thing to tell people. <paramref name="DedupeKey"/> makes it idempotent: a user is told a
/// given key once, however often it is sent (a job retried, a request repeated).
/// <paramref name="Sms"/> asks for a text message as well, sent when the kind is one the
/// installation texts (<c>Notifications:SmsKinds</c>).
/// </summary>
/// <param name="Kind">What happened, for filtering and icons (<c>case_dispatched</c>, <c>case_overdue</c>, …).</param>
/// <param name="Title">The headline (zh-CN), at most 200 characters.</param>
/// <param name="Body">The text (zh-CN), at most 1,000 characters.</param>
/// <param name="Link">A local path to open (<c>/cases/{id}</c>), or null.</param>
/// <param name="DedupeKey">Told once per user per key (at most 200 characters).</param>
/// <param name="Sms">Also send a text message.</param>
public sealed record Notice(string Kind, string Title, string Body, string? Link, string DedupeKey, bool Sms = false);

/// <summary>
/// The Notifications module's contract: put a notice in users' in-app inboxes (and queue its
/// text messages). It saves through the caller's unit of work (the scope's database context), so
/// inside a transaction the notices commit or roll back with it. Returns how many users were newly told.
/// </summary>
public interface INotifier
{
    /// <summary>Tells the users of these names (unknown names are skipped).</summary>
    Task<int> NotifyUsersAsync(IReadOnlyCollection<string> userNames, Notice notice, CancellationToken cancellationToken = default);

    /// <summary>Tells the users holding <paramref name="role"/> through a grant covering <paramref name="code"/>.</summary>
    Task<int> NotifyRoleAsync(string role, string code, Notice notice, CancellationToken cancellationToken = default);

    /// <summary>Tells these users.</summary>
    Task<int> NotifyAsync(IReadOnlyCollection<Guid> userIds, Notice notice, CancellationToken cancellationToken = default);

    /// <summary>
    /// Many notices at once (a job's batch): one look-up of the dedupe keys and one bulk insert, in the
    /// caller's transaction; a notice already given to a user is skipped. Returns how many were written.
    /// </summary>
    Task<int> NotifyManyAsync(IReadOnlyList<(IReadOnlyCollection<Guid> UserIds, Notice Notice)> notices, CancellationToken cancellationToken = default);
}

/// <summary>
/// Sends a text message. The default implementation only logs (with the number masked); an
/// installation with an SMS gateway registers its own. It is the one thing tests replace with a fake.
/// </summary>
public interface ISmsSender
{
    /// <summary>Sends <paramref name="text"/> to the mainland mobile <paramref name="phone"/>; throws when the gateway refuses.</summary>
    Task SendAsync(string phone, string text, CancellationToken cancellationToken = default);
}
