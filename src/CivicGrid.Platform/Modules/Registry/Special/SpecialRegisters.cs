using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Data;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Special;

/// <summary>
/// The special-population registers' use cases. A caller without <c>registry.special</c> over an
/// entry's grid gets 404 for it, exactly as for an entry that does not exist: the existence of a
/// register entry is itself sensitive. Every read (list, detail, a person's entries) writes an
/// audit record naming the reader and the entries read, before the answer leaves.
/// </summary>
internal sealed class SpecialRegisters(
    CivicGridDbContext db, ICaller caller, IFieldProtector protector, IAuditLog audit, IDivisionDirectory divisions, TimeProvider time)
{
    public const int MaxNotesLength = 2000;
    private const string NoRoot = "~";

    private static readonly JsonSerializerOptions DetailJson = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public async Task<Result<Paged<SpecialRegisterView>>> ListAsync(SpecialRegisterKind? kind, string? within, Guid? personId, int? page,
        int? pageSize, CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return NotFound();
        }
        var paging = PageRequest.From(page, pageSize);
        if (!paging.IsSuccess)
        {
            return paging.Error!;
        }
        if (kind is { } k && !Enum.IsDefined(k))
        {
            return new FieldErrors().Add("kind", "kind 无效").ToError()!;
        }
        var filtered = await Within.FilterAsync(Granted(), within, divisions, cancellationToken);
        if (!filtered.IsSuccess)
        {
            return filtered.Error!;
        }
        var entries = filtered.Value;
        if (kind is { } wanted)
        {
            entries = entries.Where(e => e.Kind == wanted);
        }
        if (personId is { } person)
        {
            entries = entries.Where(e => e.PersonId == person);
        }
        var request = paging.Value;
        var total = await entries.CountAsync(cancellationToken);
        var rows = await Views(entries.OrderBy(e => e.GridCode).ThenBy(e => e.Id).Skip(request.Skip).Take(request.PageSize))
            .ToListAsync(cancellationToken);
        await AuditAsync("registry.special_listed", personId is { } p ? $"person:{p}" : "special-registers", new Dictionary<string, object?>
        {
            ["kind"] = kind?.ToString(),
            ["within"] = within?.Trim(),
            ["total"] = total,
            ["ids"] = rows.Select(r => r.Id).ToList(),
        }, cancellationToken);
        return new Paged<SpecialRegisterView>(rows, total, request.Page, request.PageSize);
    }

    /// <summary>A person's entries: 404 when the person is not the caller's or the caller holds no <c>registry.special</c> over him.</summary>
    public async Task<Result<Paged<SpecialRegisterView>>> OfPersonAsync(Guid personId, int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        var person = await db.Set<Person>().AsNoTracking().Where(p => p.Id == personId).Select(p => new { p.GridCode })
            .SingleOrDefaultAsync(cancellationToken);
        if (person is null || !caller.Can(Capabilities.RegistrySpecial, person.GridCode))
        {
            return NotFound();
        }
        return await ListAsync(null, null, personId, page, pageSize, cancellationToken);
    }

    public async Task<Result<SpecialRegisterView>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return NotFound();
        }
        var view = await Views(Granted().Where(e => e.Id == id)).SingleOrDefaultAsync(cancellationToken);
        if (view is null)
        {
            return NotFound();
        }
        var cipher = await Granted().Where(e => e.Id == id).Select(e => e.NotesCipher).SingleAsync(cancellationToken);
        await AuditAsync("registry.special_read", $"special-register:{id}", new Dictionary<string, object?>
        {
            ["person"] = view.PersonId,
            ["kind"] = view.Kind.ToString(),
        }, cancellationToken);
        return view with { Notes = Decrypt(cipher) };
    }

    public async Task<Result<SpecialRegisterView>> CreateAsync(SpecialRegisterInput? input, CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return NotFound();
        }
        var person = input?.PersonId is { } personId
            ? await db.Set<Person>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId, cancellationToken)
            : null;
        var errors = Validate(input);
        errors.When(input?.PersonId is not null && (person is null || !caller.Can(Capabilities.RegistrySpecial, person.GridCode)),
            "personId", "没有该人员");
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }
        var kind = input!.Kind!.Value;
        var today = PersonRules.Today(time);
        if (await Granted().AnyAsync(e => e.PersonId == person!.Id && e.Kind == kind && (e.EndDate == null || e.EndDate >= today),
                cancellationToken))
        {
            return Error.Conflict("registry.special_duplicate", "该人员已在此名册中（未结束）");
        }
        var now = time.GetUtcNow();
        var entry = new SpecialRegisterEntry
        {
            Id = Guid.CreateVersion7(now),
            PersonId = person!.Id,
            GridCode = person.GridCode,
            CreatedAt = now,
            CreatedBy = caller.Name,
        };
        Apply(entry, input, now);
        db.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync("registry.special_created", $"special-register:{entry.Id}", new Dictionary<string, object?>
        {
            ["person"] = entry.PersonId,
            ["kind"] = entry.Kind.ToString(),
        }, cancellationToken);
        return View(entry, person.Name, input.Notes?.Trim());
    }

    public async Task<Result<SpecialRegisterView>> UpdateAsync(Guid id, SpecialRegisterInput? input, CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return NotFound();
        }
        var entry = await Granted().AsTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (entry is null)
        {
            return NotFound();
        }
        var errors = Validate(input);
        errors.When(input?.PersonId is { } other && other != entry.PersonId, "personId", "不能改为另一人员");
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }
        var changed = new List<string>();
        void Check(bool differs, string field)
        {
            if (differs)
            {
                changed.Add(field);
            }
        }
        var notes = NormalizedNotes(input!.Notes);
        Check(entry.Kind != input.Kind, "kind");
        Check(entry.StartDate != input.StartDate, "startDate");
        Check(entry.EndDate != input.EndDate, "endDate");
        Check(entry.RiskLevel != input.RiskLevel, "riskLevel");
        Check(entry.ResponsiblePerson != Trimmed(input.ResponsiblePerson), "responsiblePerson");
        Check(Decrypt(entry.NotesCipher) != notes, "notes");
        Apply(entry, input, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync("registry.special_updated", $"special-register:{entry.Id}", new Dictionary<string, object?>
        {
            ["person"] = entry.PersonId,
            ["kind"] = entry.Kind.ToString(),
            ["changed"] = changed,
        }, cancellationToken);
        var name = await db.Set<Person>().Where(p => p.Id == entry.PersonId).Select(p => p.Name).SingleOrDefaultAsync(cancellationToken);
        return View(entry, name ?? string.Empty, notes);
    }

    /// <summary>True when the caller holds <c>registry.special</c> somewhere (the system always).</summary>
    public bool Allowed() => caller.IsSystem || caller.CanAnywhere(Capabilities.RegistrySpecial);

    /// <summary>
    /// The entries under the jurisdictions where the caller holds <c>registry.special</c> (the data
    /// scope covers all his roles; a second role without the capability must not widen this).
    /// </summary>
    private IQueryable<SpecialRegisterEntry> Granted()
    {
        var entries = db.Set<SpecialRegisterEntry>().AsNoTracking();
        if (caller.IsSystem)
        {
            return entries;
        }
        var roots = caller.Grants.Where(g => Capabilities.RoleHas(g.Role, Capabilities.RegistrySpecial)).Select(g => g.JurisdictionCode)
            .Distinct(StringComparer.Ordinal).Take(CivicGridDbContext.MaxScopeRoots).ToList();
        string Lo(int i) => i < roots.Count ? roots[i] : NoRoot;
        string Hi(int i) => i < roots.Count ? CivicGridDbContext.UpperBound(roots[i]) : NoRoot;
        var (lo0, hi0, lo1, hi1, lo2, hi2, lo3, hi3) = (Lo(0), Hi(0), Lo(1), Hi(1), Lo(2), Hi(2), Lo(3), Hi(3));
        return entries.Where(e =>
            (string.Compare(e.GridCode, lo0) >= 0 && string.Compare(e.GridCode, hi0) < 0) ||
            (string.Compare(e.GridCode, lo1) >= 0 && string.Compare(e.GridCode, hi1) < 0) ||
            (string.Compare(e.GridCode, lo2) >= 0 && string.Compare(e.GridCode, hi2) < 0) ||
            (string.Compare(e.GridCode, lo3) >= 0 && string.Compare(e.GridCode, hi3) < 0));
    }

    private IQueryable<SpecialRegisterView> Views(IQueryable<SpecialRegisterEntry> entries) =>
        from e in entries
        join p in db.Set<Person>().AsNoTracking() on e.PersonId equals p.Id
        select new SpecialRegisterView(e.Id, e.PersonId, p.Name, e.Kind, e.StartDate, e.EndDate, e.RiskLevel, e.ResponsiblePerson, null,
            e.GridCode, e.CreatedAt, e.CreatedBy, e.UpdatedAt, e.UpdatedBy);

    private static FieldErrors Validate(SpecialRegisterInput? input)
    {
        var errors = new FieldErrors();
        if (input is null)
        {
            return errors.Add("$", "请求体为空");
        }
        return errors
            .When(input.PersonId is null, "personId", "须指定人员")
            .When(input.Kind is not { } kind || !Enum.IsDefined(kind), "kind",
                "kind 须为 ReleasedPrisoner / CommunityCorrection / SevereMentalDisorder / DrugUser / AtRiskYouth")
            .When(input.StartDate is null, "startDate", "须填写列管开始日期")
            .When(input.EndDate is { } end && input.StartDate is { } start && end < start, "endDate", "结束日期不能早于开始日期")
            .When(input.RiskLevel is not { } risk || !Enum.IsDefined(risk), "riskLevel", "riskLevel 须为 Low / Medium / High")
            .When(Trimmed(input.ResponsiblePerson) is { Length: > 50 }, "responsiblePerson", "责任人最多 50 个字")
            .When(NormalizedNotes(input.Notes) is { Length: > MaxNotesLength }, "notes", $"备注最多 {MaxNotesLength} 个字");
    }

    private void Apply(SpecialRegisterEntry entry, SpecialRegisterInput input, DateTimeOffset now)
    {
        entry.Kind = input.Kind!.Value;
        entry.StartDate = input.StartDate!.Value;
        entry.EndDate = input.EndDate;
        entry.RiskLevel = input.RiskLevel!.Value;
        entry.ResponsiblePerson = Trimmed(input.ResponsiblePerson);
        entry.NotesCipher = NormalizedNotes(input.Notes) is { } notes ? protector.Encrypt(notes, FieldKind.Text) : null;
        entry.UpdatedAt = now;
        entry.UpdatedBy = caller.Name;
    }

    private static SpecialRegisterView View(SpecialRegisterEntry e, string personName, string? notes) => new(
        e.Id, e.PersonId, personName, e.Kind, e.StartDate, e.EndDate, e.RiskLevel, e.ResponsiblePerson, notes, e.GridCode, e.CreatedAt,
        e.CreatedBy, e.UpdatedAt, e.UpdatedBy);

    private string? Decrypt(byte[]? cipher)
    {
        if (cipher is null)
        {
            return null;
        }
        try
        {
            return protector.Decrypt(cipher);
        }
        catch (CryptographicException)
        {
            return "******";
        }
    }

    private async Task AuditAsync(string action, string target, Dictionary<string, object?> detail, CancellationToken cancellationToken) =>
        await audit.AppendAsync(new AuditEntry(caller.Name, action, target, JsonSerializer.Serialize(detail, DetailJson), caller.Ip),
            cancellationToken);

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string? NormalizedNotes(string? notes) => Trimmed(notes);

    private static Error NotFound() => Error.NotFound("registry.special_not_found", "没有该记录");
}
