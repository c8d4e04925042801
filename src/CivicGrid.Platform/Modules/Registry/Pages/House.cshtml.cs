using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Houses;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Registry.Pages;

/// <summary>
/// <c>/registry/houses/{id}</c>: a house, its households, current residents (with a move-out form
/// each) and past ones, a move-in form (find a person by name or initials first), its visits.
/// </summary>
public sealed class HouseModel(ICaller caller, LocalTime time) : PageModel
{
    /// <summary>A person to move in: the search's text, then the chosen person.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Find { get; set; }

    [BindProperty]
    public Guid? PersonId { get; set; }

    [BindProperty]
    public ResidenceRelation? Relation { get; set; }

    [BindProperty]
    public DateOnly? Day { get; set; }

    [BindProperty]
    public Guid? ResidenceId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    internal HouseDetail House { get; private set; } = null!;

    internal IReadOnlyList<PersonView> Found { get; private set; } = [];

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public string? Refusal { get; private set; }

    public bool CanWrite => caller.Can(Capabilities.RegistryWrite, House.House.GridCode);

    public string Local(DateTimeOffset instant) => time.ToLocal(instant).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public string? ErrorOf(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostMoveInAsync(Guid id, CancellationToken cancellationToken)
    {
        var book = HttpContext.RequestServices.GetRequiredService<ResidenceBook>();
        return await AfterAsync(id, await book.MoveInAsync(id, new MoveInInput(PersonId, Relation, Day, null), cancellationToken), "movein",
            cancellationToken);
    }

    public async Task<IActionResult> OnPostMoveOutAsync(Guid id, CancellationToken cancellationToken)
    {
        var book = HttpContext.RequestServices.GetRequiredService<ResidenceBook>();
        return await AfterAsync(id, await book.MoveOutAsync(ResidenceId ?? Guid.Empty, new MoveOutInput(Day), cancellationToken), "moveout",
            cancellationToken);
    }

    private async Task<IActionResult> AfterAsync<T>(Guid id, Result<T> result, string done, CancellationToken cancellationToken)
    {
        if (result.IsSuccess)
        {
            // Post/redirect/get: a reload never moves anyone twice.
            return Redirect($"/registry/houses/{id}?done={done}");
        }
        Errors = result.Error!.Fields ?? Errors;
        Refusal = result.Error.Kind == ErrorKind.Validation ? null : result.Error.Message;
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await HttpContext.RequestServices.GetRequiredService<HouseDirectory>().GetHouseAsync(id, cancellationToken);
        if (!found.IsSuccess)
        {
            return false;
        }
        House = found.Value;
        if (Find?.Trim() is { Length: > 0 } text)
        {
            var persons = HttpContext.RequestServices.GetRequiredService<PersonDirectory>();
            var page = await persons.ListAsync(null, text, null, null, null, 1, 10, cancellationToken);
            Found = page.IsSuccess ? page.Value.Items : [];
        }
        return true;
    }
}
