using CivicGrid.Modules.Geography.Contracts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CivicGrid.Web.Pages;

/// <summary>The home page: what the platform holds at a glance.</summary>
public sealed class IndexModel(IDivisionDirectory divisions) : PageModel
{
    /// <summary>Divisions stored (province to community).</summary>
    public int Divisions { get; private set; }

    /// <summary>Grids drawn.</summary>
    public int Grids { get; private set; }

    /// <summary>Micro-grids drawn.</summary>
    public int MicroGrids { get; private set; }

    /// <summary>Loads the counts.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // Counted within the caller's jurisdiction (the data scope); an anonymous visitor sees none.
        if (User.Identity?.IsAuthenticated != true)
        {
            return;
        }
        var counts = await divisions.CountByLevelAsync(cancellationToken);
        Divisions = counts.Where(c => c.Key <= DivisionLevel.Community).Sum(c => c.Value);
        Grids = counts.GetValueOrDefault(DivisionLevel.Grid);
        MicroGrids = counts.GetValueOrDefault(DivisionLevel.MicroGrid);
    }
}
