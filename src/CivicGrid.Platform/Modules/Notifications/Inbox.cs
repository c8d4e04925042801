using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Notifications.Contracts;
using CivicGrid.Modules.Notifications.Domain;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Notifications;

/// <summary>The unread count for the layout's badge.</summary>
public sealed record UnreadCount(int Unread);

/// <summary>The signed-in user's own inbox: nobody reads or marks another's notifications (404).</summary>
public sealed class Inbox(CivicGridDbContext db, ICaller caller, TimeProvider clock) : IUserInbox
{
    public async Task<Result<Paged<NotificationView>>> ListAsync(bool? unread, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var paging = PageRequest.From(page, pageSize);
        if (!paging.IsSuccess)
        {
            return paging.Error!;
        }
        var query = Mine();
        if (unread is { } onlyUnread)
        {
            query = onlyUnread ? query.Where(n => n.ReadAt == null) : query.Where(n => n.ReadAt != null);
        }
        var p = paging.Value;
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Skip(p.Skip).Take(p.PageSize)
            .Select(n => new NotificationView(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt))
            .ToListAsync(cancellationToken);
        return new Paged<NotificationView>(items, total, p.Page, p.PageSize);
    }

    public async Task<int> UnreadAsync(CancellationToken cancellationToken) =>
        await Mine().CountAsync(n => n.ReadAt == null, cancellationToken);

    public async Task<Result<NotificationView>> MarkReadAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await Mine().Where(n => n.Id == id && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        var found = await Mine().Where(n => n.Id == id)
            .Select(n => new NotificationView(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt))
            .FirstOrDefaultAsync(cancellationToken);
        return found is null ? Error.NotFound("notifications.not_found", $"通知 {id} 不存在") : found;
    }

    public async Task<int> MarkAllReadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await Mine().Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
    }

    private IQueryable<Notification> Mine()
    {
        var me = caller.UserId ?? Guid.Empty;
        return db.Set<Notification>().AsNoTracking().Where(n => n.UserId == me);
    }
}
