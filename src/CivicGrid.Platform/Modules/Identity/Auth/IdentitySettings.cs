using Microsoft.Extensions.Configuration;

namespace CivicGrid.Modules.Identity.Auth;

/// <summary>The <c>Identity:*</c> settings: token lifetimes, lockout, password policy, roles that must use TOTP.</summary>
internal sealed record IdentitySettings(
    TimeSpan AccessTokenLifetime, TimeSpan RefreshTokenLifetime, int MaxFailedSignIns, TimeSpan Lockout, int PasswordMinLength,
    IReadOnlySet<string> RequireTotpForRoles)
{
    public static IdentitySettings From(IConfiguration configuration) => new(
        TimeSpan.FromMinutes(configuration.GetValue("Identity:AccessTokenMinutes", 15.0)),
        TimeSpan.FromDays(configuration.GetValue("Identity:RefreshTokenDays", 14.0)),
        configuration.GetValue("Identity:MaxFailedSignIns", 5),
        TimeSpan.FromMinutes(configuration.GetValue("Identity:LockoutMinutes", 15.0)),
        configuration.GetValue("Identity:PasswordMinLength", 10),
        (configuration["Identity:RequireTotpForRoles"] ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal));

    /// <summary>True when one of the user's roles must sign in with a one-time code (<c>Identity:RequireTotpForRoles</c>).</summary>
    public bool RequiresTotp(IEnumerable<string> roles) => roles.Any(RequireTotpForRoles.Contains);
}
