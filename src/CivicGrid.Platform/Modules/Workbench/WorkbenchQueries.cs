using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Notifications.Contracts;
using CivicGrid.Modules.Registry.Contracts;

namespace CivicGrid.Modules.Workbench;

/// <summary>
/// "My grid today" for the phone (<see cref="WorkbenchToday"/>): one request, so a weak link pays one
/// round trip, and one answer the service worker keeps for the day offline. Each part comes from its
/// module's contract, under the same jurisdiction filter as the rest of the API.
/// </summary>
internal sealed class WorkbenchQueries(ICaller caller, TimeProvider clock, IWorkerCases cases, IDoorstepHouseholds households, IUserInbox notices)
{
    /// <summary>At most this many cases and households travel to the phone.</summary>
    public const int MaxCases = 200;

    public const int MaxHouseholds = 300;

    public const int MaxNotices = 30;

    public async Task<Result<WorkbenchToday>> TodayAsync(CancellationToken ct)
    {
        var mine = await cases.MineAsync(MaxCases, ct);
        if (!mine.IsSuccess)
        {
            return mine.Error!;
        }
        var homes = await households.ListAsync(MaxHouseholds, ct);
        if (!homes.IsSuccess)
        {
            return homes.Error!;
        }
        var unread = await notices.ListAsync(true, 1, MaxNotices, ct);
        var categories = await cases.CategoriesAsync(ct);
        return new WorkbenchToday(caller.Name, [.. caller.Grants.Select(g => g.JurisdictionCode).Distinct()], clock.GetUtcNow(), mine.Value,
            homes.Value.Items, homes.Value.Total, unread.IsSuccess ? unread.Value.Items : [], categories);
    }
}
