using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Import;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CivicGrid.Modules.Registry.Pages;

/// <summary>
/// <c>/registry/import</c>: upload a person ledger, map unknown headers, preview the first rows with
/// their problems, import with progress, download the rejected rows; export the persons list. The
/// page's script (wwwroot/js/ledger-import.js) calls <c>/api/v1/imports</c>.
/// </summary>
public sealed class ImportModel(ICaller caller) : PageModel
{
    /// <summary>The fields a column can be mapped to, with their usual header.</summary>
    public static IReadOnlyList<(string Field, string Label)> Fields { get; } =
        [.. Enum.GetValues<LedgerField>().Select(f => (LedgerColumns.FieldName(f), LedgerColumns.Known.First(k => k.Value == f).Key))];

    /// <summary>The headers recognised without a mapping.</summary>
    public static IReadOnlyList<string> KnownHeaders => [.. LedgerColumns.Known.Keys];

    public IActionResult OnGet() =>
        caller.CanAnywhere(Capabilities.RegistryWrite) ? Page() : StatusCode(StatusCodes.Status403Forbidden);
}
