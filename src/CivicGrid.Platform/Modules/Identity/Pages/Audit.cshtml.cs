using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Identity.Audit;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Identity.Pages;

/// <summary><c>/audit</c>: auditors search the audit log, export it and verify its chain (capability <c>audit.read</c>).</summary>
public sealed class AuditModel(ICaller caller, IAuditLog log, LocalTime time) : PageModel
{
    /// <summary>This page's name, for links.</summary>
    public const string PageName = "/Modules/Identity/Pages/Audit";

    /// <summary>Records per page.</summary>
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Target { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The matching records; null when the filter was invalid.</summary>
    public Paged<AuditRecordView>? Records { get; private set; }

    /// <summary>Field errors of the filter.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>The result of the chain check, after the verify button.</summary>
    public AuditVerification? Verification { get; private set; }

    /// <summary>Pages of results.</summary>
    public int PageCount => Records is null ? 0 : Math.Max(1, (Records.Total + Records.PageSize - 1) / Records.PageSize);

    /// <summary>The export link with the current filter.</summary>
    public string ExportUrl { get; private set; } = "/api/v1/audit/export";

    /// <summary>An instant in the configured zone, as people read it.</summary>
    public string Local(DateTimeOffset instant) =>
        time.ToLocal(instant).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>This page with the current filter and another page number.</summary>
    public string PageUrl(int page) => QueryHelpers.AddQueryString("/audit", Filter().Append(new("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.AuditRead))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        Verification = await log.VerifyAsync(cancellationToken);
        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.AuditRead))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var filter = AuditFilter.Parse(Actor, Action, Target, From, To, Q, time.Zone);
        if (!filter.IsSuccess)
        {
            Errors = filter.Error!.Fields ?? new Dictionary<string, string[]>();
            return Page();
        }
        ExportUrl = QueryHelpers.AddQueryString("/api/v1/audit/export", filter.Value.ToQuery());
        var search = HttpContext.RequestServices.GetRequiredService<AuditSearch>();
        var result = await search.SearchAsync(filter.Value, new PageRequest(Math.Max(1, PageNumber), PageSize), cancellationToken);
        if (!result.IsSuccess)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        Records = result.Value;
        return Page();
    }

    private IEnumerable<KeyValuePair<string, string?>> Filter() =>
        new (string Key, string? Value)[] { ("actor", Actor), ("action", Action), ("target", Target), ("from", From), ("to", To), ("q", Q) }
            .Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => new KeyValuePair<string, string?>(p.Key, p.Value));
}
