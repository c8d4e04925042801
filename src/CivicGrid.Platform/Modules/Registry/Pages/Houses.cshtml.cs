using System.Globalization;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Contracts;
using CivicGrid.Modules.Registry.Houses;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Registry.Pages;

/// <summary><c>/registry/houses</c>: the houses of the caller's jurisdictions, filtered by area, words and use, paged for a phone.</summary>
public sealed class HousesModel(ICaller caller) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)]
    public string? Within { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public HouseUse? Use { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    internal Paged<HouseView>? Houses { get; private set; }

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public int PageCount => Houses is null ? 0 : Math.Max(1, (Houses.Total + Houses.PageSize - 1) / Houses.PageSize);

    public bool CanVisit => caller.CanAnywhere(Capabilities.RegistryWrite);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.RegistryRead))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var houses = HttpContext.RequestServices.GetRequiredService<HouseDirectory>();
        var result = await houses.ListHousesAsync(Within, Q, Use, null, null, Math.Max(1, PageNumber), PageSize, cancellationToken);
        Houses = result.IsSuccess ? result.Value : null;
        Errors = result.Error?.Fields ?? (result.Error is { } error ? new Dictionary<string, string[]> { ["within"] = [error.Message] } : Errors);
        return Page();
    }

    public string PageUrl(int page) => QueryHelpers.AddQueryString("/registry/houses", new Dictionary<string, string?>
    {
        ["within"] = Within,
        ["q"] = Q,
        ["use"] = Use?.ToString(),
        ["page"] = page.ToString(CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrWhiteSpace(p.Value)));
}
