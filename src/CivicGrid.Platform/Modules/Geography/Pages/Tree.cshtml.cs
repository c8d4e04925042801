using CivicGrid.Infrastructure.Api;
using CivicGrid.Modules.Geography.Divisions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CivicGrid.Modules.Geography.Pages;

/// <summary><c>/geo</c>: the division tree, one level at a time, with counts below each child, and a name search.</summary>
public sealed class TreeModel(DivisionTree tree) : PageModel
{
    /// <summary>This page's name, for links (<c>asp-page</c>).</summary>
    public const string PageName = "/Modules/Geography/Pages/Tree";

    /// <summary>Search results per page.</summary>
    public const int SearchPageSize = 20;

    /// <summary>Longest search text.</summary>
    public const int MaxSearchLength = 50;

    /// <summary>The branch shown (the provinces when no code is given); null while searching.</summary>
    public DivisionBranch? Branch { get; private set; }

    /// <summary>The search text, trimmed; null when not searching.</summary>
    public string? Query { get; private set; }

    /// <summary>A page of search results; null when not searching.</summary>
    public Paged<DivisionHit>? Hits { get; private set; }

    /// <summary>Pages of search results.</summary>
    public int PageCount => Hits is null ? 0 : Math.Max(1, (Hits.Total + Hits.PageSize - 1) / Hits.PageSize);

    /// <summary>Shows the branch at <paramref name="code"/>, or searches when <paramref name="q"/> is given.</summary>
    public async Task<IActionResult> OnGetAsync(string? code, string? q, int? page, CancellationToken cancellationToken)
    {
        Query = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (Query is not null)
        {
            if (Query.Length > MaxSearchLength)
            {
                Query = Query[..MaxSearchLength];
            }
            var paging = PageRequest.From(page is null or < 1 ? 1 : page, SearchPageSize);
            Hits = await tree.SearchAsync(Query, paging.Value, cancellationToken);
            return Page();
        }
        Branch = await tree.BranchAsync(string.IsNullOrWhiteSpace(code) ? null : code.Trim(), cancellationToken);
        return Branch is null ? NotFound() : Page();
    }
}
