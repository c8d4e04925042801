using CivicGrid.Modules.Snap.Moderation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Snap.Pages;

/// <summary>The moderation buttons of the staff case page post here (the API's use case), then back to the case.</summary>
public sealed class ModerateModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid CaseId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public Guid? PhotoId { get; set; }

    public IActionResult OnGet() => Redirect($"/cases/{CaseId}");

    public Task<IActionResult> OnPostHideAsync(CancellationToken cancellationToken) =>
        BackAsync(m => m.HideAsync(CaseId, Reason, cancellationToken), "snap_hide");

    public Task<IActionResult> OnPostShowAsync(CancellationToken cancellationToken) =>
        BackAsync(m => m.ShowAsync(CaseId, Reason, cancellationToken), "snap_show");

    public Task<IActionResult> OnPostRedactAsync(CancellationToken cancellationToken) =>
        BackAsync(m => m.RedactAsync(CaseId, PhotoId ?? Guid.Empty, Reason, cancellationToken), "snap_redact_photo");

    private async Task<IActionResult> BackAsync(
        Func<ModerateSnap, Task<Infrastructure.Errors.Result<SnapModerationView>>> step, string done)
    {
        var result = await step(HttpContext.RequestServices.GetRequiredService<ModerateSnap>());
        if (result.IsSuccess)
        {
            return Redirect($"/cases/{CaseId}?done={done}");
        }
        if (result.Error!.Kind == Infrastructure.Errors.ErrorKind.NotFound)
        {
            return NotFound();
        }
        var message = result.Error.Fields?.Values.FirstOrDefault()?.FirstOrDefault() ?? result.Error.Message;
        return Redirect($"/cases/{CaseId}?snapError={Uri.EscapeDataString(message)}");
    }
}
