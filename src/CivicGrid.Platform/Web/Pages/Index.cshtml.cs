using CivicGrid.Modules.Geography.Contracts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CivicGrid.Web.Pages;

/// <summary>The home page: what the platform holds at a glance.</summary>
public sealed class IndexModel(IDivisionDirectory divisions) : PageModel
{
    /// <summary>Divisions stored (province to community).</summary>
    public int Divisions { get; private set; }

    /// <summary>Loads the counts.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Divisions = await divisions.CountAsync(cancellationToken);
}
