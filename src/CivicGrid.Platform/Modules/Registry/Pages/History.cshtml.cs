using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.History;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Registry.Pages;

/// <summary><c>/registry/history/{recordId}</c>: the field changes of one registry record (capability <c>registry.read</c>).</summary>
public sealed class HistoryModel(ICaller caller, LocalTime time) : PageModel
{
    /// <summary>Changes per page.</summary>
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public Guid RecordId { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    internal Paged<RegistryChangeView>? Changes { get; private set; }

    /// <summary>Pages of changes.</summary>
    public int PageCount => Changes is null ? 0 : Math.Max(1, (Changes.Total + Changes.PageSize - 1) / Changes.PageSize);

    /// <summary>An instant in the configured zone.</summary>
    public string Local(DateTimeOffset instant) =>
        time.ToLocal(instant).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.RegistryRead))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var history = HttpContext.RequestServices.GetRequiredService<RegistryHistory>();
        var result = await history.ListAsync(RecordId, null, Math.Max(1, PageNumber), PageSize, cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFound();
        }
        Changes = result.Value;
        return Page();
    }

    /// <summary>The operation in words.</summary>
    public static string OperationName(string operation) => operation switch
    {
        RegistryChange.Created => "新建",
        RegistryChange.Deleted => "删除",
        _ => "修改",
    };
}
