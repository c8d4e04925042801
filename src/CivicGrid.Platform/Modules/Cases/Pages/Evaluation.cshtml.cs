using System.Globalization;
using System.Text;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Queries;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CivicGrid.Modules.Cases.Pages;

/// <summary>
/// <c>/evaluation</c>: 综合评价 of a division for a period, in total and per division one level
/// down (drill-down to the grid), department, person or category, with a bar chart drawn on the
/// server (no script). Needs <c>dashboard.read</c> over the division.
/// </summary>
internal sealed class EvaluationModel(CaseEvaluation evaluation, ICaller caller) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Within { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? By { get; set; }

    public CaseEvaluationReport? Report { get; private set; }

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>The division above, when the caller may evaluate it too.</summary>
    public string? Up { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!caller.CanAnywhere(Capabilities.DashboardRead))
        {
            return Forbid();
        }
        var result = await evaluation.HandleAsync(Within, From, To, By, cancellationToken);
        if (!result.IsSuccess)
        {
            switch (result.Error!.Kind)
            {
                case ErrorKind.NotFound:
                    return NotFound();
                case ErrorKind.Forbidden:
                    return Forbid();
                default:
                    Errors = result.Error.Fields ?? new Dictionary<string, string[]>();
                    return Page();
            }
        }
        Report = result.Value;
        var parent = DivisionCode.ParentOf(Report.Within);
        Up = parent is not null && caller.Can(Capabilities.DashboardRead, parent) ? parent : null;
        return Page();
    }

    /// <summary>
    /// One bar per row: the cases received (its length, light) and the share of them closed on time
    /// (the dark part), drawn on the server as SVG so the page needs no script.
    /// </summary>
    public string ChartSvg(string label, string onTimeLabel)
    {
        var rows = Report?.Rows ?? [];
        const int barHeight = 22;
        var max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => r.Received));
        var height = rows.Count * (barHeight + 6) + 8;
        static string E(string s) => System.Net.WebUtility.HtmlEncode(s);
        static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"evaluation-chart\" role=\"img\" aria-label=\"{E(label)}\" viewBox=\"0 0 1000 {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var y = 4 + i * (barHeight + 6);
            var w = 600.0 * r.Received / max;
            var onTime = r.Received == 0 ? 0 : w * (r.ClosedOnTimeRate ?? 0) * r.Closed / r.Received;
            var name = r.Name.Length > 14 ? r.Name[..14] + "…" : r.Name;
            var rate = CaseFiguresFormat.Percent(r.ClosedOnTimeRate);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 16}\" font-size=\"14\">{E(name)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"220\" y=\"{y}\" width=\"{N(Math.Max(1, w))}\" height=\"{barHeight}\" fill=\"#9ec5fe\"><title>{E(r.Name)}: {r.Received}</title></rect>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"220\" y=\"{y}\" width=\"{N(onTime)}\" height=\"{barHeight}\" fill=\"#0d6efd\"><title>{E(onTimeLabel)} {rate}</title></rect>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{N(226 + w)}\" y=\"{y + 16}\" font-size=\"13\">{r.Received} · {rate}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>True when a row of the division grouping can be drilled into (not yet the grid).</summary>
    public bool CanDrill(string key) => Report?.By == "division" && key.Length < 15;
}
