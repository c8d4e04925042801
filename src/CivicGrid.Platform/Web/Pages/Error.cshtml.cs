using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CivicGrid.Web.Pages;

/// <summary>The Chinese error page for pages (the API answers problems instead).</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    /// <summary>The HTTP status shown.</summary>
    public int Status { get; private set; }

    /// <summary>The trace id, to quote to an administrator.</summary>
    public string TraceId { get; private set; } = string.Empty;

    /// <summary>Shows the error with its status.</summary>
    public void OnGet(int? status) => Show(status);

    /// <summary>Error pages re-executed from a POST.</summary>
    public void OnPost(int? status) => Show(status);

    private void Show(int? status)
    {
        Status = status ?? 500;
        Response.StatusCode = Status;
        TraceId = Activity.Current?.TraceId.ToString() ?? HttpContext.TraceIdentifier;
    }
}
