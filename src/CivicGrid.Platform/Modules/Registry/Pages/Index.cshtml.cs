using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CivicGrid.Modules.Registry.Pages;

/// <summary><c>/registry</c>: the base data's pages, each shown to those whose roles may use it.</summary>
public sealed class IndexModel(ICaller caller) : PageModel
{
    public bool CanRead => caller.CanAnywhere(Capabilities.RegistryRead);

    public bool CanWrite => caller.CanAnywhere(Capabilities.RegistryWrite);

    public bool CanTemplates => CanRead || caller.CanAnywhere(Capabilities.RegistryTemplates);

    public bool CanSpecial => caller.CanAnywhere(Capabilities.RegistrySpecial);
}
