using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Notifications.Contracts;
using CivicGrid.Modules.Registry.Contracts;

namespace CivicGrid.Modules.Workbench;

/// <summary>
/// <c>GET /api/v1/workbench/today</c>: everything the grid worker's phone keeps for a day offline, in
/// one answer — his open cases with their lights, versions and the steps he may take, his grids'
/// households and their residents (masked), his unread notices, the case categories.
/// </summary>
internal sealed record WorkbenchToday(string UserName, IReadOnlyList<string> Areas, DateTimeOffset At, IReadOnlyList<WorkerCase> Cases,
    IReadOnlyList<DoorstepHousehold> Households, int HouseholdsTotal, IReadOnlyList<NotificationView> Notices,
    IReadOnlyList<WorkerCategory> Categories);

/// <summary>The body of <c>POST /api/v1/workbench/houses/{id}/use</c>.</summary>
internal sealed record WorkbenchHouseUse(HouseUse? Use);

/// <summary>What <c>GET /api/v1/workbench/session</c> answers: who is signed in, and the token cookie writes need.</summary>
internal sealed record WorkbenchSession(string UserName, string CsrfToken);
