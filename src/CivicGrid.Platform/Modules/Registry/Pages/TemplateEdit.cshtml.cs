using System.Globalization;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;
using CivicGrid.Modules.Registry.Templates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Registry.Pages;

/// <summary>
/// <c>/registry/templates/edit/{id?}</c>: a plain form for a template (name, division, filter, columns as
/// rows of kind/key/header and, for extra fields, type, choices and required), posted to the same use
/// cases as the API. A few blank column rows stand ready; a row without a key is ignored.
/// </summary>
public sealed class TemplateEditModel(ICaller caller) : PageModel
{
    private TemplateDirectory Directory => HttpContext.RequestServices.GetRequiredService<TemplateDirectory>();

    /// <summary>Blank column rows offered below the defined ones.</summary>
    public const int BlankRows = 4;

    private static readonly char[] Separators = [',', '，', '、', ' ', ';', '；'];

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? OwnerCode { get; set; }

    [BindProperty]
    public string? DepartmentCode { get; set; }

    [BindProperty]
    public string? TagsAll { get; set; }

    [BindProperty]
    public string? TagsAny { get; set; }

    [BindProperty]
    public int? AgeMin { get; set; }

    [BindProperty]
    public int? AgeMax { get; set; }

    [BindProperty]
    public Sex? Sex { get; set; }

    [BindProperty]
    public HouseholdType? HouseholdType { get; set; }

    [BindProperty]
    public List<ColumnForm> Columns { get; set; } = [];

    /// <summary>Field errors of the last post.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>A message for the whole form (forbidden, duplicate).</summary>
    public string? Message { get; private set; }

    /// <summary>True when an existing template is edited.</summary>
    public bool Editing => RouteData.Values["id"] is not null;

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.RegistryTemplates))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        if (id is { } existing)
        {
            var found = await Directory.GetAsync(existing, cancellationToken);
            if (!found.IsSuccess)
            {
                return NotFound();
            }
            var t = found.Value;
            (Name, Description, OwnerCode, DepartmentCode) = (t.Name, t.Description, t.OwnerCode, t.DepartmentCode);
            (TagsAll, TagsAny) = (string.Join("、", t.Filter.TagsAll ?? []), string.Join("、", t.Filter.TagsAny ?? []));
            (AgeMin, AgeMax, Sex, HouseholdType) = (t.Filter.AgeMin, t.Filter.AgeMax, t.Filter.Sex, t.Filter.HouseholdType);
            Columns = [.. t.Columns.Select(c => new ColumnForm
            {
                Kind = c.Kind, Key = c.Key, Header = c.Header, Type = c.Type, Choices = string.Join("、", c.Choices ?? []), Required = c.Required,
            })];
        }
        else
        {
            OwnerCode = caller.Grants.FirstOrDefault(g => Capabilities.RoleHas(g.Role, Capabilities.RegistryTemplates))?.JurisdictionCode;
        }
        Pad();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.RegistryTemplates))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var columns = Columns.Where(c => !string.IsNullOrWhiteSpace(c.Key)).ToList();
        var input = new ReportTemplateInput(Name, Description, OwnerCode, DepartmentCode,
            new TemplateFilterInput(Split(TagsAll), Split(TagsAny), AgeMin, AgeMax, Sex, HouseholdType),
            [.. columns.Select(c => new TemplateColumnInput(c.Kind, c.Key, c.Header,
                c.Kind == ColumnKinds.Extra ? c.Type : null, c.Kind == ColumnKinds.Extra ? Split(c.Choices) : null,
                c.Kind == ColumnKinds.Extra ? c.Required : null))]);
        var result = id is { } existing
            ? await Directory.UpdateAsync(existing, input, cancellationToken)
            : await Directory.CreateAsync(input, cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect($"/registry/templates/{result.Value.Id}");
        }
        if (result.Error!.Kind == ErrorKind.NotFound)
        {
            return NotFound();
        }
        Errors = result.Error.Fields ?? new Dictionary<string, string[]>();
        Message = result.Error.Kind == ErrorKind.Validation ? null : result.Error.Message;
        Columns = columns;
        Pad();
        return Page();
    }

    /// <summary>The messages of a field, or null.</summary>
    public string? ErrorOf(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>The messages of a column (any of its parts), or null.</summary>
    public string? ColumnError(int index)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"columns[{index}]");
        var messages = Errors.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).SelectMany(e => e.Value).ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    private void Pad()
    {
        for (var i = 0; i < BlankRows; i++)
        {
            Columns.Add(new ColumnForm());
        }
    }

    private static List<string>? Split(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : [.. text.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>One column row of the form.</summary>
    public sealed class ColumnForm
    {
        public string? Kind { get; set; } = ColumnKinds.Field;

        public string? Key { get; set; }

        public string? Header { get; set; }

        public string? Type { get; set; }

        public string? Choices { get; set; }

        public bool Required { get; set; }
    }
}
