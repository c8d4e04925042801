using System.Security.Claims;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Infrastructure.Web;
using CivicGrid.Modules.Identity.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Identity.Pages;

/// <summary>
/// <c>/account/totp</c>: enrol an authenticator app (the secret and its otpauth URI, confirmed by a
/// code) or remove it (with a code). Open to a signed-in user, and to one whose password was right
/// but whose role must enrol before any session is given (the pending sign-in cookie).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.SignIn)]
public sealed class TotpModel(LocalTime time) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? UserName { get; private set; }

    public DateTimeOffset? EnabledAt { get; private set; }

    /// <summary>The secret in groups of four, while enrolling.</summary>
    public string? Secret { get; private set; }

    public string? KeyUri { get; private set; }

    /// <summary>True when the user's role requires a second factor.</summary>
    public bool Required { get; private set; }

    /// <summary>True when the user is enrolling before the session it signed in for.</summary>
    public bool Enrolling { get; private set; }

    public string? Failure { get; private set; }

    public string? Done { get; private set; }

    public string Local(DateTimeOffset instant) =>
        time.ToLocal(instant).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        WhoIsIt() is { } id ? await ShowAsync(id, cancellationToken) : ToLogin();

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken)
    {
        if (WhoIsIt() is not { } id)
        {
            return ToLogin();
        }
        var accounts = HttpContext.RequestServices.GetRequiredService<TotpAccounts>();
        var result = await accounts.EnableAsync(id, Code, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (!result.IsSuccess)
        {
            Failure = result.Error!.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await ShowAsync(id, cancellationToken);
        }
        var cookies = HttpContext.RequestServices.GetRequiredService<CookieSignIn>();
        if (User.Identity?.IsAuthenticated != true && cookies.ReadPending(HttpContext) is { } pending)
        {
            await cookies.CompleteEnrolmentAsync(HttpContext, result.Value, pending, cancellationToken);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }
        Done = "enabled";
        return await ShowAsync(id, cancellationToken);
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated != true || WhoIsIt() is not { } id)
        {
            return ToLogin();
        }
        var accounts = HttpContext.RequestServices.GetRequiredService<TotpAccounts>();
        var result = await accounts.DisableAsync(id, Code, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (!result.IsSuccess)
        {
            Failure = result.Error!.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            Done = "disabled";
        }
        return await ShowAsync(id, cancellationToken);
    }

    /// <summary>The signed-in user, or the pending sign-in that must enrol first.</summary>
    private Guid? WhoIsIt()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
        }
        var pending = HttpContext.RequestServices.GetRequiredService<CookieSignIn>().ReadPending(HttpContext);
        Enrolling = pending is { Next: SecondStep.Enrol };
        return Enrolling ? pending!.UserId : null;
    }

    private LocalRedirectResult ToLogin() =>
        LocalRedirect("/account/login?returnUrl=" + Uri.EscapeDataString(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/account/totp"));

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken cancellationToken)
    {
        var status = await HttpContext.RequestServices.GetRequiredService<TotpAccounts>().StatusAsync(id, cancellationToken);
        if (status is null)
        {
            return ToLogin();
        }
        UserName = status.UserName;
        EnabledAt = status.EnabledAt;
        Secret = status.Secret is null ? null : Totp.Grouped(status.Secret);
        KeyUri = status.KeyUri;
        Required = status.Required;
        Code = null;
        // The secret must not linger in a cache.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
