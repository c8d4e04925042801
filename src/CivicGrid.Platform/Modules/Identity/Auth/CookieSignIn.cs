using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Identity.Auth;

/// <summary>A correct password waiting for its second step.</summary>
internal sealed record PendingSignIn(Guid UserId, SecondStep Next, bool Remember);

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
/// SameSite=Strict cookie (8 hours, sliding). "Stay signed in" makes it a persistent cookie that
/// lives as long as a refresh token (<c>Identity:RefreshTokenDays</c>), sliding too: the phone's
/// workbench stays signed in while it is used (docs/adr/0022). The cookie's user is re-read every
/// few minutes, so disabling an account ends its page sessions too.
/// </summary>
internal sealed class CookieSignIn(SignIn signIn, TimeProvider time, IDataProtectionProvider protection, IdentitySettings settings)
{
    private const string CheckedAt = "cg.checked";

    /// <summary>The short-lived cookie between a correct password and the one-time code (or TOTP enrolment).</summary>
    public const string PendingCookie = "civicgrid.pending";

    /// <summary>How long the second step may take.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);

    public static readonly Error PendingExpired = Error.Unauthenticated("auth.sign_in_expired", "登录已超时，请重新输入用户名和密码");

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

    /// <summary>
    /// The first step: name and password. Signs in at once, or (TOTP user, or a role that must
    /// enrol first) leaves the pending cookie and says which step comes next.
    /// </summary>
    public async Task<Result<SecondStep>> SignInAsync(HttpContext http, string? userName, string? password,
        bool remember, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var ip = http.Connection.RemoteIpAddress?.ToString();
        var checkedUser = await signIn.CheckPasswordAsync(new SignInRequest(userName, password), ip, cancellationToken);
        if (!checkedUser.IsSuccess)
        {
            return checkedUser.Error!;
        }
        var (user, next) = checkedUser.Value;
        if (next == SecondStep.None)
        {
            await IssueAsync(http, user, remember, "page session", cancellationToken);
        }
        else
        {
            SetPending(http, new PendingSignIn(user.Id, next, remember));
        }
        return next;
    }

    /// <summary>The second step: the one-time code of the pending sign-in.</summary>
    public async Task<Result<ClaimsPrincipal>> CompleteOtpAsync(HttpContext http, string? code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (ReadPending(http) is not { Next: SecondStep.Otp } pending)
        {
            ClearPending(http);
            return PendingExpired;
        }
        var checkedUser = await signIn.CheckOtpAsync(pending.UserId, code, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (!checkedUser.IsSuccess)
        {
            if (checkedUser.Error != SignIn.OtpInvalid)
            {
                ClearPending(http);
            }
            return checkedUser.Error!;
        }
        ClearPending(http);
        return await IssueAsync(http, checkedUser.Value, pending.Remember, "page session with one-time code", cancellationToken);
    }

    /// <summary>After a pending user enrolled TOTP (its first code accepted): the session it was waiting for.</summary>
    public async Task<ClaimsPrincipal> CompleteEnrolmentAsync(HttpContext http, User user, PendingSignIn pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(pending);
        ClearPending(http);
        return await IssueAsync(http, user, pending.Remember, "page session after TOTP enrolment", cancellationToken);
    }

    /// <summary>The pending sign-in, when its cookie is present, intact and younger than <see cref="PendingLifetime"/>.</summary>
    public PendingSignIn? ReadPending(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.Request.Cookies.TryGetValue(PendingCookie, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            var parts = Pending.Unprotect(value).Split('|');
            if (parts.Length != 4 || !Guid.TryParse(parts[0], out var id) || !Enum.TryParse<SecondStep>(parts[1], out var next)
                || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
                || time.GetUtcNow().ToUnixTimeSeconds() >= expires)
            {
                return null;
            }
            return new PendingSignIn(id, next, parts[2] == "1");
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public static void ClearPending(HttpContext http) =>
        http?.Response.Cookies.Delete(PendingCookie, new CookieOptions { Path = "/account" });

    private IDataProtector Pending => protection.CreateProtector("CivicGrid.Totp.PendingSignIn");

    private void SetPending(HttpContext http, PendingSignIn pending)
    {
        var expires = time.GetUtcNow() + PendingLifetime;
        var payload = string.Join('|', pending.UserId.ToString("D"), pending.Next.ToString(), pending.Remember ? "1" : "0",
            expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        http.Response.Cookies.Append(PendingCookie, Pending.Protect(payload), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/account",
            MaxAge = PendingLifetime,
            IsEssential = true,
        });
    }

    private async Task<ClaimsPrincipal> IssueAsync(HttpContext http, User user, bool remember, string detail, CancellationToken cancellationToken)
    {
        var principal = TokenIssuer.PrincipalOf(user, AuthSchemes.Cookie);
        var now = time.GetUtcNow();
        // Sliding renewal keeps the span from issue to expiry: 8 hours, or the refresh lifetime when remembered.
        var properties = new AuthenticationProperties
        {
            IsPersistent = remember,
            IssuedUtc = now,
            ExpiresUtc = remember ? now + settings.RefreshTokenLifetime : null,
        };
        properties.Items[CheckedAt] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        await http.SignInAsync(AuthSchemes.Cookie, principal, properties);
        await signIn.AuditAsync(user.UserName, "auth.sign_in", $"user:{user.Id}", detail, http.Connection.RemoteIpAddress?.ToString(),
            cancellationToken);
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
        context.Properties.Items[CheckedAt] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }
}
