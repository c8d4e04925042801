using System.Collections.Frozen;
using System.Security.Claims;

namespace CivicGrid.Modules.Identity.Contracts;

/// <summary>The roles a user can hold, by their code names (also the API's and demo-users.csv's).</summary>
public static class Roles
{
    /// <summary>System administrator.</summary>
    public const string Admin = "admin";

    /// <summary>Leader: read-only dashboards.</summary>
    public const string Leader = "leader";

    /// <summary>Department officer (carries a department code besides the area).</summary>
    public const string Department = "department";

    /// <summary>Governance-centre staff (综治中心).</summary>
    public const string Centre = "centre";

    /// <summary>Township (street) staff.</summary>
    public const string Township = "township";

    /// <summary>Community staff.</summary>
    public const string Community = "community";

    /// <summary>Grid head (网格长).</summary>
    public const string GridHead = "grid-head";

    /// <summary>Grid worker (网格员).</summary>
    public const string GridWorker = "grid-worker";

    /// <summary>Resident (self-service).</summary>
    public const string Resident = "resident";

    /// <summary>An Open311 client application (an app or site that reports for its users), signing with an API key.</summary>
    public const string Open311 = "open311";

    /// <summary>Every role, from the widest reach to the narrowest.</summary>
    public static readonly IReadOnlyList<string> All =
        [Admin, Leader, Department, Centre, Township, Community, GridHead, GridWorker, Resident, Open311];
}

/// <summary>
/// Named capabilities and, in <see cref="Grants"/>, the one table of which role holds which.
/// A capability is always held within a jurisdiction: the code of the role assignment and
/// everything under it (code prefix).
/// </summary>
public static class Capabilities
{
    /// <summary>Edit division and grid boundaries.</summary>
    public const string GeoEdit = "geo.edit";

    /// <summary>Import divisions, boundaries and grids.</summary>
    public const string GeoImport = "geo.import";

    /// <summary>Read people's records (masked).</summary>
    public const string RegistryRead = "registry.read";

    /// <summary>Write people's records.</summary>
    public const string RegistryWrite = "registry.write";

    /// <summary>See a clear ID number or phone, with a stated reason (audited).</summary>
    public const string RegistryUnmask = "registry.unmask";

    /// <summary>Define 一表通 report templates (which persons, which columns) for a division.</summary>
    public const string RegistryTemplates = "registry.templates";

    /// <summary>Maintain the registry's national catalogs (the person tags).</summary>
    public const string RegistryCatalog = "registry.catalog";

    /// <summary>
    /// Read and write the special-population registers (刑满释放, 社区矫正, 严重精神障碍, 吸毒, 重点青少年).
    /// Without it the registers do not exist for the caller (404); every read is audited.
    /// </summary>
    public const string RegistrySpecial = "registry.special";

    /// <summary>Report a case.</summary>
    public const string CasesReport = "cases.report";

    /// <summary>Take 12345 hotline calls: report a case for a caller, recording his name and phone.</summary>
    public const string CasesHotline = "cases.hotline";

    /// <summary>Handle a case dispatched to oneself.</summary>
    public const string CasesHandle = "cases.handle";

    /// <summary>Dispatch cases to their owners.</summary>
    public const string CasesDispatch = "cases.dispatch";

    /// <summary>Supervise a case (督办) and summon departments to it (吹哨报到) as a higher level.</summary>
    public const string CasesSupervise = "cases.supervise";

    /// <summary>Administer the cases module: the holiday calendar of working-time deadlines.</summary>
    public const string CasesAdmin = "cases.admin";

    /// <summary>Print the 随手拍 QR codes and posters of the places in one's jurisdiction.</summary>
    public const string SnapPosters = "snap.posters";

    /// <summary>Moderate 随手拍 reports: hide one from the public tracking page, redact a photo.</summary>
    public const string SnapModerate = "snap.moderate";

    /// <summary>Read dashboards and statistics.</summary>
    public const string DashboardRead = "dashboard.read";

    /// <summary>Search the audit log.</summary>
    public const string AuditRead = "audit.read";

    /// <summary>Create, reset and disable users; assign roles; list users (phones masked).</summary>
    public const string UsersManage = "users.manage";

    /// <summary>See a user's clear phone, with a stated reason (audited).</summary>
    public const string UsersUnmask = "users.unmask";

    /// <summary>Which role holds which capability: the one place to read or change it.</summary>
    public static readonly FrozenDictionary<string, FrozenSet<string>> Grants = new Dictionary<string, string[]>
    {
        [Roles.Admin] = [GeoEdit, GeoImport, RegistryRead, RegistryWrite, RegistryTemplates, RegistryCatalog, CasesDispatch, CasesSupervise, CasesAdmin, SnapPosters, SnapModerate, DashboardRead, AuditRead, UsersManage, UsersUnmask],
        [Roles.Leader] = [RegistryRead, CasesSupervise, DashboardRead],
        [Roles.Department] = [RegistryTemplates, CasesHandle, DashboardRead],
        [Roles.Centre] = [GeoEdit, RegistryRead, RegistryUnmask, RegistryTemplates, RegistrySpecial, CasesReport, CasesHotline, CasesDispatch, CasesHandle, CasesSupervise, SnapPosters, SnapModerate, DashboardRead, AuditRead],
        [Roles.Township] = [GeoEdit, RegistryRead, RegistryWrite, RegistryUnmask, RegistryTemplates, RegistrySpecial, CasesReport, CasesHotline, CasesDispatch, CasesHandle, CasesSupervise, SnapPosters, SnapModerate, DashboardRead],
        [Roles.Community] = [GeoEdit, RegistryRead, RegistryWrite, RegistryUnmask, RegistrySpecial, CasesReport, CasesHandle, SnapPosters, SnapModerate, DashboardRead],
        [Roles.GridHead] = [RegistryRead, RegistryWrite, CasesReport, CasesHandle, SnapPosters],
        [Roles.GridWorker] = [RegistryRead, RegistryWrite, CasesReport, CasesHandle, SnapPosters],
        [Roles.Resident] = [CasesReport],
        [Roles.Open311] = [CasesReport],
    }.ToFrozenDictionary(g => g.Key, g => g.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>True when the role holds the capability.</summary>
    public static bool RoleHas(string role, string capability) =>
        Grants.TryGetValue(role, out var held) && held.Contains(capability);
}

/// <summary>One role held within one jurisdiction (a division or grid code), and for department officers a department.</summary>
public sealed record RoleGrant(string Role, string JurisdictionCode, string? DepartmentCode = null)
{
    /// <summary>The claim type carrying a grant in an access token.</summary>
    public const string ClaimType = "cg.role";

    /// <summary>The claim value: <c>role|code|department</c>.</summary>
    public string ToClaimValue() => $"{Role}|{JurisdictionCode}|{DepartmentCode}";

    /// <summary>Reads a claim value written by <see cref="ToClaimValue"/>, or null when it is not one.</summary>
    public static RoleGrant? FromClaimValue(string value)
    {
        var parts = (value ?? string.Empty).Split('|');
        return parts.Length == 3 ? new RoleGrant(parts[0], parts[1], parts[2].Length == 0 ? null : parts[2]) : null;
    }

    /// <summary>True when <paramref name="code"/> is this grant's jurisdiction or lies under it.</summary>
    public bool Covers(string code) => code is not null && code.StartsWith(JurisdictionCode, StringComparison.Ordinal);
}

/// <summary>Asks what a signed-in caller may do.</summary>
public static class CallerCapabilities
{
    /// <summary>The caller's role grants, read from the token's claims.</summary>
    public static IReadOnlyList<RoleGrant> Grants(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return [.. principal.FindAll(RoleGrant.ClaimType).Select(c => RoleGrant.FromClaimValue(c.Value)).OfType<RoleGrant>()];
    }

    /// <summary>
    /// True when the caller holds <paramref name="capability"/> through a role whose jurisdiction
    /// is <paramref name="code"/> or an ancestor of it (code prefix).
    /// </summary>
    public static bool HasCapability(this ClaimsPrincipal principal, string capability, string code) =>
        principal.Grants().Any(g => g.Covers(code) && Capabilities.RoleHas(g.Role, capability));
}
