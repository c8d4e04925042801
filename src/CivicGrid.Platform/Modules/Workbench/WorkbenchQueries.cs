using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Cases.Workflow;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Notifications;
using CivicGrid.Modules.Registry.Contracts;
using CivicGrid.Modules.Registry.Houses;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Workbench;

/// <summary>
/// "My grid today" for the phone (<see cref="WorkbenchToday"/>): one request, so a weak link pays one
/// round trip, and one answer the service worker keeps for the day offline. Everything goes through
/// the same use cases and jurisdiction filter as the rest of the API.
/// </summary>
internal sealed class WorkbenchQueries(CivicGridDbContext db, ICaller caller, TimeProvider clock, CaseInbox inbox, CaseQueries cases,
    ResidenceBook residences, Inbox notices)
{
    /// <summary>At most this many cases and households travel to the phone.</summary>
    public const int MaxCases = 200;

    public const int MaxHouseholds = 300;

    public const int MaxNotices = 30;

    /// <summary>The steps on the ground a handler takes from the phone (the follow-up call stays on the case page).</summary>
    public static readonly IReadOnlyList<string> HandlerActions =
        [CaseWorkflow.Report, CaseWorkflow.Verify, CaseWorkflow.Escalate, CaseWorkflow.Decline];

    public async Task<Result<WorkbenchToday>> TodayAsync(CancellationToken ct)
    {
        var mine = await inbox.ListAsync(new CaseFilter(Queue: CaseQueues.Mine, PageSize: MaxCases), ct);
        if (!mine.IsSuccess)
        {
            return mine.Error!;
        }
        var rows = mine.Value.Items;
        var ids = rows.Select(r => r.Case.Id).ToList();
        var versions = await db.Set<Case>().AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Version })
            .ToDictionaryAsync(c => c.Id, c => c.Version, ct);
        var myCases = rows.Select(r => r.Case)
            .Select(c => new WorkbenchCase(c.Id, c.Number, c.CategoryCode, c.State, c.GridCode, c.Description, c.Assignee, c.UpdatedAt,
                c.DueAt, c.Light, VersionOf(versions.GetValueOrDefault(c.Id)), ActionsFor(c.State, c.GridCode)))
            .ToList();

        // The jurisdiction filter shows every grant's area; the registry only to a role that may read it there
        // (a department officer handles cases but reads no households).
        var households = caller.Grants.Any(g => Capabilities.RoleHas(g.Role, Capabilities.RegistryRead))
            ? await residences.ListHouseholdsAsync(null, null, 1, MaxHouseholds, ct)
            : new Paged<HouseholdView>([], 0, 1, MaxHouseholds);
        if (!households.IsSuccess)
        {
            return households.Error!;
        }
        var readable = households.Value.Items.Where(h => caller.Can(Capabilities.RegistryRead, h.GridCode)).ToList();
        var houseIds = readable.Select(h => h.HouseId).Distinct().ToList();
        var residents = await residences.ResidentsAsync(houseIds, ct);
        var houses = await db.Set<House>().AsNoTracking().Where(h => houseIds.Contains(h.Id)).Select(h => new { h.Id, h.Use, h.UpdatedAt })
            .ToDictionaryAsync(h => h.Id, ct);
        var homes = readable.Select(h => new WorkbenchHousehold(h.Id, h.HouseId, h.HouseLabel, h.Number, h.HeadName, h.GridCode,
                [.. residents.Where(r => r.HouseId == h.HouseId && r.MovedOutOn is null && (r.HouseholdId is null || r.HouseholdId == h.Id)
                        && r.Person is not null)
                    .Select(r => WorkbenchResident.Of(r.Person!)).DistinctBy(r => r.Id)],
                houses.GetValueOrDefault(h.HouseId)?.Use, houses.GetValueOrDefault(h.HouseId) is { } house ? VersionOf(house.UpdatedAt) : null))
            .ToList();

        var unread = await notices.ListAsync(true, 1, MaxNotices, ct);
        var categories = (await cases.CategoriesAsync(ct)).Select(c => new WorkbenchCategory(c.Code, c.ParentCode, c.Name)).ToList();
        return new WorkbenchToday(caller.Name, [.. caller.Grants.Select(g => g.JurisdictionCode).Distinct()], clock.GetUtcNow(), myCases,
            homes, readable.Count == households.Value.Items.Count ? households.Value.Total : readable.Count, unread.IsSuccess ? unread.Value.Items : [], categories);
    }

    /// <summary>The <c>If-Match</c> value of a case's row version.</summary>
    public static string VersionOf(Guid version) => IVersionCheckedCaseSteps.VersionOf(version);

    /// <summary>The <c>If-Match</c> value of a registry record: when it last changed, as read from the database.</summary>
    public static string VersionOf(DateTimeOffset updatedAt) => IVersionCheckedHouseUse.VersionOf(updatedAt);

    private List<string> ActionsFor(string state, string gridCode) =>
        [.. HandlerActions.Where(a => CaseWorkflow.Transitions[a] is var t && t.From.Contains(state) && caller.Can(t.Capability, gridCode))];
}
