using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Organizations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Registry.Pages;

/// <summary><c>/registry/objects?type=organizations|places|components</c>: the caller's organizations, key places or components (registry.read).</summary>
public sealed class ObjectsModel(ICaller caller) : PageModel
{
    /// <summary>Rows per page.</summary>
    public const int PageSize = 100;

    /// <summary>The kinds of list, with their titles.</summary>
    public static readonly IReadOnlyList<(string Type, string Title)> Types =
        [("organizations", "组织"), ("places", "重点场所"), ("components", "部件")];

    [BindProperty(SupportsGet = true)]
    public string Type { get; set; } = "organizations";

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>One row as the table shows it.</summary>
    public sealed record Row(Guid Id, string Name, string Kind, string GridCode, string? Address, string UpdatedBy);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int Total { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.RegistryRead))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var services = HttpContext.RequestServices;
        switch (Type)
        {
            case "places":
                var places = await services.GetRequiredService<PlaceRecords>().ListAsync(null, Q, null, 1, PageSize, cancellationToken);
                (Rows, Total) = ([.. places.Value.Items.Select(p => new Row(p.Id, p.Name, p.Kind.ToString(), p.GridCode, p.Address, p.UpdatedBy))],
                    places.Value.Total);
                break;
            case "components":
                var components = await services.GetRequiredService<ComponentRecords>().ListAsync(null, Q, null, 1, PageSize, cancellationToken);
                (Rows, Total) = ([.. components.Value.Items.Select(c => new Row(c.Id, c.Name, $"{c.Class} · {c.Subclass} · {c.Status}", c.GridCode,
                    c.Address, c.UpdatedBy))], components.Value.Total);
                break;
            default:
                Type = "organizations";
                var organizations = await services.GetRequiredService<OrganizationRecords>().ListAsync(null, Q, null, 1, PageSize, cancellationToken);
                (Rows, Total) = ([.. organizations.Value.Items.Select(o => new Row(o.Id, o.Name, o.Kind.ToString(), o.GridCode, o.Address,
                    o.UpdatedBy))], organizations.Value.Total);
                break;
        }
        return Page();
    }
}
