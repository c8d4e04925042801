using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Notifications.Contracts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CivicGrid.Modules.Notifications.Pages;

/// <summary><c>/notifications</c>: the signed-in user's inbox, newest first, each linking to its case.</summary>
public sealed class NotificationsModel(Inbox inbox, LocalTime time) : PageModel
{
    /// <summary>Notifications per page.</summary>
    public const int PageSize = 30;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true)]
    public bool UnreadOnly { get; set; }

    public Paged<NotificationView>? Items { get; private set; }

    public string Local(DateTimeOffset instant) =>
        time.ToLocal(instant).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await inbox.ListAsync(UnreadOnly ? true : null, Math.Max(1, PageNumber), PageSize, cancellationToken);
        Items = result.IsSuccess ? result.Value : null;
        return Page();
    }

    public async Task<IActionResult> OnPostReadAsync(Guid id, CancellationToken cancellationToken)
    {
        await inbox.MarkReadAsync(id, cancellationToken);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken)
    {
        await inbox.MarkAllReadAsync(cancellationToken);
        return RedirectToPage();
    }
}
