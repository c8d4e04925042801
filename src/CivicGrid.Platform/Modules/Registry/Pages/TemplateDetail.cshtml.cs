using System.Globalization;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Templates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Registry.Pages;

/// <summary>
/// <c>/registry/templates/{id}</c>: the template filled for a division, paged; the .xlsx export; the
/// to-do per grid (persons still missing a required extra field).
/// </summary>
public sealed class TemplateDetailModel(ICaller caller) : PageModel
{
    private TemplateDirectory Directory => HttpContext.RequestServices.GetRequiredService<TemplateDirectory>();

    private TemplateFill Fill => HttpContext.RequestServices.GetRequiredService<TemplateFill>();

    /// <summary>Rows per page.</summary>
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)]
    public string? Within { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    internal ReportTemplateView? Template { get; private set; }

    internal TemplateRows? Rows { get; private set; }

    internal TemplateTodo? Todo { get; private set; }

    /// <summary>Why the rows could not be filled (a bad division), when they could not.</summary>
    public string? Message { get; private set; }

    /// <summary>True when the caller may change the definition.</summary>
    public bool CanEdit => Template is { } t && caller.Can(Capabilities.RegistryTemplates, t.OwnerCode);

    /// <summary>Pages of rows.</summary>
    public int PageCount => Rows is null ? 0 : Math.Max(1, (Rows.Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var reads = caller.CanAnywhere(Capabilities.RegistryRead);
        if (!reads && !caller.CanAnywhere(Capabilities.RegistryTemplates))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var found = await Directory.GetAsync(id, cancellationToken);
        if (!found.IsSuccess)
        {
            return NotFound();
        }
        Template = found.Value;
        if (!reads)
        {
            // A department officer defines the form; the division's staff fill it.
            return Page();
        }
        var within = string.IsNullOrWhiteSpace(Within) ? null : Within.Trim();
        var rows = await Fill.RowsAsync(id, within, Math.Max(1, PageNumber), PageSize, cancellationToken);
        if (!rows.IsSuccess)
        {
            Message = rows.Error!.Fields is { } fields ? string.Join(" ", fields.SelectMany(f => f.Value)) : rows.Error.Message;
            return Page();
        }
        Rows = rows.Value;
        var todo = await Fill.TodoAsync(id, within, cancellationToken);
        Todo = todo.IsSuccess ? todo.Value : null;
        return Page();
    }

    /// <summary>The export of the shown division.</summary>
    public string ExportUrl => QueryHelpers.AddQueryString($"/api/v1/report-templates/{Template!.Id}/export.xlsx", "within", Rows?.Within ?? Template.OwnerCode);

    /// <summary>Another page of the same division.</summary>
    public string PageUrl(int page) => QueryHelpers.AddQueryString($"/registry/templates/{Template!.Id}",
        new Dictionary<string, string?> { ["within"] = Within, ["page"] = page.ToString(CultureInfo.InvariantCulture) }
            .Where(p => !string.IsNullOrWhiteSpace(p.Value)));

    /// <summary>A cell as text.</summary>
    public static string Text(object? cell) => cell switch
    {
        null => string.Empty,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.CurrentCulture),
        _ => cell.ToString() ?? string.Empty,
    };
}
