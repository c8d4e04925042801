using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Houses;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Registry.Pages;

/// <summary>A resident's quick edit on the visit form.</summary>
public sealed class VisitPersonEdit
{
    public Guid Id { get; set; }

    public string? Phone { get; set; }

    public string? Address { get; set; }

    /// <summary>Tags separated by 、 , ， or spaces.</summary>
    public string? Tags { get; set; }
}

/// <summary>
/// <c>/registry/visit</c>, for a grid worker's phone: pick a household of his grid, log the visit
/// with notes, correct the residents' phones, addresses and tags, and register a person met for the
/// first time — through the same <see cref="VisitLog"/> as <c>POST /api/v1/visits</c>. The form
/// carries an idempotency key drawn when it was shown, so a double tap or a resend logs one visit.
/// </summary>
public sealed class VisitModel(ICaller caller, TimeProvider time) : PageModel
{
    public const int PageSize = 20;

    private static readonly char[] TagSeparators = ['、', ',', '，', ';', '；', ' ', '　'];

    [BindProperty(SupportsGet = true)]
    public Guid? Household { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true)]
    public bool Done { get; set; }

    [BindProperty]
    public string? Notes { get; set; }

    [BindProperty]
    public string? Key { get; set; }

    [BindProperty]
    public List<VisitPersonEdit> Persons { get; set; } = [];

    [BindProperty]
    public string? NewName { get; set; }

    [BindProperty]
    public string? NewIdNumber { get; set; }

    [BindProperty]
    public Sex? NewSex { get; set; }

    [BindProperty]
    public HouseholdType? NewHouseholdType { get; set; }

    [BindProperty]
    public string? NewPhone { get; set; }

    internal Paged<HouseholdView>? Households { get; private set; }

    internal HouseholdDetail? Chosen { get; private set; }

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public string? Refusal { get; private set; }

    public int PageCount => Households is null ? 0 : Math.Max(1, (Households.Total + Households.PageSize - 1) / Households.PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.RegistryWrite))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        Key = Guid.CreateVersion7(time.GetUtcNow()).ToString();
        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.RegistryWrite))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        if (!await LoadAsync(cancellationToken) || Chosen is null)
        {
            return NotFound();
        }
        // Only what was changed on the form is sent: a blank phone keeps the number (the page shows it masked).
        var current = Chosen.Members.Where(m => m.Person is not null).ToDictionary(m => m.PersonId, m => m.Person!);
        var updates = new List<VisitPersonUpdate>();
        foreach (var edit in Persons.Where(p => current.ContainsKey(p.Id)))
        {
            var was = current[edit.Id];
            var phone = string.IsNullOrWhiteSpace(edit.Phone) ? null : edit.Phone.Trim();
            var address = string.IsNullOrWhiteSpace(edit.Address) || edit.Address.Trim() == was.Address ? null : edit.Address.Trim();
            var tags = (edit.Tags ?? string.Empty).Split(TagSeparators, StringSplitOptions.RemoveEmptyEntries).ToList();
            var newTags = tags.SequenceEqual(was.Tags) ? null : tags;
            if (phone is not null || address is not null || newTags is not null)
            {
                updates.Add(new VisitPersonUpdate(edit.Id, phone, address, newTags));
            }
        }
        List<PersonInput>? added = null;
        if (!string.IsNullOrWhiteSpace(NewName))
        {
            var number = string.IsNullOrWhiteSpace(NewIdNumber) ? null : NewIdNumber.Trim();
            added = [new PersonInput(NewName, number is null ? DocumentType.None : DocumentType.IdCard, number, number is null ? NewSex : null, null,
                null, NewHouseholdType ?? HouseholdType.Registered, NewPhone, null, Chosen.Household.GridCode, [])];
        }
        var log = HttpContext.RequestServices.GetRequiredService<VisitLog>();
        var result = await log.RecordAsync(new VisitInput(Chosen.Household.Id, null, Notes, updates, added), Key, cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect($"/registry/visit?household={Chosen.Household.Id}&done=true");
        }
        Errors = result.Error!.Fields ?? Errors;
        Refusal = result.Error.Kind == ErrorKind.Validation ? null : result.Error.Message;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var book = HttpContext.RequestServices.GetRequiredService<ResidenceBook>();
        if (Household is { } id)
        {
            var found = await book.GetHouseholdAsync(id, cancellationToken);
            if (!found.IsSuccess)
            {
                return false;
            }
            Chosen = found.Value;
            return true;
        }
        var page = await book.ListHouseholdsAsync(null, null, Math.Max(1, PageNumber), PageSize, cancellationToken);
        Households = page.IsSuccess ? page.Value : null;
        return true;
    }
}
