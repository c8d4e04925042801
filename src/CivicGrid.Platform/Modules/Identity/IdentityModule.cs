using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Audit;
using CivicGrid.Modules.Identity.Auth;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Protection;
using CivicGrid.Modules.Identity.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CivicGrid.Modules.Identity;

/// <summary>People's data primitives (field encryption, blind index, masking, the audit chain) and users, roles, sign-in.</summary>
internal static class IdentityModule
{
    public static IServiceCollection AddIdentity(this IServiceCollection services)
    {
        // The key ring is read on first use, so hosts and tests can still set Security:KeyRingPath,
        // and an app that never touches a protected field never creates a key file.
        services.AddSingleton<IFieldProtector>(sp => new FieldProtector(() =>
        {
            var path = sp.GetRequiredService<IConfiguration>()[FieldKeyRing.PathSetting] is { Length: > 0 } configured
                ? configured
                : FieldKeyRing.DefaultPath;
            return FieldKeyRing.Load(Environment.GetEnvironmentVariable(FieldKeyRing.EnvironmentVariable), path);
        }));
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddScoped<AuditSearch>();
        services.AddOptions<AuditSettings>().BindConfiguration("Audit").ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditSettings>, AuditSettingsValidation>();
        services.AddSingleton<AuditRetentionJob>().AddHostedService(sp => sp.GetRequiredService<AuditRetentionJob>());
        services.AddScoped<FieldKeys>().AddHostedService<FieldReEncryptionJob>();
        services.AddScoped<UserDirectory>().AddScoped<IProtectedFieldStore, UserPhoneStore>();
        services.AddScoped<IUserLookup, UserLookup>().AddScoped<IStaffContacts, StaffContacts>();

        services.AddSingleton(sp => IdentitySettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<IUserAccounts, UserAccounts>();
        services.AddScoped<IApiKeys, ApiKeys.ApiKeyStore>();
        services.AddScoped<TokenIssuer>();
        services.AddScoped<SignIn>().AddScoped<TotpAccounts>();
        services.AddScoped<RefreshSession>();
        services.AddScoped<RevokeSession>();
        services.AddHttpContextAccessor();
        services.AddScoped<Caller>();
        services.AddScoped<ICaller>(sp => sp.GetRequiredService<Caller>());
        services.AddScoped<IDataScope>(sp => sp.GetRequiredService<Caller>());
        services.AddScoped<CookieSignIn>();

        // One default scheme that picks per request: an Authorization: Bearer header means the
        // API's token (the built-in Data-Protection format, validated in memory, expiry against the
        // registered TimeProvider); otherwise the pages' cookie.
        services.AddAuthentication(AuthSchemes.Default)
            .AddPolicyScheme(AuthSchemes.Default, "Bearer token or cookie", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? TokenIssuer.Scheme
                        : AuthSchemes.Cookie)
            .AddBearerToken(TokenIssuer.Scheme)
            .AddCookie(AuthSchemes.Cookie, CookieSignIn.Configure);
        services.AddAuthorization();
        services.AddAntiforgery(options => options.HeaderName = AuthSchemes.AntiforgeryHeader);
        return services;
    }

    public static RouteGroupBuilder MapIdentity(this RouteGroupBuilder api) => api.MapAuthEndpoints().MapUserEndpoints().MapAuditEndpoints();
}
