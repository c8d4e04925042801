using System.Text.Encodings.Web;
using System.Text.Json;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Divisions;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CivicGrid.Modules.Geography.Pages;

/// <summary>
/// <c>/geo/map/{code}</c>: a division's children on a Leaflet map, with details on click and
/// boundary editing for grids. The page only renders the frame; geo-map.js asks the GeoJSON API
/// for the shapes, with the URLs, settings and texts it is given here as data- attributes.
/// </summary>
public sealed class MapModel(DivisionTree tree, IConfiguration configuration, IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>This page's name, for links (<c>asp-page</c>).</summary>
    public const string PageName = "/Modules/Geography/Pages/Map";

    /// <summary>The division shown when none is asked for (<c>Map:DefaultCode</c>): the demo district.</summary>
    public const string DefaultCode = "150203";

    /// <summary>Stands for a division code in the URL templates handed to the script.</summary>
    public const string CodePlaceholder = "__CODE__";

    // Above the county level the shapes are real outlines with many vertices; nobody edits them here.
    private const double CoarseSimplifyMetres = 50;

    private static readonly JsonSerializerOptions TextJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The division whose children are drawn.</summary>
    public DivisionPlace Place { get; private set; } = null!;

    /// <summary>XYZ raster tiles (<c>Map:TileUrl</c>); none: a plain background.</summary>
    public string? TileUrl { get; private set; }

    /// <summary>The tiles' attribution (<c>Map:TileAttribution</c>).</summary>
    public string? TileAttribution { get; private set; }

    /// <summary>The deepest zoom (<c>Map:MaxZoom</c>, default 18 with tiles, 20 without).</summary>
    public int MaxZoom { get; private set; }

    /// <summary>Whether the children drawn here can have their boundaries edited (grids and micro-grids).</summary>
    public bool CanEdit => Place.Division.Level >= DivisionLevel.Community
        && HttpContext.RequestServices.GetRequiredService<ICaller>().Can(Capabilities.GeoEdit, Place.Division.Code);

    /// <summary>Levels whose boundaries the page lets a user redraw.</summary>
    public static string EditableLevels => $"{DivisionLevel.Grid} {DivisionLevel.MicroGrid}";

    /// <summary>The <c>simplify</c> query for the children's shapes (metres), or null to draw them exactly.</summary>
    public double? Simplify => Place.Division.Level <= DivisionLevel.City ? CoarseSimplifyMetres : null;

    /// <summary>The texts the script shows, localized, as JSON.</summary>
    public string TextsJson { get; private set; } = "{}";

    /// <summary>Loads the division; 404 when the code is unknown.</summary>
    public async Task<IActionResult> OnGetAsync(string? code, CancellationToken cancellationToken)
    {
        code = string.IsNullOrWhiteSpace(code) ? configuration["Map:DefaultCode"] ?? DefaultCode : code.Trim();
        var place = await tree.PlaceAsync(code, cancellationToken);
        if (place is null)
        {
            return NotFound();
        }
        Place = place;
        TileUrl = configuration["Map:TileUrl"] is { Length: > 0 } url ? url : null;
        TileAttribution = configuration["Map:TileAttribution"];
        MaxZoom = configuration.GetValue<int?>("Map:MaxZoom") ?? (TileUrl is null ? 20 : 18);
        TextsJson = JsonSerializer.Serialize(Texts(), TextJson);
        return Page();
    }

    private Dictionary<string, object> Texts()
    {
        string Text(string key) => localizer[key];
        return new Dictionary<string, object>
        {
            ["loading"] = Text("Geo.Map.Loading"),
            ["shown"] = Text("Geo.Map.Shown"),
            ["noShapes"] = Text("Geo.Map.NoShapes"),
            ["loadFailed"] = Text("Geo.Map.LoadFailed"),
            ["hint"] = Text("Geo.Map.Hint"),
            ["code"] = Text("Geo.Tree.Code"),
            ["level"] = Text("Geo.Tree.Level"),
            ["childCount"] = Text("Geo.Map.ChildCount"),
            ["drillDown"] = Text("Geo.Map.DrillDown"),
            ["openTree"] = Text("Geo.Map.OpenTree"),
            ["edit"] = Text("Geo.Map.Edit"),
            ["editing"] = Text("Geo.Map.Editing"),
            ["save"] = Text("Geo.Map.Save"),
            ["cancel"] = Text("Geo.Map.Cancel"),
            ["saving"] = Text("Geo.Map.Saving"),
            ["saved"] = Text("Geo.Map.Saved"),
            ["unchanged"] = Text("Geo.Map.Unchanged"),
            ["warnings"] = Text("Geo.Map.Warnings"),
            ["refused"] = Text("Geo.Map.Refused"),
            ["levels"] = Enum.GetValues<DivisionLevel>().ToDictionary(l => l.ToString(), l => Text($"Geo.Level.{l}")),
        };
    }
}
