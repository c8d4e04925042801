using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Houses;

/// <summary>
/// Households (户) and residence links person ↔ house: moving in opens a link, moving out closes it
/// with its day; nothing is deleted, so a house's and a person's past stay known. Links are scoped by
/// the house's grid; the persons they show are masked, and only those the caller may see.
/// </summary>
internal sealed class ResidenceBook(CivicGridDbContext db, HousePlaces places, PersonDirectory persons, ICaller caller, TimeProvider time)
{
    // Households.

    public async Task<Result<Paged<HouseholdView>>> ListHouseholdsAsync(string? within, Guid? houseId, int? page, int? pageSize, CancellationToken ct)
    {
        var filtered = await places.WithinAsync(db.Set<Household>().AsNoTracking(), within, ct);
        if (filtered.IsSuccess)
        {
            var query = filtered.Value;
            if (houseId is { } house)
            {
                query = query.Where(h => h.HouseId == house);
            }
            filtered = Result<IQueryable<Household>>.Success(query.OrderBy(h => h.GridCode).ThenBy(h => h.HouseId).ThenBy(h => h.Id));
        }
        return await HousePlaces.PageAsync(filtered, page, pageSize, h => HouseholdViewsAsync(h, ct), ct);
    }

    public async Task<Result<HouseholdDetail>> GetHouseholdAsync(Guid id, CancellationToken ct)
    {
        var household = await db.Set<Household>().AsNoTracking().SingleOrDefaultAsync(h => h.Id == id, ct);
        if (household is null)
        {
            return HouseDirectory.NotFound("household", id);
        }
        var members = await ResidentsAsync([household.HouseId], ct);
        return new HouseholdDetail((await HouseholdViewsAsync([household], ct))[0],
            [.. members.Where(m => m.MovedOutOn is null && (m.HouseholdId is null || m.HouseholdId == id))]);
    }

    public async Task<IReadOnlyList<HouseholdView>> HouseholdsOfAsync(Guid houseId, CancellationToken ct) =>
        await HouseholdViewsAsync(await db.Set<Household>().AsNoTracking().Where(h => h.HouseId == houseId).OrderBy(h => h.Id).ToListAsync(ct), ct);

    public async Task<Result<HouseholdView>> SaveHouseholdAsync(Guid? id, HouseholdInput? input, CancellationToken ct)
    {
        if (input is null)
        {
            return HousePlaces.EmptyBody();
        }
        var found = await places.ToChangeAsync<Household>(id, "household", ct);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }
        var household = found.Value;
        var number = input.Number?.Trim();
        var errors = new FieldErrors()
            .When(input.HouseId is null, "houseId", "须选择房屋")
            .When(input.Kind is null, "kind", "须选择户的类型（Registered 户籍户 / Living 居住户）")
            .When(number is { Length: > 30 }, "number", "户号最多 30 个字符");
        House? house = null;
        if (input.HouseId is { } houseId)
        {
            house = await db.Set<House>().AsNoTracking().SingleOrDefaultAsync(h => h.Id == houseId, ct);
            errors.When(house is null, "houseId", $"没有房屋 {houseId}");
        }
        if (input.HeadPersonId is { } head && !await db.Set<Person>().AnyAsync(p => p.Id == head, ct))
        {
            errors.Add("headPersonId", $"没有人员 {head}");
        }
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }
        if (places.CheckWrite(house!.GridCode) is { } denied)
        {
            return denied;
        }
        var now = time.GetUtcNow();
        if (household is null)
        {
            household = new Household(Guid.CreateVersion7(now), house.GridCode, now, caller.Name);
            db.Add(household);
        }
        else
        {
            household.Touch(now, caller.Name);
        }
        household.GridCode = house.GridCode;
        household.HouseId = house.Id;
        household.Kind = input.Kind!.Value;
        household.Number = string.IsNullOrEmpty(number) ? null : number;
        household.HeadPersonId = input.HeadPersonId;
        await db.SaveChangesAsync(ct);
        return (await HouseholdViewsAsync([household], ct))[0];
    }

    private async Task<IReadOnlyList<HouseholdView>> HouseholdViewsAsync(List<Household> households, CancellationToken ct)
    {
        var houseIds = households.Select(h => h.HouseId).Distinct().ToList();
        var houses = await db.Set<House>().IgnoreQueryFilters().AsNoTracking().Where(h => houseIds.Contains(h.Id)).ToListAsync(ct);
        var labels = await places.LabelsAsync(houses, ct);
        var heads = households.Where(h => h.HeadPersonId is not null).Select(h => h.HeadPersonId!.Value).Distinct().ToList();
        // Only the heads the caller may see are named.
        var names = await db.Set<Person>().AsNoTracking().Where(p => heads.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var members = await db.Set<Residence>().AsNoTracking().Where(r => houseIds.Contains(r.HouseId) && r.MovedOutOn == null)
            .Select(r => new { r.HouseId, r.HouseholdId, r.PersonId }).ToListAsync(ct);
        return [.. households.Select(h => new HouseholdView(h.Id, h.HouseId, labels.GetValueOrDefault(h.HouseId) ?? string.Empty, h.Kind, h.Number,
            h.HeadPersonId, h.HeadPersonId is { } head ? names.GetValueOrDefault(head) : null, h.GridCode,
            members.Where(m => m.HouseId == h.HouseId && (m.HouseholdId is null || m.HouseholdId == h.Id)).Select(m => m.PersonId).Distinct().Count()))];
    }

    // Residence links.

    /// <summary>Every link (current and past) of these houses, with the persons the caller may see, masked.</summary>
    public async Task<IReadOnlyList<ResidentView>> ResidentsAsync(IReadOnlyCollection<Guid> houseIds, CancellationToken ct)
    {
        var links = await db.Set<Residence>().AsNoTracking().Where(r => houseIds.Contains(r.HouseId))
            .OrderBy(r => r.MovedInOn).ThenBy(r => r.Id).ToListAsync(ct);
        return await ViewsAsync(links, ct);
    }

    /// <summary><c>GET /persons/{id}/residences</c>: where a person lived and lives (the links the caller's jurisdictions hold).</summary>
    public async Task<Result<IReadOnlyList<ResidentView>>> OfPersonAsync(Guid personId, CancellationToken ct)
    {
        if (!await db.Set<Person>().AnyAsync(p => p.Id == personId, ct))
        {
            return Error.NotFound("registry.person_not_found", $"没有人员 {personId}");
        }
        var links = await db.Set<Residence>().AsNoTracking().Where(r => r.PersonId == personId)
            .OrderByDescending(r => r.MovedOutOn == null).ThenByDescending(r => r.MovedInOn).ToListAsync(ct);
        return Result<IReadOnlyList<ResidentView>>.Success(await ViewsAsync(links, ct));
    }

    public async Task<Result<ResidentView>> MoveInAsync(Guid houseId, MoveInInput? input, CancellationToken ct)
    {
        var house = await db.Set<House>().AsNoTracking().SingleOrDefaultAsync(h => h.Id == houseId, ct);
        if (house is null)
        {
            return HouseDirectory.NotFound("house", houseId);
        }
        if (places.CheckWrite(house.GridCode) is { } forbidden)
        {
            return forbidden;
        }
        if (input is null)
        {
            return HousePlaces.EmptyBody();
        }
        var today = PersonRules.Today(time);
        var day = input.MovedInOn ?? today;
        var errors = new FieldErrors()
            .When(input.PersonId is null, "personId", "须选择人员")
            .When(input.Relation is null, "relation", "须选择居住关系（Owner 房主 / Tenant 租户 / LivesHere 实际居住 / RegisteredHere 户籍在此）")
            .When(day > today || day.Year < 1900, "movedInOn", "入住日期须在 1900 年之后且不晚于今天");
        if (input.PersonId is { } personId && !await db.Set<Person>().AnyAsync(p => p.Id == personId, ct))
        {
            errors.Add("personId", $"没有人员 {personId}");
        }
        if (input.HouseholdId is { } householdId && !await db.Set<Household>().AnyAsync(h => h.Id == householdId && h.HouseId == houseId, ct))
        {
            errors.Add("householdId", "该房屋没有这个户");
        }
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }
        var relation = input.Relation!.Value;
        if (await db.Set<Residence>().AnyAsync(r => r.HouseId == houseId && r.PersonId == input.PersonId && r.Relation == relation
                                                     && r.MovedOutOn == null, ct))
        {
            return Error.Conflict("registry.already_resident", "该人员已以同样的关系登记在此房屋");
        }
        var now = time.GetUtcNow();
        var link = new Residence(Guid.CreateVersion7(now), house.GridCode, now, caller.Name)
        {
            PersonId = input.PersonId!.Value,
            HouseId = houseId,
            HouseholdId = input.HouseholdId,
            Relation = relation,
            MovedInOn = day,
        };
        db.Add(link);
        await db.SaveChangesAsync(ct);
        return (await ViewsAsync([link], ct))[0];
    }

    public async Task<Result<ResidentView>> MoveOutAsync(Guid residenceId, MoveOutInput? input, CancellationToken ct)
    {
        var link = await db.Set<Residence>().SingleOrDefaultAsync(r => r.Id == residenceId, ct);
        if (link is null)
        {
            return HouseDirectory.NotFound("residence", residenceId);
        }
        if (places.CheckWrite(link.GridCode) is { } forbidden)
        {
            return forbidden;
        }
        if (link.MovedOutOn is not null)
        {
            return Error.Conflict("registry.already_moved_out", "该居住记录已迁出");
        }
        var today = PersonRules.Today(time);
        var day = input?.MovedOutOn ?? today;
        var errors = new FieldErrors()
            .When(day > today, "movedOutOn", "迁出日期不能晚于今天")
            .When(day < link.MovedInOn, "movedOutOn", "迁出日期不能早于入住日期");
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }
        link.MovedOutOn = day;
        link.Touch(time.GetUtcNow(), caller.Name);
        await db.SaveChangesAsync(ct);
        return (await ViewsAsync([link], ct))[0];
    }

    private async Task<IReadOnlyList<ResidentView>> ViewsAsync(List<Residence> links, CancellationToken ct)
    {
        var ids = links.Select(l => l.PersonId).Distinct().ToList();
        var today = PersonRules.Today(time);
        // The person filter applies: a resident registered in a grid the caller cannot see shows as a link only.
        var people = await db.Set<Person>().AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        return [.. links.Select(l => new ResidentView(l.Id, l.PersonId, l.HouseId, l.HouseholdId, l.Relation, l.MovedInOn, l.MovedOutOn,
            people.TryGetValue(l.PersonId, out var p) ? persons.ViewOf(p, today) : null))];
    }
}
