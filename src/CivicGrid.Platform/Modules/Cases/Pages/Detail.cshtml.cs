using CivicGrid.Infrastructure.Errors;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Cases.Intake;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Cases.Workflow;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CivicGrid.Modules.Cases.Pages;

/// <summary>
/// <c>/cases/{id}</c>: a case's facts, its timeline, a small map, its photos and the steps the
/// caller may take now, each a small form posted to <see cref="ActOnCase"/> (the API's use case).
/// A step refused because the case moved meanwhile is shown with the case as it now stands.
/// </summary>
public sealed class DetailModel(ICaller caller, LocalTime time, IConfiguration configuration, IStringLocalizer<SharedResource> texts) : PageModel
{
    /// <summary>The actions whose form asks for a reason.</summary>
    public static readonly IReadOnlySet<string> NeedReason = new HashSet<string>(StringComparer.Ordinal)
    {
        CaseWorkflow.Reject, CaseWorkflow.Return, CaseWorkflow.Escalate, CaseWorkflow.Decline,
    };

    /// <summary>The follow-up ratings.</summary>
    public static IReadOnlyList<string> Satisfactions => CaseWorkflow.Satisfactions;

    /// <summary>The action of the form posted.</summary>
    [BindProperty]
    public string? Action { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Assignee { get; set; }

    [BindProperty]
    public string? Satisfaction { get; set; }

    /// <summary>The step just taken (after the redirect), for the success message.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public CaseDetail Case { get; private set; } = null!;

    /// <summary>The reporter's phone, masked; null when none was recorded.</summary>
    public string? MaskedPhone { get; private set; }

    /// <summary>The clear phone, after an audited unmask.</summary>
    public string? ClearPhone { get; private set; }

    /// <summary>True when the caller may unmask the phone.</summary>
    public bool CanUnmask { get; private set; }

    /// <summary>The steps the caller may take now, in the order of the workflow table.</summary>
    public IReadOnlyList<string> Actions { get; private set; } = [];

    /// <summary>Field errors of the last form posted.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>Why the last step was refused (conflict, forbidden).</summary>
    public string? Refusal { get; private set; }

    /// <summary>Suggested assignees for a dispatch: the reporter, the category's department, the township.</summary>
    public IReadOnlyList<string> AssigneeSuggestions { get; private set; } = [];

    /// <summary>The base map settings.</summary>
    public (string? TileUrl, string? Attribution, int MaxZoom) Map => CasePages.MapSettings(configuration);

    /// <summary>An instant as people read it.</summary>
    public string Local(DateTimeOffset instant) => CasePages.Local(time, instant);

    /// <summary>The messages of a field of the form of <paramref name="action"/>, or null.</summary>
    public string? ErrorOf(string action, string field) =>
        action == Action && Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostActAsync(Guid id, CancellationToken cancellationToken)
    {
        var useCase = HttpContext.RequestServices.GetRequiredService<ActOnCase>();
        var body = new CaseActionRequest(CasePages.Blank(Note), CasePages.Blank(Reason), CasePages.Blank(Assignee), CasePages.Blank(Satisfaction));
        var result = await useCase.HandleAsync(id, Action ?? string.Empty, body, cancellationToken);
        if (result.IsSuccess)
        {
            // Post/redirect/get: a reload never sends the step again.
            return Redirect($"{CasePages.DetailPath(id)}?done={Uri.EscapeDataString(Action!)}");
        }
        var error = result.Error!;
        if (error.Kind == ErrorKind.NotFound && error.Code == "cases.not_found")
        {
            return NotFound();
        }
        Errors = error.Fields ?? new Dictionary<string, string[]>();
        // The page showed a step the case no longer allows: someone else moved it meanwhile.
        Refusal = error.Kind == ErrorKind.Validation ? null
            : error.Code == "cases.illegal_transition" ? texts["Cases.Moved"] : error.Message;
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostUnmaskAsync(Guid id, CancellationToken cancellationToken)
    {
        var phones = HttpContext.RequestServices.GetRequiredService<CaseReporterPhones>();
        var result = await phones.UnmaskAsync(id, Reason, HttpContext.TraceIdentifier, cancellationToken);
        if (!result.IsSuccess && result.Error!.Code == "cases.not_found")
        {
            return NotFound();
        }
        Action = "unmask";
        ClearPhone = result.IsSuccess ? result.Value : null;
        Errors = result.Error?.Fields ?? new Dictionary<string, string[]>();
        Refusal = result.Error is { Kind: not ErrorKind.Validation } refused ? refused.Message : null;
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var queries = HttpContext.RequestServices.GetRequiredService<CaseQueries>();
        var found = await queries.GetAsync(id, cancellationToken);
        if (!found.IsSuccess)
        {
            return false;
        }
        Case = found.Value;
        var phones = HttpContext.RequestServices.GetRequiredService<CaseReporterPhones>();
        MaskedPhone = await phones.MaskedAsync(id, cancellationToken);
        CanUnmask = MaskedPhone is not null && phones.CanUnmask(Case.GridCode);
        Actions = [.. CaseWorkflow.Transitions.Values
            .Where(t => t.From.Contains(Case.State) && caller.Can(t.Capability, Case.GridCode))
            .Select(t => t.Action)];
        var department = (await queries.CategoriesAsync(cancellationToken)).FirstOrDefault(c => c.Code == Case.CategoryCode)?.DepartmentCode;
        AssigneeSuggestions = [.. new[] { Case.Channel == CaseChannels.Patrol ? Case.ReporterName : null, department, Case.GridCode[..Math.Min(9, Case.GridCode.Length)] }
            .OfType<string>().Distinct(StringComparer.Ordinal)];
        return true;
    }
}
