using Microsoft.Extensions.Configuration;

namespace CivicGrid.Modules.Snap;

/// <summary>
/// <c>Snap:PublicBaseUrl</c>: the address the QR codes point to (e.g. <c>https://wg.example.gov.cn</c>; empty:
/// the request's own scheme and host, which is right only when staff print from the address residents reach);
/// <c>Snap:MaxPosters</c>: the most posters in one division's set (default 500).
/// </summary>
internal sealed record SnapSettings(string? PublicBaseUrl, int MaxPosters)
{
    public static SnapSettings From(IConfiguration configuration)
    {
        var baseUrl = configuration["Snap:PublicBaseUrl"] is { Length: > 0 } url ? url.TrimEnd('/') : null;
        if (baseUrl is not null && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"))
        {
            throw new InvalidOperationException($"Snap:PublicBaseUrl is '{baseUrl}'; expected an absolute http(s) address.");
        }
        return new SnapSettings(baseUrl, Math.Clamp(configuration.GetValue("Snap:MaxPosters", 500), 1, 5000));
    }
}
