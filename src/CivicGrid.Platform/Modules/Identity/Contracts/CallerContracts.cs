using Microsoft.AspNetCore.Builder;

namespace CivicGrid.Modules.Identity.Contracts;

/// <summary>
/// Who is asking, for use cases below the endpoints: the signed-in user of the current request,
/// or the system itself (CLI, start-up, background jobs) when no request is being served.
/// </summary>
public interface ICaller
{
    /// <summary>True when no request is being served: the system acts and may do everything.</summary>
    bool IsSystem { get; }

    /// <summary>True for a signed-in user.</summary>
    bool IsAuthenticated { get; }

    /// <summary>The user name, or <c>system</c>, or <c>anonymous</c>: what the audit log records as the actor.</summary>
    string Name { get; }

    /// <summary>The user's id, when signed in.</summary>
    Guid? UserId { get; }

    /// <summary>The client address of the request, when there is one.</summary>
    string? Ip { get; }

    /// <summary>The caller's role grants (empty for the system and anonymous callers).</summary>
    IReadOnlyList<RoleGrant> Grants { get; }

    /// <summary>True when the caller holds <paramref name="capability"/> over <paramref name="code"/> (its jurisdiction or below).</summary>
    bool Can(string capability, string code);

    /// <summary>True when the caller holds <paramref name="capability"/> anywhere.</summary>
    bool CanAnywhere(string capability);

    /// <summary>True when <paramref name="code"/> lies in the caller's subtrees (people's data: ancestors excluded).</summary>
    bool Covers(string code);

    /// <summary>True when <paramref name="code"/> is covered or lies above the caller's jurisdictions (reference data).</summary>
    bool Sees(string code);
}

/// <summary>Endpoint conventions for capabilities.</summary>
public static class CapabilityEndpoints
{
    /// <summary>
    /// 403 unless the caller holds <paramref name="capability"/> in at least one jurisdiction. The use
    /// case still checks the object's own code (404 outside the caller's view, 403 above it).
    /// </summary>
    public static TBuilder RequireCapability<TBuilder>(this TBuilder builder, string capability)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization(policy => policy.RequireAssertion(context =>
            context.User.Grants().Any(g => Capabilities.RoleHas(g.Role, capability))));
        return builder;
    }
}
