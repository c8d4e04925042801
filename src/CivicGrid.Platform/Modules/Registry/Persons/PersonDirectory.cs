using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Tags;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Registry.Persons;

/// <summary>
/// The persons use cases. Every query goes through the jurisdiction filter on
/// <c>registry_persons</c>, so a person outside the caller's subtrees does not exist for him (404);
/// numbers leave only masked, except through <see cref="UnmaskAsync"/>, which is audited first.
/// </summary>
internal sealed partial class PersonDirectory(
    CivicGridDbContext db, ICaller caller, IFieldProtector protector, IAuditLog audit, IDivisionDirectory divisions,
    TimeProvider time, ILogger<PersonDirectory> logger)
{
    public const string IdNumberField = "idNumber";
    public const string PhoneField = "phone";
    private const int MinReasonLength = 4;
    private const int MaxReasonLength = 500;

    // Chinese stays readable in the audit log instead of \uXXXX escapes.
    private static readonly JsonSerializerOptions DetailJson = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public async Task<Result<Paged<PersonView>>> ListAsync(string? within, string? q, string? idNumber, string? last4, string? tag,
        int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var paging = PageRequest.From(page, pageSize);
        var errors = new FieldErrors();
        foreach (var (field, messages) in paging.Error?.Fields ?? new Dictionary<string, string[]>())
        {
            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }
        var filtered = await FilterAsync(errors, within, q, idNumber, last4, tag, cancellationToken);
        if (!filtered.IsSuccess)
        {
            return filtered.Error!;
        }
        var persons = filtered.Value;
        var request = paging.Value;
        int total;
        List<Person> rows;
        if (!string.IsNullOrWhiteSpace(q))
        {
            // A name search: one index-only pass gives every match's Id (counted here), then the page's
            // rows by Id — a division's rows that do not match are never read (docs/adr/0023).
            var ids = await persons.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(cancellationToken);
            total = ids.Count;
            var pageIds = ids.Skip(request.Skip).Take(request.PageSize).ToList();
            rows = pageIds.Count == 0 ? [] : await db.Set<Person>().AsNoTracking().Where(p => pageIds.Contains(p.Id))
                .OrderBy(p => p.Id).ToListAsync(cancellationToken);
        }
        else
        {
            total = await persons.CountAsync(cancellationToken);
            rows = await persons.OrderBy(p => p.Id).Skip(request.Skip).Take(request.PageSize).ToListAsync(cancellationToken);
        }
        var today = PersonRules.Today(time);
        return new Paged<PersonView>([.. rows.Select(p => View(p, today))], total, request.Page, request.PageSize);
    }

    /// <summary>The persons the caller sees, filtered as the list and the export are; field errors added to <paramref name="errors"/>.</summary>
    public async Task<Result<IQueryable<Person>>> FilterAsync(FieldErrors errors, string? within, string? q, string? idNumber, string? last4,
        string? tag, CancellationToken cancellationToken)
    {
        var code = within?.Trim();
        errors.When(code is { Length: > 0 } && DivisionCode.LevelOf(code) is null, "within", "within 须为区划或网格代码");
        var tail = last4?.Trim().ToUpperInvariant();
        errors.When(tail is not null && (tail.Length != 4 || !tail.All(c => char.IsAsciiDigit(c) || c == 'X')), "last4", "last4 须为 4 位数字（身份证末位可为 X）");
        errors.When(tag is { Length: > 20 }, "tag", "标签最多 20 个字");
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }

        var persons = db.Set<Person>().AsNoTracking();
        if (code is { Length: > 0 })
        {
            // The division directory is scoped too: a division the caller cannot see is 404, not an empty list.
            if (await divisions.FindAsync(code, cancellationToken) is null)
            {
                return Error.NotFound("registry.division_not_found", $"没有区划或网格 {code}");
            }
            // The subtree as a code range [code, code+1): a B-tree range in any collation (ADR 7).
            var upper = CivicGridDbContext.UpperBound(code);
            persons = persons.Where(p => string.Compare(p.GridCode, code) >= 0 && string.Compare(p.GridCode, upper) < 0);
        }
        if (q?.Trim() is { Length: > 0 } text)
        {
            // Latin letters search the initials ("zs" finds 张三), which keep a Latin name's letters
            // too ("john" finds John Smith); anything else is a part of the name ("伟" finds 张伟).
            var initials = text.ToLowerInvariant();
            persons = initials.All(char.IsAsciiLetterOrDigit)
                ? persons.Where(p => p.NameInitials.StartsWith(initials))
                : persons.Where(p => p.Name.Contains(text));
        }
        if (!string.IsNullOrWhiteSpace(idNumber))
        {
            var index = protector.BlindIndex(FieldNormalizer.IdNumber(idNumber), FieldKind.IdNumber);
            persons = persons.Where(p => p.DocumentIndex == index);
        }
        if (tail is not null)
        {
            var idTail = protector.BlindIndex(tail, FieldKind.IdNumber);
            var phoneTail = protector.BlindIndex(tail, FieldKind.Phone);
            persons = persons.Where(p => p.DocumentTailIndex == idTail || p.PhoneTailIndex == phoneTail);
        }
        if (tag?.Trim() is { Length: > 0 } wanted)
        {
            var marker = Person.TagSeparator + wanted + Person.TagSeparator;
            persons = persons.Where(p => p.Tags.Contains(marker));
        }

        return Result<IQueryable<Person>>.Success(persons);
    }

    /// <summary>A person as the list shows him (masked), for the export.</summary>
    public PersonView ViewOf(Person person, DateOnly today) => View(person, today);

    public async Task<Result<PersonView>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var person = await db.Set<Person>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        return person is null ? NotFound(id) : View(person, PersonRules.Today(time));
    }

    public async Task<Result<PersonView>> CreateAsync(PersonInput? input, CancellationToken cancellationToken)
    {
        var valid = await ValidateAsync(input, null, cancellationToken);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }
        var person = new Person(Guid.CreateVersion7(time.GetUtcNow()), time.GetUtcNow(), caller.Name);
        Apply(person, valid.Value);
        db.Add(person);
        if (await SaveAsync(cancellationToken) is { } conflict)
        {
            return conflict;
        }
        await AuditAsync("registry.person_created", person, valid.Value, null, cancellationToken);
        return View(person, PersonRules.Today(time));
    }

    public async Task<Result<PersonView>> UpdateAsync(Guid id, PersonInput? input, CancellationToken cancellationToken)
    {
        var person = await db.Set<Person>().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (person is null)
        {
            return NotFound(id);
        }
        if (!caller.Can(Capabilities.RegistryWrite, person.GridCode))
        {
            return Error.Forbidden("registry.forbidden", "无权修改该人员信息");
        }
        var valid = await ValidateAsync(input, person.Id, cancellationToken);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }
        var changed = Changes(person, valid.Value);
        Apply(person, valid.Value);
        person.Touch(time.GetUtcNow(), caller.Name);
        if (await SaveAsync(cancellationToken) is { } conflict)
        {
            return conflict;
        }
        await AuditAsync("registry.person_updated", person, valid.Value, changed, cancellationToken);
        return View(person, PersonRules.Today(time));
    }

    /// <summary>
    /// A quick edit during a visit (走访): phone, address and tags only; a null field stays as it is,
    /// an empty phone or address clears it. Audited like an update, with the changed fields' names.
    /// </summary>
    public async Task<Result<PersonView>> UpdateContactAsync(Guid id, string? phone, string? address, IReadOnlyList<string>? tags,
        CancellationToken cancellationToken)
    {
        var person = await db.Set<Person>().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (person is null)
        {
            return NotFound(id);
        }
        if (!caller.Can(Capabilities.RegistryWrite, person.GridCode))
        {
            return Error.Forbidden("registry.forbidden", "无权修改该人员信息");
        }
        var errors = new FieldErrors();
        var contact = PersonRules.Contact(errors, phone, address, tags, await TagCatalog.ActiveAsync(db, cancellationToken));
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }
        var changed = new List<string>();
        if (phone is not null && !SameIndex(person.PhoneIndex, contact.Phone, FieldKind.Phone))
        {
            changed.Add(PhoneField);
            person.PhoneCipher = contact.Phone is null ? null : protector.Encrypt(contact.Phone, FieldKind.Phone);
            person.PhoneIndex = contact.Phone is null ? null : protector.BlindIndex(contact.Phone, FieldKind.Phone);
            person.PhoneTailIndex = contact.Phone is null ? null : protector.BlindIndex(PersonRules.Tail(contact.Phone), FieldKind.Phone);
        }
        if (address is not null && person.Address != contact.Address)
        {
            changed.Add("address");
            person.Address = contact.Address;
        }
        if (tags is not null && person.Tags != Person.JoinTags(contact.Tags))
        {
            changed.Add("tags");
            person.Tags = Person.JoinTags(contact.Tags);
        }
        if (changed.Count == 0)
        {
            return View(person, PersonRules.Today(time));
        }
        person.Touch(time.GetUtcNow(), caller.Name);
        await db.SaveChangesAsync(cancellationToken);
        var detail = new Dictionary<string, object?>
        {
            ["name"] = person.Name,
            [PhoneField] = contact.Phone is null ? null : Masking.Phone(contact.Phone),
            ["gridCode"] = person.GridCode,
            ["changed"] = changed,
        };
        await audit.AppendAsync(new AuditEntry(caller.Name, "registry.person_updated", $"person:{person.Id}",
            JsonSerializer.Serialize(detail, DetailJson), caller.Ip), cancellationToken);
        return View(person, PersonRules.Today(time));
    }

    public async Task<Result<PersonUnmasked>> UnmaskAsync(Guid id, PersonUnmaskRequest? request, string? traceId,
        CancellationToken cancellationToken)
    {
        var person = await db.Set<Person>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (person is null)
        {
            return NotFound(id);
        }
        // Seeing the person is not enough: the unmask grant itself must cover his grid.
        if (!caller.Can(Capabilities.RegistryUnmask, person.GridCode))
        {
            return Error.Forbidden("registry.forbidden", "无权查看该人员的明文信息");
        }
        var field = request?.Field;
        var reason = request?.Reason?.Trim() ?? string.Empty;
        var errors = new FieldErrors()
            .When(field is not (IdNumberField or PhoneField), "field", "field 须为 idNumber 或 phone")
            .When(reason.Length < MinReasonLength, "reason", $"须说明查看原因（至少 {MinReasonLength} 个字）")
            .When(reason.Length > MaxReasonLength, "reason", $"原因最多 {MaxReasonLength} 个字");
        if (errors.ToError("registry.unmask_invalid", "查看明文须指明字段并说明原因") is { } invalid)
        {
            return invalid;
        }
        var cipher = field == IdNumberField ? person.DocumentCipher : person.PhoneCipher;
        if (cipher is null)
        {
            return Error.NotFound("registry.no_value", field == IdNumberField ? "该人员没有登记证件号码" : "该人员没有登记手机号");
        }
        var clear = protector.Decrypt(cipher);
        var detail = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["field"] = field!,
            ["reason"] = PersonRules.MaskDigitRuns(reason),
            ["value"] = field == IdNumberField ? Masking.IdNumber(clear) : Masking.Phone(clear),
        }, DetailJson);
        // Written before the value is handed out: no audit record, no clear value.
        await audit.AppendAsync(new AuditEntry(caller.Name, "registry.unmask", $"person:{person.Id}", detail, caller.Ip, traceId),
            cancellationToken);
        return new PersonUnmasked(field!, clear);
    }

    /// <summary>Field rules, then the grid (visible, writable), then the document number's uniqueness.</summary>
    private async Task<Result<ValidPerson>> ValidateAsync(PersonInput? input, Guid? self, CancellationToken cancellationToken)
    {
        var validated = PersonRules.Validate(input, time, await TagCatalog.ActiveAsync(db, cancellationToken));
        if (!validated.IsSuccess)
        {
            return validated;
        }
        var valid = validated.Value;
        var grid = await divisions.FindAsync(valid.GridCode, cancellationToken);
        if (grid is null || grid.Level != DivisionLevel.Grid || !caller.Covers(valid.GridCode))
        {
            return new FieldErrors().Add("gridCode", $"没有网格 {valid.GridCode}").ToError()!;
        }
        if (!caller.Can(Capabilities.RegistryWrite, valid.GridCode))
        {
            return Error.Forbidden("registry.forbidden", "无权在该网格登记人员");
        }
        if (valid.DocumentNumber is { } number)
        {
            var index = protector.BlindIndex(number, FieldKind.IdNumber);
            // Across every jurisdiction: one person is registered once. The answer says only that it exists.
            if (await db.Set<Person>().IgnoreQueryFilters().AnyAsync(p => p.DocumentIndex == index && p.Id != self, cancellationToken))
            {
                return Duplicate();
            }
        }
        return valid;
    }

    private void Apply(Person person, ValidPerson valid)
    {
        person.Name = valid.Name;
        person.NameInitials = PinyinInitials.Of(valid.Name);
        person.DocumentType = valid.DocumentType;
        if (valid.DocumentNumber is { } number)
        {
            person.DocumentCipher = protector.Encrypt(number, FieldKind.IdNumber);
            person.DocumentIndex = protector.BlindIndex(number, FieldKind.IdNumber);
            person.DocumentTailIndex = protector.BlindIndex(PersonRules.Tail(number), FieldKind.IdNumber);
        }
        else
        {
            person.DocumentCipher = person.DocumentIndex = person.DocumentTailIndex = null;
        }
        if (valid.Phone is { } phone)
        {
            person.PhoneCipher = protector.Encrypt(phone, FieldKind.Phone);
            person.PhoneIndex = protector.BlindIndex(phone, FieldKind.Phone);
            person.PhoneTailIndex = protector.BlindIndex(PersonRules.Tail(phone), FieldKind.Phone);
        }
        else
        {
            person.PhoneCipher = person.PhoneIndex = person.PhoneTailIndex = null;
        }
        person.Sex = valid.Sex;
        person.BirthDate = valid.BirthDate;
        person.EthnicityCode = valid.EthnicityCode;
        person.HouseholdType = valid.HouseholdType;
        person.Address = valid.Address;
        person.GridCode = valid.GridCode;
        person.Tags = Person.JoinTags(valid.Tags);
    }

    /// <summary>The names of the fields an update changes (values are not recorded: the audit chain is forever).</summary>
    private List<string> Changes(Person person, ValidPerson valid)
    {
        var changed = new List<string>();
        void Check(bool differs, string field)
        {
            if (differs)
            {
                changed.Add(field);
            }
        }
        Check(person.Name != valid.Name, "name");
        Check(person.DocumentType != valid.DocumentType, "documentType");
        Check(!SameIndex(person.DocumentIndex, valid.DocumentNumber, FieldKind.IdNumber), IdNumberField);
        Check(!SameIndex(person.PhoneIndex, valid.Phone, FieldKind.Phone), PhoneField);
        Check(person.Sex != valid.Sex, "sex");
        Check(person.BirthDate != valid.BirthDate, "birthDate");
        Check(person.EthnicityCode != valid.EthnicityCode, "ethnicity");
        Check(person.HouseholdType != valid.HouseholdType, "householdType");
        Check(person.Address != valid.Address, "address");
        Check(person.GridCode != valid.GridCode, "gridCode");
        Check(person.Tags != Person.JoinTags(valid.Tags), "tags");
        return changed;
    }

    private bool SameIndex(byte[]? index, string? value, FieldKind kind) =>
        value is null ? index is null : index is not null && index.AsSpan().SequenceEqual(protector.BlindIndex(value, kind));

    private async Task<Error?> SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException)
        {
            // The unique document index caught a concurrent registration of the same number.
            db.ChangeTracker.Clear();
            return Duplicate();
        }
    }

    private async Task AuditAsync(string action, Person person, ValidPerson valid, List<string>? changed, CancellationToken cancellationToken)
    {
        var detail = new Dictionary<string, object?>
        {
            ["name"] = person.Name,
            ["documentType"] = person.DocumentType.ToString(),
            [IdNumberField] = valid.DocumentNumber is null ? null : Masking.IdNumber(valid.DocumentNumber),
            [PhoneField] = valid.Phone is null ? null : Masking.Phone(valid.Phone),
            ["gridCode"] = person.GridCode,
        };
        if (changed is not null)
        {
            detail["changed"] = changed;
        }
        await audit.AppendAsync(new AuditEntry(caller.Name, action, $"person:{person.Id}", JsonSerializer.Serialize(detail, DetailJson),
            caller.Ip), cancellationToken);
    }

    private PersonView View(Person p, DateOnly today) => new(
        p.Id, p.Name, p.DocumentType, Masked(p, p.DocumentCipher, Masking.IdNumber), p.Sex, PersonRules.AgeOn(p.BirthDate, today),
        p.EthnicityCode, Ethnicities.NameOf(p.EthnicityCode), p.HouseholdType, Masked(p, p.PhoneCipher, Masking.Phone), p.Address,
        p.GridCode, p.TagList, p.CreatedAt, p.CreatedBy, p.UpdatedAt, p.UpdatedBy);

    private string? Masked(Person person, byte[]? cipher, Func<string?, string> mask)
    {
        if (cipher is null)
        {
            return null;
        }
        try
        {
            return mask(protector.Decrypt(cipher));
        }
        catch (CryptographicException)
        {
            // A lost key or an altered value: say that there is a value, not what it is, and keep listing.
            LogUnreadable(logger, person.Id);
            return "******";
        }
    }

    private static Error Duplicate() => Error.Conflict("registry.duplicate_document", "该证件号码已登记");

    private static Error NotFound(Guid id) =>
        Error.NotFound("registry.person_not_found", string.Create(CultureInfo.InvariantCulture, $"没有人员 {id}"));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A protected field of person {PersonId} cannot be decrypted (unknown key version or altered value)")]
    private static partial void LogUnreadable(ILogger logger, Guid personId);
}
