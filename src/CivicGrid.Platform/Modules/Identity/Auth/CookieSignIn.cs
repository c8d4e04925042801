using System.Security.Claims;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Identity.Auth;

/// <summary>The authentication schemes and names the pages and the API share.</summary>
internal static class AuthSchemes
{
    /// <summary>The default: forwards to the bearer token or the cookie.</summary>
    public const string Default = "CivicGrid";

    /// <summary>The pages' sign-in cookie.</summary>
    public const string Cookie = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>The header that carries the antiforgery token on cookie-authenticated API writes.</summary>
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    /// <summary>How often a cookie's user is checked again (disabled, roles changed).</summary>
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Sign-in for the pages: the same password check and lockout as the API, kept in an HttpOnly,
/// SameSite=Strict cookie (8 hours, sliding). The cookie's user is re-read every few minutes, so
/// disabling an account ends its page sessions too.
/// </summary>
internal sealed class CookieSignIn(SignIn signIn, TimeProvider time)
{
    private const string CheckedAt = "cg.checked";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "civicgrid.auth";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
        options.LoginPath = "/account/login";
        options.LogoutPath = "/account/logout";
        options.AccessDeniedPath = "/error/403";
        options.Events = new CookieAuthenticationEvents
        {
            // The API answers 401/403 problems, never a redirect to the sign-in page.
            OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized),
            OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden),
            OnValidatePrincipal = ValidateAsync,
        };
    }

    public async Task<Result<ClaimsPrincipal>> SignInAsync(HttpContext http, string? userName, string? password,
        bool remember, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var ip = http.Connection.RemoteIpAddress?.ToString();
        var checkedUser = await signIn.CheckAsync(new SignInRequest(userName, password), ip, cancellationToken);
        if (!checkedUser.IsSuccess)
        {
            return checkedUser.Error!;
        }
        var user = checkedUser.Value;
        var principal = TokenIssuer.PrincipalOf(user, AuthSchemes.Cookie);
        var now = time.GetUtcNow();
        var properties = new AuthenticationProperties { IsPersistent = remember, IssuedUtc = now };
        properties.Items[CheckedAt] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.SignInAsync(AuthSchemes.Cookie, principal, properties);
        await signIn.AuditAsync(user.UserName, "auth.sign_in", $"user:{user.Id}", "page session", ip, cancellationToken);
        return principal;
    }

    public async Task SignOutAsync(HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.User.Identity?.IsAuthenticated == true)
        {
            await signIn.AuditAsync(http.User.Identity.Name ?? "unknown", "auth.sign_out",
                $"user:{http.User.FindFirstValue(ClaimTypes.NameIdentifier)}", "page session",
                http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        }
        await http.SignOutAsync(AuthSchemes.Cookie);
    }

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (ApiPaths.IsApi(context.Request) || status == StatusCodes.Status403Forbidden)
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Every <see cref="AuthSchemes.RecheckEvery"/>: is the user still there, enabled, with the same roles?</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var time = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();
        var last = context.Properties.Items.TryGetValue(CheckedAt, out var text) && long.TryParse(text, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
        if (now - last < AuthSchemes.RecheckEvery)
        {
            return;
        }
        var db = context.HttpContext.RequestServices.GetRequiredService<CivicGridDbContext>();
        var id = Guid.TryParse(context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : Guid.Empty;
        var user = await db.Set<User>().AsNoTracking().Include(u => u.Roles).SingleOrDefaultAsync(u => u.Id == id);
        if (user is null || user.IsDisabled)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
            return;
        }
        context.ReplacePrincipal(TokenIssuer.PrincipalOf(user, AuthSchemes.Cookie));
        context.Properties.Items[CheckedAt] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }
}
