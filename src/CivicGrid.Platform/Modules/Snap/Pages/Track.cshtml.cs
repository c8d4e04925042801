using CivicGrid.Infrastructure.Web;
using CivicGrid.Modules.Snap.Tracking;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Snap.Pages;

/// <summary>
/// <c>/t/{code}</c>: a resident's report by its tracking code, anonymous: the public timeline
/// (states and times), its photos unless redacted, and once closed a rating form he may send
/// once. A hidden report shows only that it was hidden. <c>/t</c> asks for the code.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Snap)]
public sealed class TrackModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    /// <summary>True right after the report was sent (<c>?new=1</c>: the page thanks him and shows the code big).</summary>
    public bool New => Request.Query["new"] == "1";

    [BindProperty]
    public string? Satisfaction { get; set; }

    internal SnapStatus? Status { get; private set; }

    public bool Unknown { get; private set; }

    public bool JustRated { get; private set; }

    public string? RateError { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // The look-up form posts nothing: /t?code=X goes to the code's own address.
        if (Request.Query.ContainsKey("code") && TrackingCodes.Normalize(Code) is { } typed && RouteData.Values["code"] is null)
        {
            return Redirect($"/t/{typed}");
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var tracking = HttpContext.RequestServices.GetRequiredService<SnapTracking>();
        var rated = await tracking.RateAsync(Code, Satisfaction, cancellationToken);
        if (SnapPages.WantsJson(Request))
        {
            return rated.IsSuccess ? new JsonResult(new { satisfaction = rated.Value }) : SnapPages.Problem(rated.Error!);
        }
        if (rated.IsSuccess)
        {
            return Redirect($"/t/{TrackingCodes.Normalize(Code)}?rated=1");
        }
        RateError = rated.Error!.Fields?.Values.FirstOrDefault()?.FirstOrDefault() ?? rated.Error.Message;
        Response.StatusCode = rated.Error.Kind switch
        {
            Infrastructure.Errors.ErrorKind.NotFound => StatusCodes.Status404NotFound,
            Infrastructure.Errors.ErrorKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        JustRated = Request.Query.ContainsKey("rated");
        if (Code is null)
        {
            return;
        }
        Status = await HttpContext.RequestServices.GetRequiredService<SnapTracking>().StatusAsync(Code, cancellationToken);
        if (Status is null)
        {
            Unknown = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
