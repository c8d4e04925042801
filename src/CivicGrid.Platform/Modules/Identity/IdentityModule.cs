using CivicGrid.Modules.Identity.Audit;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Protection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Identity;

/// <summary>People's data primitives: field encryption, blind index, masking, the audit chain.</summary>
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
        return services;
    }
}
