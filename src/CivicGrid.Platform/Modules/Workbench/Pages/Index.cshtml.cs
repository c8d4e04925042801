using System.Globalization;
using CivicGrid.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CivicGrid.Modules.Workbench.Pages;

/// <summary>
/// <c>/m/</c>: the grid worker's workbench, a shell the service worker keeps. It holds nothing of the
/// user (his day comes from <c>/api/v1/workbench/today</c>), so the same cached copy serves him
/// offline and after he signs in again; only the texts of the chosen language are in it.
/// </summary>
public sealed class IndexModel(IStringLocalizer<SharedResource> localizer) : PageModel
{
    private const string Prefix = "Workbench.";

    /// <summary>The case module's names the workbench shows as they are: states, lights, actions.</summary>
    private static readonly string[] Borrowed = ["Cases.State.", "Cases.Light.", "Cases.Action."];

    /// <summary>True when the English switch is on.</summary>
    public bool English => CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.Ordinal);

    /// <summary>The texts the scripts show, keyed without the <c>Workbench.</c> prefix.</summary>
    public IReadOnlyDictionary<string, string> Texts { get; private set; } = new Dictionary<string, string>();

    public IActionResult OnGet()
    {
        // The service worker's scope is /m/: /m alone would not be under it.
        if (!Request.Path.Value!.EndsWith('/'))
        {
            return LocalRedirect(WorkbenchModule.Path);
        }
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in localizer.GetAllStrings(includeParentCultures: true))
        {
            // The chosen culture's text comes first, the neutral (Chinese) one fills the gaps.
            if (text.Name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                texts.TryAdd(text.Name[Prefix.Length..], text.Value);
            }
            else if (Borrowed.Any(b => text.Name.StartsWith(b, StringComparison.Ordinal)))
            {
                texts.TryAdd(text.Name["Cases.".Length..], text.Value);
            }
        }
        Texts = texts;
        // The shell is the same for every user and is revalidated on each visit online.
        Response.Headers.CacheControl = "no-cache";
        return Page();
    }
}
