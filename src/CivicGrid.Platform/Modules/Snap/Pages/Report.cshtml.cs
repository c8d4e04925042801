using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Web;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Files.Contracts;
using CivicGrid.Modules.Snap.Intake;
using CivicGrid.Modules.Snap.Places;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Snap.Pages;

/// <summary>
/// <c>/r/{key}</c>: the resident's 随手拍 form, anonymous, on the phone layout. A plain multipart
/// form that works without JavaScript; with it, snap.js shrinks the photo, adds the GPS fix and
/// posts the same form with progress, asking for JSON. Without a key (<c>/r</c>) only the GPS fix places the report.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Snap)]
public sealed class ReportModel : PageModel
{
    /// <summary>How many categories are offered at once; the rest are behind "more".</summary>
    public const int Common = 6;

    [BindProperty(SupportsGet = true)]
    public string? Key { get; set; }

    [BindProperty]
    public string? CategoryCode { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public double? Lon { get; set; }

    [BindProperty]
    public double? Lat { get; set; }

    [BindProperty]
    public string? IdempotencyKey { get; set; }

    /// <summary>The honeypot: hidden from people, filled by bots.</summary>
    [BindProperty]
    public string? Website { get; set; }

    [BindProperty]
    public IFormFile? Photo { get; set; }

    internal SnapPlace? Place { get; private set; }

    /// <summary>True when the key names no place: the page says so (404).</summary>
    public bool UnknownPlace { get; private set; }

    public WherePicture? Where { get; private set; }

    public IReadOnlyList<PublicCategory> Categories { get; private set; } = [];

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public string? Failure { get; private set; }

    public long MaxMegabytes { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        SnapPages.Session(HttpContext);
        IdempotencyKey = Guid.NewGuid().ToString("N");
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var services = HttpContext.RequestServices;
        var session = Request.Cookies[SnapPages.SessionCookie] ?? HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var key = Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } header ? header : IdempotencyKey;
        var result = await services.GetRequiredService<SubmitSnap>().HandleAsync(
            new SnapSubmission(Key, CategoryCode, Lon, Lat, Description, Phone, Photo, Website, key, session), cancellationToken);
        if (SnapPages.WantsJson(Request))
        {
            if (!result.IsSuccess)
            {
                return SnapPages.Problem(result.Error!);
            }
            var done = result.Value;
            return new JsonResult(new { trackingCode = done.TrackingCode, number = done.CaseNumber, url = $"/t/{done.TrackingCode}?new=1" })
            {
                StatusCode = done.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK,
            };
        }
        if (result.IsSuccess)
        {
            return Redirect($"/t/{result.Value.TrackingCode}?new=1");
        }
        var error = result.Error!;
        Errors = error.Fields ?? new Dictionary<string, string[]>();
        Failure = error.Message;
        Response.StatusCode = error.Kind switch
        {
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var services = HttpContext.RequestServices;
        MaxMegabytes = services.GetRequiredService<IFileUploads>().MaxBytes / (1024 * 1024);
        if (Key is { Length: > 0 })
        {
            Place = await services.GetRequiredService<SnapPlaces>().FindAsync(Key, cancellationToken);
            if (Place is null)
            {
                UnknownPlace = true;
                Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
        }
        Where = SnapPages.Picture(Place);
        Categories = SnapPages.Ordered(await services.GetRequiredService<IPublicCases>().CategoriesAsync(cancellationToken));
    }

    /// <summary>The first message for a field, or null.</summary>
    public string? ErrorOf(string field) => Errors.TryGetValue(field, out var messages) && messages.Length > 0 ? messages[0] : null;
}
