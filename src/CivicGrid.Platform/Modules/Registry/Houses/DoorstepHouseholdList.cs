using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Houses;

/// <summary>
/// The households a grid worker carries to the doorstep (<see cref="IDoorstepHouseholds"/>): the
/// household list and residents of <see cref="ResidenceBook"/>, kept to the grids where the caller
/// may read the registry, with each house's use and version for an edit checked against it.
/// </summary>
internal sealed class DoorstepHouseholdList(CivicGridDbContext db, ICaller caller, ResidenceBook residences) : IDoorstepHouseholds
{
    public async Task<Result<DoorstepHouseholds>> ListAsync(int max, CancellationToken cancellationToken = default)
    {
        // The jurisdiction filter shows every grant's area; the registry only to a role that may read it there
        // (a department officer handles cases but reads no households).
        if (!caller.Grants.Any(g => Capabilities.RoleHas(g.Role, Capabilities.RegistryRead)))
        {
            return new DoorstepHouseholds([], 0);
        }
        var households = await residences.ListHouseholdsAsync(null, null, 1, max, cancellationToken);
        if (!households.IsSuccess)
        {
            return households.Error!;
        }
        var readable = households.Value.Items.Where(h => caller.Can(Capabilities.RegistryRead, h.GridCode)).ToList();
        var houseIds = readable.Select(h => h.HouseId).Distinct().ToList();
        var residents = await residences.ResidentsAsync(houseIds, cancellationToken);
        var houses = await db.Set<House>().AsNoTracking().Where(h => houseIds.Contains(h.Id)).Select(h => new { h.Id, h.Use, h.UpdatedAt })
            .ToDictionaryAsync(h => h.Id, cancellationToken);
        var items = readable.Select(h =>
            {
                var house = houses.GetValueOrDefault(h.HouseId);
                return new DoorstepHousehold(h.Id, h.HouseId, h.HouseLabel, h.Number, h.HeadName, h.GridCode,
                    [.. residents.Where(r => r.HouseId == h.HouseId && r.MovedOutOn is null && (r.HouseholdId is null || r.HouseholdId == h.Id)
                            && r.Person is not null)
                        .Select(r => new DoorstepResident(r.Person!.Id, r.Person.Name, r.Person.Phone, r.Person.Address, r.Person.Tags))
                        .DistinctBy(r => r.Id)],
                    house?.Use, house is null ? null : IVersionCheckedHouseUse.VersionOf(house.UpdatedAt));
            })
            .ToList();
        return new DoorstepHouseholds(items, readable.Count == households.Value.Items.Count ? households.Value.Total : readable.Count);
    }
}
