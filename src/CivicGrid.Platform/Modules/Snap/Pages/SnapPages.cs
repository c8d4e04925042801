using System.Globalization;
using System.Security.Cryptography;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Cases.Contracts;
using CivicGrid.Modules.Snap.Places;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CivicGrid.Modules.Snap.Pages;

/// <summary>The small "where" picture of a place: its outline and a dot, projected into a 320×160 box.</summary>
public sealed record WherePicture(string AreaPath, double DotX, double DotY, bool HasDot, string Projection);

/// <summary>What the resident pages share: the browser session, the categories' order, the "where" picture.</summary>
internal static class SnapPages
{
    public const string SessionCookie = "cg-snap";
    private const double Width = 320, Height = 160, Pad = 12;

    /// <summary>What residents report most where nothing has been counted yet (垃圾, 设施, 占道, 噪声, 隐患 ...).</summary>
    private static readonly string[] Likely = ["0301", "0501", "0401", "0303", "0201", "0302", "0402", "0503", "0701", "0603"];

    /// <summary>The browser session the Idempotency-Keys are scoped to: a random cookie, set on the first visit.</summary>
    public static string Session(HttpContext context)
    {
        if (context.Request.Cookies[SessionCookie] is { Length: >= 16 and <= 64 } known)
        {
            return known;
        }
        var made = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        context.Response.Cookies.Append(SessionCookie, made, new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = "/r",
        });
        return made;
    }

    /// <summary>The categories, the most used first, then the likely ones.</summary>
    public static IReadOnlyList<PublicCategory> Ordered(IReadOnlyList<PublicCategory> categories) =>
        [.. categories.OrderByDescending(c => c.Uses)
            .ThenBy(c => Array.IndexOf(Likely, c.Code) is var i && i >= 0 ? i : int.MaxValue)
            .ThenBy(c => c.Code, StringComparer.Ordinal)];

    public static WherePicture? Picture(SnapPlace? place)
    {
        if (place is null || (place.Outline.Count == 0 && !place.HasPoint))
        {
            return null;
        }
        IEnumerable<(double Lon, double Lat)> all = place.HasPoint ? [.. place.Outline, (place.Lon!.Value, place.Lat!.Value)] : place.Outline;
        var points = all.ToList();
        var (minX, maxX) = (points.Min(p => p.Lon), points.Max(p => p.Lon));
        var (minY, maxY) = (points.Min(p => p.Lat), points.Max(p => p.Lat));
        var kx = Math.Cos((minY + maxY) / 2 * Math.PI / 180);
        var spanX = Math.Max((maxX - minX) * kx, 1e-6);
        var spanY = Math.Max(maxY - minY, 1e-6);
        var k = Math.Min((Width - 2 * Pad) / spanX, (Height - 2 * Pad) / spanY);
        var ox = (Width - spanX * k) / 2;
        var oy = (Height - spanY * k) / 2;
        (double X, double Y) Project((double Lon, double Lat) p) => (ox + (p.Lon - minX) * kx * k, oy + (maxY - p.Lat) * k);
        var path = string.Join(' ', place.Outline.Select((p, i) =>
        {
            var (x, y) = Project(p);
            return string.Create(CultureInfo.InvariantCulture, $"{(i == 0 ? 'M' : 'L')}{x:0.#} {y:0.#}");
        }));
        var dot = place.HasPoint ? Project((place.Lon!.Value, place.Lat!.Value)) : (Width / 2, Height / 2);
        var projection = string.Create(CultureInfo.InvariantCulture, $"{minX:R} {maxY:R} {kx:R} {k:R} {ox:R} {oy:R}");
        return new WherePicture(path.Length == 0 ? string.Empty : path + " Z", dot.Item1, dot.Item2, place.HasPoint, projection);
    }

    /// <summary>True when the request is the page's script asking for JSON instead of a page.</summary>
    public static bool WantsJson(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>An <see cref="Error"/> as the problem the API would answer, from a page handler.</summary>
    public static IActionResult Problem(Error error) => new ResultAction(error.ToProblem());

    private sealed class ResultAction(Microsoft.AspNetCore.Http.IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
