using CivicGrid.Modules.Identity.Audit;
using CivicGrid.Modules.Identity.Auth;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Protection;
using CivicGrid.Modules.Identity.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
        services.AddScoped<FieldKeys>().AddHostedService<FieldReEncryptionJob>();
        services.AddScoped<UserDirectory>().AddScoped<IProtectedFieldStore, UserPhoneStore>();

        services.AddSingleton(sp => IdentitySettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<IUserAccounts, UserAccounts>();
        services.AddScoped<TokenIssuer>();
        services.AddScoped<SignIn>();
        services.AddScoped<RefreshSession>();
        services.AddScoped<RevokeSession>();
        // Bearer tokens are the built-in Data-Protection format: validated in memory from the
        // header, expiry checked against the registered TimeProvider. Refresh tokens are ours.
        services.AddAuthentication(TokenIssuer.Scheme).AddBearerToken(TokenIssuer.Scheme);
        services.AddAuthorization();
        return services;
    }

    public static RouteGroupBuilder MapIdentity(this RouteGroupBuilder api) => api.MapAuthEndpoints().MapUserEndpoints();
}
