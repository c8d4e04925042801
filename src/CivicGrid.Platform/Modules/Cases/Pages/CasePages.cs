using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Localization;

namespace CivicGrid.Modules.Cases.Pages;

/// <summary>What the case pages share: links, local times, the map's settings and the JSON handed to cases.js.</summary>
public static class CasePages
{
    /// <summary>The list's route.</summary>
    public const string ListPath = "/cases";

    // Chinese stays readable in the data- attributes; Razor encodes the attribute itself.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A case's page.</summary>
    public static string DetailPath(Guid id) => $"/cases/{id}";

    /// <summary>An instant in the configured zone, as people read it (minutes).</summary>
    public static string Local(LocalTime time, DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.ToLocal(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The localized name of a code (<c>Cases.State.closed</c>), or the code itself when no text
    /// exists for it yet (a new action added to the workflow still shows up readably).
    /// </summary>
    public static string Label(this IStringLocalizer texts, string prefix, string code)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var text = texts[prefix + code];
        return text.ResourceNotFound ? code : text.Value;
    }

    /// <summary>A form or query value, null when blank.</summary>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>JSON for a data- attribute.</summary>
    public static string ToJson(object value) => JsonSerializer.Serialize(value, Json);

    /// <summary>The boundary drawn under the map when nothing else places it: the caller's first jurisdiction.</summary>
    public static string? AreaUrl(ICaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Grants.FirstOrDefault(g => g.JurisdictionCode.Length > 0) is { } grant
            ? $"/api/v1/divisions/{grant.JurisdictionCode}/boundary"
            : null;
    }

    /// <summary>The map settings (<c>Map:TileUrl</c>, <c>Map:TileAttribution</c>, <c>Map:MaxZoom</c>) as the map page reads them.</summary>
    public static (string? TileUrl, string? Attribution, int MaxZoom) MapSettings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var tiles = configuration["Map:TileUrl"] is { Length: > 0 } url ? url : null;
        return (tiles, configuration["Map:TileAttribution"], configuration.GetValue<int?>("Map:MaxZoom") ?? (tiles is null ? 20 : 18));
    }
}

/// <summary>A stage's traffic light and due time, for the <c>_Light</c> partial.</summary>
public sealed record CaseLightView(string? Light, string? Due);
