using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;
using CivicGrid.Modules.Registry.Tags;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Houses;

/// <summary>
/// The visit log (走访记录) and the collection on the phone: a grid worker at a door logs the visit,
/// corrects the residents' phones, addresses and tags, and registers the persons he meets for the
/// first time (moved in as living here). Who is the caller, when is the server's clock. With an
/// <c>Idempotency-Key</c>, a retry by the same user returns the first visit and changes nothing; the
/// same key with another body is 409 (the phone's offline queue relies on both).
/// </summary>
internal sealed class VisitLog(CivicGridDbContext db, HousePlaces places, PersonDirectory persons, ResidenceBook residences, ICaller caller,
    TimeProvider time)
{
    public const int MaxNotes = 2000;
    public const int MaxKey = 100;
    public const int MaxPersons = 20;

    private static readonly JsonSerializerOptions HashJson = new(JsonSerializerDefaults.Web);

    public async Task<Result<RecordedVisit>> RecordAsync(VisitInput? input, string? idempotencyKey, CancellationToken ct)
    {
        if (input is null)
        {
            return HousePlaces.EmptyBody();
        }
        var notes = input.Notes?.Trim() ?? string.Empty;
        var errors = new FieldErrors()
            .When(input.HouseholdId is null && input.HouseId is null, "householdId", "须选择走访的户或房屋")
            .When(notes.Length > MaxNotes, "notes", $"走访记录最多 {MaxNotes} 字")
            .When((input.Persons?.Count ?? 0) + (input.NewPersons?.Count ?? 0) > MaxPersons, "persons", $"一次走访最多更新 {MaxPersons} 人")
            .When(input.Persons?.Any(p => p?.Id is null) == true, "persons", "须指明要更新的人员 id")
            .When(idempotencyKey is { Length: 0 or > MaxKey }, "Idempotency-Key", $"Idempotency-Key 须为 1 到 {MaxKey} 个字符");
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }
        var hash = Hash(input);
        if (idempotencyKey is not null && await FirstAsync(idempotencyKey, hash, ct) is { } earlier)
        {
            return earlier;
        }

        Household? household = null;
        if (input.HouseholdId is { } householdId)
        {
            household = await db.Set<Household>().AsNoTracking().SingleOrDefaultAsync(h => h.Id == householdId, ct);
            if (household is null)
            {
                return HouseDirectory.NotFound("household", householdId);
            }
        }
        var houseId = household?.HouseId ?? input.HouseId!.Value;
        var house = await db.Set<House>().AsNoTracking().SingleOrDefaultAsync(h => h.Id == houseId, ct);
        if (house is null || (input.HouseId is { } given && given != houseId))
        {
            return house is null ? HouseDirectory.NotFound("house", houseId) : new FieldErrors().Add("houseId", "该户不在这个房屋").ToError()!;
        }
        if (places.CheckWrite(house.GridCode) is { } forbidden)
        {
            return forbidden;
        }

        // Only the persons living there now may be edited from the doorstep.
        var living = (await residences.ResidentsAsync([house.Id], ct)).Where(r => r.MovedOutOn is null).Select(r => r.PersonId).ToHashSet();
        var updates = input.Persons ?? [];
        foreach (var update in updates.Where(u => !living.Contains(u.Id!.Value)))
        {
            errors.Add("persons", $"人员 {update.Id} 不住在该房屋");
        }
        if (errors.ToError() is { } notLiving)
        {
            return notLiving;
        }
        // Every person's fields are checked before anything is written.
        var check = new FieldErrors();
        var knownTags = await TagCatalog.ActiveAsync(db, ct);
        foreach (var update in updates)
        {
            PersonRules.Contact(check, update.Phone, update.Address, update.Tags, knownTags);
        }
        if (check.ToError() is { } badContact)
        {
            return Prefixed(badContact, "persons");
        }
        foreach (var person in input.NewPersons ?? [])
        {
            if (PersonRules.Validate(person, time, knownTags) is { IsSuccess: false } badPerson)
            {
                return Prefixed(badPerson.Error!, "newPersons");
            }
        }
        var changed = 0;
        foreach (var update in updates)
        {
            var result = await persons.UpdateContactAsync(update.Id!.Value, update.Phone, update.Address, update.Tags, ct);
            if (!result.IsSuccess)
            {
                return Prefixed(result.Error!, "persons");
            }
            changed++;
        }
        var today = PersonRules.Today(time);
        foreach (var person in input.NewPersons ?? [])
        {
            // A retry after a failure between the person and the visit: he lives here already, so he is not registered twice.
            if (!string.IsNullOrWhiteSpace(person.IdNumber)
                && await persons.ListAsync(null, null, person.IdNumber, null, null, 1, 1, ct) is { IsSuccess: true } known
                && known.Value.Items is [var already] && living.Contains(already.Id))
            {
                changed++;
                continue;
            }
            var created = await persons.CreateAsync(person, ct);
            if (!created.IsSuccess)
            {
                return Prefixed(created.Error!, "newPersons");
            }
            var moved = await residences.MoveInAsync(house.Id, new MoveInInput(created.Value.Id, ResidenceRelation.LivesHere, today, household?.Id), ct);
            if (!moved.IsSuccess)
            {
                return moved.Error!;
            }
            changed++;
        }

        var now = time.GetUtcNow();
        var visit = new Visit(Guid.CreateVersion7(now), house.GridCode, now, caller.Name)
        {
            HouseId = house.Id,
            HouseholdId = household?.Id,
            Notes = notes,
            PersonsChanged = changed,
            IdempotencyKey = idempotencyKey,
            RequestHash = idempotencyKey is null ? null : hash,
        };
        db.Add(visit);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // A concurrent retry with the same key won the race: its visit is the answer.
            db.ChangeTracker.Clear();
            if (await FirstAsync(idempotencyKey, hash, ct) is { } winner)
            {
                return winner;
            }
            throw;
        }
        return new RecordedVisit(ViewOf(visit), Created: true);
    }

    public async Task<Result<Paged<VisitView>>> ListAsync(string? within, DateTimeOffset? from, DateTimeOffset? to, Guid? houseId, int? page,
        int? pageSize, CancellationToken ct)
    {
        var filtered = await places.WithinAsync(db.Set<Visit>().AsNoTracking(), within, ct);
        if (from is { } start && to is { } end && end < start)
        {
            return new FieldErrors().Add("to", "to 不能早于 from").ToError()!;
        }
        if (filtered.IsSuccess)
        {
            var query = filtered.Value;
            if (from is { } f)
            {
                query = query.Where(v => v.CreatedAt >= f);
            }
            if (to is { } t)
            {
                query = query.Where(v => v.CreatedAt < t);
            }
            if (houseId is { } house)
            {
                query = query.Where(v => v.HouseId == house);
            }
            filtered = Result<IQueryable<Visit>>.Success(query.OrderByDescending(v => v.CreatedAt).ThenBy(v => v.Id));
        }
        return await HousePlaces.PageAsync(filtered, page, pageSize, v => Task.FromResult<IReadOnlyList<VisitView>>([.. v.Select(ViewOf)]), ct);
    }

    public static VisitView ViewOf(Visit v) =>
        new(v.Id, v.HouseId, v.HouseholdId, v.GridCode, v.CreatedBy, v.CreatedAt, v.Notes, v.PersonsChanged);

    /// <summary>The caller's earlier visit under this key: the same body is that visit again, another body a conflict.</summary>
    private async Task<Result<RecordedVisit>?> FirstAsync(string key, string hash, CancellationToken ct)
    {
        // His own key: he gets his visit back even if he no longer sees its grid.
        var first = await db.Set<Visit>().IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(v => v.CreatedBy == caller.Name && v.IdempotencyKey == key, ct);
        if (first is null)
        {
            return null;
        }
        return first.RequestHash == hash
            ? new RecordedVisit(ViewOf(first), Created: false)
            : Error.Conflict("registry.idempotency_key_reused", "该 Idempotency-Key 已用于另一次走访记录");
    }

    private static string Hash(VisitInput input) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(input, HashJson))));

    /// <summary>A person's field errors under the visit's list (<c>persons.phone</c>), other errors as they are.</summary>
    private static Error Prefixed(Error error, string list) =>
        error.Fields is { } fields
            ? error with { Fields = fields.ToDictionary(f => $"{list}.{f.Key}", f => f.Value) }
            : error;
}
