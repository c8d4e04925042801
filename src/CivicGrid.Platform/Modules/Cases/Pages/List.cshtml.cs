using System.Globalization;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Cases.Pages;

/// <summary>
/// <c>/cases</c>: the inbox. "My cases" (what waits for the caller's roles), everything, or the
/// overdue, with their traffic lights and due times; filters by state, area, light, category and
/// text; paged as a list, or the filtered cases as points on a map.
/// </summary>
public sealed class ListModel(ICaller caller, LocalTime time, IConfiguration configuration) : PageModel
{
    /// <summary>Rows per page: few, for a phone on a weak link.</summary>
    public const int PageSize = 20;

    /// <summary>The list view.</summary>
    public const string ListView = "list";

    /// <summary>The map view.</summary>
    public const string MapView = "map";

    [BindProperty(SupportsGet = true)]
    public string? Queue { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Within { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Light { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? View { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The page of cases (list view); null when the filter was invalid or on the map.</summary>
    public Paged<CaseRow>? Cases { get; private set; }

    /// <summary>The filtered cases' points (map view).</summary>
    public IReadOnlyList<CaseRow>? Points { get; private set; }

    /// <summary>Category names by code.</summary>
    public IReadOnlyDictionary<string, string> CategoryNames { get; private set; } = new Dictionary<string, string>();

    /// <summary>The 大类 and 小类 for the filter.</summary>
    public IReadOnlyList<CaseCategoryView> Categories { get; private set; } = [];

    /// <summary>Field errors of the filter.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>The queue shown.</summary>
    public string CurrentQueue => Queue ?? CaseQueues.Mine;

    /// <summary>True on the map view.</summary>
    public bool OnMap => View == MapView;

    /// <summary>True when the caller may report (the patrol form).</summary>
    public bool CanReport => caller.CanAnywhere(Capabilities.CasesReport);

    /// <summary>True when the caller takes 12345 calls.</summary>
    public bool CanTakeCalls => caller.CanAnywhere(Capabilities.CasesHotline);

    /// <summary>Pages of results.</summary>
    public int PageCount => Cases is null ? 0 : Math.Max(1, (Cases.Total + Cases.PageSize - 1) / Cases.PageSize);

    /// <summary>The base map settings.</summary>
    public (string? TileUrl, string? Attribution, int MaxZoom) Map => CasePages.MapSettings(configuration);

    /// <summary>The boundary under the map.</summary>
    public string? AreaUrl => CasePages.AreaUrl(caller);

    /// <summary>An instant as people read it.</summary>
    public string Local(DateTimeOffset instant) => CasePages.Local(time, instant);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var queries = HttpContext.RequestServices.GetRequiredService<CaseQueries>();
        Categories = await queries.CategoriesAsync(cancellationToken);
        CategoryNames = Categories.ToDictionary(c => c.Code, c => c.Name, StringComparer.Ordinal);
        var inbox = HttpContext.RequestServices.GetRequiredService<CaseInbox>();
        var filter = new CaseFilter(CasePages.Blank(Queue), CasePages.Blank(State), CasePages.Blank(Within), CasePages.Blank(Light),
            CasePages.Blank(Category), CasePages.Blank(Q), Math.Max(1, PageNumber), PageSize);
        if (OnMap)
        {
            var points = await inbox.PointsAsync(filter, cancellationToken);
            Errors = points.Error?.Fields ?? Errors;
            Points = points.IsSuccess ? points.Value : null;
        }
        else
        {
            var page = await inbox.ListAsync(filter, cancellationToken);
            Errors = page.Error?.Fields ?? Errors;
            Cases = page.IsSuccess ? page.Value : null;
        }
        return Page();
    }

    /// <summary>This page with the current filter, changing some of it (null removes a key).</summary>
    public string FilterUrl(params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["queue"] = Queue,
            ["state"] = State,
            ["within"] = Within,
            ["light"] = Light,
            ["category"] = Category,
            ["q"] = Q,
            ["view"] = View,
        };
        foreach (var (key, value) in changes)
        {
            values[key] = value;
        }
        return QueryHelpers.AddQueryString(CasePages.ListPath,
            values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)));
    }

    /// <summary>A page number of this list.</summary>
    public string PageUrl(int page) => FilterUrl(("page", page.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The points for the map as JSON.</summary>
    public string PointsJson() => CasePages.ToJson((Points ?? []).Select(p => new
    {
        id = p.Case.Id,
        number = p.Case.Number,
        lon = p.Lon,
        lat = p.Lat,
        light = p.Case.Light,
        state = p.Case.State,
        category = CategoryNames.GetValueOrDefault(p.Case.CategoryCode, p.Case.CategoryCode),
        url = CasePages.DetailPath(p.Case.Id),
    }));
}
