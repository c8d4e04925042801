using CivicGrid.Modules.Notifications;
using CivicGrid.Modules.Registry.Houses;
using CivicGrid.Modules.Registry.Persons;

namespace CivicGrid.Modules.Workbench;

/// <summary>
/// <c>GET /api/v1/workbench/today</c>: everything the grid worker's phone keeps for a day offline, in
/// one answer — his open cases with their lights and the steps he may take, his grids' households and
/// their residents (masked), his unread notices, the case categories.
/// </summary>
internal sealed record WorkbenchToday(string UserName, IReadOnlyList<string> Areas, DateTimeOffset At, IReadOnlyList<WorkbenchCase> Cases,
    IReadOnlyList<WorkbenchHousehold> Households, int HouseholdsTotal, IReadOnlyList<NotificationView> Notices,
    IReadOnlyList<WorkbenchCategory> Categories);

/// <summary>
/// One of the worker's cases. <c>Version</c> is what the phone sends back as <c>If-Match</c> with a step
/// taken offline, so a case changed meanwhile comes back as a conflict instead of being overwritten.
/// </summary>
internal sealed record WorkbenchCase(Guid Id, string Number, string CategoryCode, string State, string GridCode, string Description,
    string? Assignee, DateTimeOffset UpdatedAt, DateTimeOffset? DueAt, string? Light, string Version, IReadOnlyList<string> Actions);

/// <summary>
/// A household of the worker's grids, with the residents living in its house now (masked), and its
/// house's use with the version a quick edit of it sends back as <c>If-Match</c>.
/// </summary>
internal sealed record WorkbenchHousehold(Guid Id, Guid HouseId, string HouseLabel, string? Number, string? HeadName, string GridCode,
    IReadOnlyList<WorkbenchResident> Residents, HouseUse? HouseUse = null, string? HouseVersion = null);

/// <summary>The body of <c>POST /api/v1/workbench/houses/{id}/use</c>.</summary>
internal sealed record WorkbenchHouseUse(HouseUse? Use);

/// <summary>A resident as the doorstep form shows him: name, masked phone, address, tags.</summary>
internal sealed record WorkbenchResident(Guid Id, string Name, string? Phone, string? Address, IReadOnlyList<string> Tags)
{
    public static WorkbenchResident Of(PersonView person) => new(person.Id, person.Name, person.Phone, person.Address, person.Tags);
}

/// <summary>A case category for the patrol report's picker (小类 under their 大类).</summary>
internal sealed record WorkbenchCategory(string Code, string? ParentCode, string Name);

/// <summary>What <c>GET /api/v1/workbench/session</c> answers: who is signed in, and the token cookie writes need.</summary>
internal sealed record WorkbenchSession(string UserName, string CsrfToken);
