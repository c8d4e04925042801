using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Notifications.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CivicGrid.Modules.Notifications;

/// <summary><c>/api/v1/notifications</c>: the signed-in user's inbox.</summary>
internal static class NotificationEndpoints
{
    public static RouteGroupBuilder MapNotificationEndpoints(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("/", async (bool? unread, int? page, int? pageSize, Inbox inbox, CancellationToken ct) =>
                (await inbox.ListAsync(unread, page, pageSize, ct)).ToHttp())
            .WithSummary("My notifications, newest first, paged; `unread=true` for the unread only")
            .Produces<Paged<NotificationView>>()
            .ProducesValidationProblem();

        notifications.MapGet("/unread-count", async (Inbox inbox, CancellationToken ct) => TypedResults.Ok(new UnreadCount(await inbox.UnreadAsync(ct))))
            .WithSummary("How many of my notifications are unread (the badge)")
            .Produces<UnreadCount>();

        notifications.MapPost("/{id:guid}/read", async (Guid id, Inbox inbox, CancellationToken ct) => (await inbox.MarkReadAsync(id, ct)).ToHttp())
            .WithSummary("Marks one of my notifications read; someone else's is 404")
            .Produces<NotificationView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        notifications.MapPost("/read-all", async (Inbox inbox, CancellationToken ct) => TypedResults.Ok(new UnreadCount(await inbox.MarkAllReadAsync(ct))))
            .WithSummary("Marks all my notifications read; answers how many were unread")
            .Produces<UnreadCount>();
        return api;
    }
}
