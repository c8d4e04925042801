using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Snap.Places;
using Microsoft.AspNetCore.Http;

namespace CivicGrid.Modules.Snap.Posters;

/// <summary>
/// QR codes and posters for staff holding <c>snap.posters</c> over the place (a place outside the
/// caller's jurisdiction is 404). The QR codes point to <c>Snap:PublicBaseUrl</c>, or to the
/// address the request came to when that is not set.
/// </summary>
internal sealed class PrintPosters(SnapPlaces places, IPublicCases cases, ICaller caller, SnapSettings settings, IHttpContextAccessor http)
{
    public const string PlatformName = "网格智治 CivicGrid · 随手拍";
    public const string Stylesheet = "/css/poster.css";

    public async Task<Result<string>> QrAsync(string key, CancellationToken cancellationToken)
    {
        var place = await PlaceAsync(key, cancellationToken);
        return place.IsSuccess ? SnapPosters.QrSvg(SnapPosters.UrlOf(BaseUrl, place.Value)) : place.Error!;
    }

    public async Task<Result<string>> PosterAsync(string key, CancellationToken cancellationToken)
    {
        var place = await PlaceAsync(key, cancellationToken);
        return place.IsSuccess ? await PosterOfAsync(place.Value, await ExamplesAsync(cancellationToken), true, cancellationToken) : place.Error!;
    }

    /// <summary>Every poster of a division (its communities, grids and compounds) as one printable page.</summary>
    public async Task<Result<string>> SetAsync(string code, CancellationToken cancellationToken)
    {
        if (!code.All(char.IsAsciiDigit) || !caller.Covers(code))
        {
            return NotFound(code);
        }
        if (!caller.Can(Capabilities.SnapPosters, code))
        {
            return Forbidden();
        }
        var set = await places.SetAsync(code, settings.MaxPosters, cancellationToken);
        if (set.Count == 0)
        {
            return NotFound(code);
        }
        var examples = await ExamplesAsync(cancellationToken);
        var posters = new List<string>(set.Count);
        foreach (var place in set)
        {
            posters.Add(await PosterOfAsync(place, examples, false, cancellationToken));
        }
        return SnapPosters.SetHtml($"随手拍二维码 · {set[0].Name} 等 {set.Count} 处", posters, Stylesheet);
    }

    private async Task<string> PosterOfAsync(SnapPlace place, IReadOnlyList<string> examples, bool standalone, CancellationToken cancellationToken) =>
        SnapPosters.PosterSvg(place, SnapPosters.UrlOf(BaseUrl, place), await places.ContactsAsync(place, cancellationToken), examples,
            PlatformName, standalone);

    private async Task<Result<SnapPlace>> PlaceAsync(string key, CancellationToken cancellationToken)
    {
        if (await places.FindAsync(key, cancellationToken) is not { } place || !caller.Covers(place.Code))
        {
            return NotFound(key);
        }
        return caller.Can(Capabilities.SnapPosters, place.Code) ? place : Forbidden();
    }

    private async Task<IReadOnlyList<string>> ExamplesAsync(CancellationToken cancellationToken) =>
        [.. Pages.SnapPages.Ordered(await cases.CategoriesAsync(cancellationToken)).Take(8).Select(c => c.Name)];

    private string BaseUrl => settings.PublicBaseUrl ?? (http.HttpContext?.Request is { } request
        ? $"{request.Scheme}://{request.Host}{request.PathBase}"
        : "http://localhost");

    private static Error NotFound(string key) => Error.NotFound("snap.unknown_place", $"地点 {key} 不存在");

    private static Error Forbidden() => Error.Forbidden("snap.posters_forbidden", "您无权打印该地点的二维码");
}
