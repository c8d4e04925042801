using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Intake;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Cases.Pages;

/// <summary>
/// <c>/cases/new</c>, a patrol report (巡查上报), and <c>/cases/hotline</c>, the 12345 operator's
/// form that also records the caller: one form posted to <see cref="ReportCase"/>, as the API does.
/// A hidden idempotency key makes a form sent twice over a weak link one case.
/// </summary>
public sealed class ReportModel(ICaller caller, IConfiguration configuration) : PageModel
{
    /// <summary>The patrol report.</summary>
    public const string New = "new";

    /// <summary>The 12345 hotline intake.</summary>
    public const string Hotline = "hotline";

    /// <summary>Which form: <see cref="New"/> or <see cref="Hotline"/> (the route's last segment).</summary>
    public string Kind => RouteData.Values["kind"] as string ?? New;

    [BindProperty]
    public string? CategoryCode { get; set; }

    [BindProperty]
    public double? Lon { get; set; }

    [BindProperty]
    public double? Lat { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public List<Guid> PhotoIds { get; set; } = [];

    [BindProperty]
    public string? ReporterName { get; set; }

    [BindProperty]
    public string? ReporterPhone { get; set; }

    [BindProperty]
    public string? IdempotencyKey { get; set; }

    /// <summary>True on the hotline form.</summary>
    public bool IsHotline => Kind == Hotline;

    /// <summary>The 大类 with their 小类, for the select.</summary>
    public IReadOnlyList<(CaseCategoryView Group, IReadOnlyList<CaseCategoryView> Items)> Categories { get; private set; } = [];

    /// <summary>Field errors of the last post.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>A message for the whole form (forbidden, say).</summary>
    public string? Message { get; private set; }

    /// <summary>The boundary drawn under the picking map.</summary>
    public string? AreaUrl => CasePages.AreaUrl(caller);

    /// <summary>The base map settings.</summary>
    public (string? TileUrl, string? Attribution, int MaxZoom) Map => CasePages.MapSettings(configuration);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        IdempotencyKey = Guid.NewGuid().ToString("N");
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Allowed())
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var description = Description?.Trim();
        if (IsHotline && !string.IsNullOrWhiteSpace(Address))
        {
            // The address the caller gave goes with his words; the point places the case.
            description = $"{Address.Trim()}：{description}";
        }
        var request = new ReportCaseRequest(CategoryCode, Lon, Lat, description, PhotoIds.Count > 0 ? PhotoIds : null,
            IsHotline ? CaseChannels.Hotline : CaseChannels.Patrol,
            IsHotline ? CasePages.Blank(ReporterName) : null, IsHotline ? CasePages.Blank(ReporterPhone) : null);
        var useCase = HttpContext.RequestServices.GetRequiredService<ReportCase>();
        var result = await useCase.HandleAsync(request, CasePages.Blank(IdempotencyKey), cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect(CasePages.DetailPath(result.Value.Case.Id));
        }
        Errors = result.Error!.Fields ?? new Dictionary<string, string[]>();
        Message = result.Error.Kind == ErrorKind.Validation ? null : result.Error.Message;
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>The messages of a field, or null.</summary>
    public string? ErrorOf(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private bool Allowed() => Kind switch
    {
        New => caller.CanAnywhere(Capabilities.CasesReport),
        Hotline => caller.CanAnywhere(Capabilities.CasesHotline),
        _ => false,
    };

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var queries = HttpContext.RequestServices.GetRequiredService<CaseQueries>();
        var all = await queries.CategoriesAsync(cancellationToken);
        Categories = [.. all.Where(c => c.ParentCode is null)
            .Select(g => (g, (IReadOnlyList<CaseCategoryView>)[.. all.Where(c => c.ParentCode == g.Code)]))];
    }
}
