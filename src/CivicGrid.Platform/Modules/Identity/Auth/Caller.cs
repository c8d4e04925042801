using System.Security.Claims;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Http;

namespace CivicGrid.Modules.Identity.Auth;

/// <summary>
/// The current caller from the request's authenticated principal, and the data scope it implies:
/// the jurisdictions of its role grants (none under another) and their ancestors. Outside a
/// request it is the system, unrestricted; an anonymous request sees nothing.
/// </summary>
internal sealed class Caller : ICaller, IDataScope
{
    private readonly ClaimsPrincipal? _principal;

    public Caller(IHttpContextAccessor accessor)
    {
        var http = accessor.HttpContext;
        IsSystem = http is null;
        _principal = http?.User;
        Ip = http?.Connection.RemoteIpAddress?.ToString();
        IsAuthenticated = _principal?.Identity?.IsAuthenticated == true;
        Grants = IsAuthenticated ? _principal!.Grants() : [];
        var codes = Grants.Select(g => g.JurisdictionCode).Distinct(StringComparer.Ordinal).ToList();
        Roots = [.. codes.Where(c => !codes.Any(o => o.Length < c.Length && c.StartsWith(o, StringComparison.Ordinal))).Order(StringComparer.Ordinal)];
        Ancestors = [.. Roots.SelectMany(DivisionCode.AncestorsOf).Distinct(StringComparer.Ordinal).Where(a => !Covers(a))];
    }

    public bool IsSystem { get; }

    public bool IsAuthenticated { get; }

    public string Name => IsSystem ? "system" : IsAuthenticated ? _principal!.Identity!.Name ?? "unknown" : "anonymous";

    public Guid? UserId => IsAuthenticated && Guid.TryParse(_principal!.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public string? Ip { get; }

    public IReadOnlyList<RoleGrant> Grants { get; }

    public bool Unrestricted => IsSystem;

    public IReadOnlyList<string> Roots { get; }

    public IReadOnlyList<string> Ancestors { get; }

    public bool Can(string capability, string code) =>
        IsSystem || Grants.Any(g => g.Covers(code) && Capabilities.RoleHas(g.Role, capability));

    public bool CanAnywhere(string capability) => IsSystem || Grants.Any(g => Capabilities.RoleHas(g.Role, capability));

    public bool Sees(string code) => Covers(code) || Ancestors.Contains(code, StringComparer.Ordinal);

    public bool Covers(string code) =>
        IsSystem || (code is not null && Roots.Any(r => code.StartsWith(r, StringComparison.Ordinal)));
}
