using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Templates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Registry.Pages;

/// <summary><c>/registry/templates</c>: the 一表通 templates the caller sees, and a link to define one.</summary>
public sealed class TemplatesModel(ICaller caller) : PageModel
{
    private TemplateDirectory Directory => HttpContext.RequestServices.GetRequiredService<TemplateDirectory>();

    internal IReadOnlyList<ReportTemplateView> Templates { get; private set; } = [];

    /// <summary>True when the caller may define templates.</summary>
    public bool CanDefine => caller.CanAnywhere(Capabilities.RegistryTemplates);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.RegistryRead) && !CanDefine)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        Templates = await Directory.ListAsync(cancellationToken);
        return Page();
    }
}
