using System.ComponentModel.DataAnnotations;
using CivicGrid.Infrastructure.Web;
using CivicGrid.Modules.Identity.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Identity.Pages;

/// <summary>The sign-in page: user name and password, then back to where the user was going.</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.SignIn)]
public sealed class LoginModel : PageModel
{
    [BindProperty, Required(ErrorMessage = "请输入用户名"), StringLength(64)]
    public string? UserName { get; set; }

    [BindProperty, Required(ErrorMessage = "请输入密码"), StringLength(128), DataType(DataType.Password)]
    public string? Password { get; set; }

    /// <summary>"Stay signed in"; a link may preset it (<c>?remember=true</c>, the phone's workbench does).</summary>
    [BindProperty(SupportsGet = true)]
    public bool Remember { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The one-time code, in the second step.</summary>
    [BindProperty]
    public string? Code { get; set; }

    /// <summary>True while the page asks for the one-time code.</summary>
    public bool OtpStep { get; private set; }

    public string? Failure { get; private set; }

    private string Next => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";

    public IActionResult OnGet() =>
        User.Identity?.IsAuthenticated == true ? LocalRedirect(Next) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await HttpContext.RequestServices.GetRequiredService<CookieSignIn>().SignInAsync(HttpContext, UserName, Password, Remember, cancellationToken);
        if (!result.IsSuccess)
        {
            Failure = result.Error!.Message;
            Password = null;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        switch (result.Value)
        {
            case SecondStep.Otp:
                OtpStep = true;
                Password = null;
                ModelState.Clear();
                return Page();
            case SecondStep.Enrol:
                return LocalRedirect("/account/totp?returnUrl=" + Uri.EscapeDataString(Next));
            default:
                return LocalRedirect(Next);
        }
    }

    /// <summary>The second step: the code from the authenticator app.</summary>
    public async Task<IActionResult> OnPostOtpAsync(CancellationToken cancellationToken)
    {
        var result = await HttpContext.RequestServices.GetRequiredService<CookieSignIn>().CompleteOtpAsync(HttpContext, Code, cancellationToken);
        if (result.IsSuccess)
        {
            return LocalRedirect(Next);
        }
        ModelState.Clear();
        Failure = result.Error!.Message;
        OtpStep = result.Error == Auth.SignIn.OtpInvalid;
        Code = null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}

/// <summary>Signing out: a POST with the antiforgery token (a GET cannot end a session).</summary>
[AllowAnonymous]
public sealed class LogoutModel : PageModel
{
    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await HttpContext.RequestServices.GetRequiredService<CookieSignIn>().SignOutAsync(HttpContext, cancellationToken);
        return LocalRedirect("/account/login");
    }
}
