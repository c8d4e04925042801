using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Infrastructure.Web;

/// <summary>
/// Security headers on every response. The pages carry no inline script, so the CSP allows
/// scripts from this origin only. The interactive API docs (Scalar) configure themselves with an
/// inline script and inline styles, so <c>/docs</c> alone gets a looser policy. When a base map
/// is configured (<c>Map:TileUrl</c>), its origin may serve images. The few stylesheets a phone page
/// inlines (<see cref="InlineStyles"/>) are allowed by their hashes.
/// </summary>
internal static class SecurityHeaders
{
    private const string Docs =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var tiles = TileSource(app.ApplicationServices.GetRequiredService<IConfiguration>()["Map:TileUrl"]);
        var inline = app.ApplicationServices.GetRequiredService<InlineStyles>().CspSources;
        var strict =
            $"default-src 'self'; script-src 'self'; style-src 'self'{inline}; img-src 'self' data: blob:{(tiles is null ? "" : " " + tiles)}; " +
            "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs") ? Docs : strict;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = "geolocation=(self), camera=(self), microphone=()";
                if (context.Request.IsHttps)
                {
                    // Behind TLS, browsers must never fall back to plain HTTP for this site.
                    headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>
    /// The CSP source for an XYZ tile URL template: its scheme and host, with Leaflet's
    /// <c>{s}</c> subdomain placeholder as a wildcard; null for a relative URL (same origin) or none.
    /// </summary>
    internal static string? TileSource(string? tileUrl)
    {
        if (string.IsNullOrWhiteSpace(tileUrl))
        {
            return null;
        }
        var scheme = tileUrl.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0 || !tileUrl[..scheme].All(char.IsAsciiLetter))
        {
            return null;
        }
        var hostEnd = tileUrl.IndexOfAny(['/', '?', '#'], scheme + 3);
        var host = hostEnd < 0 ? tileUrl[(scheme + 3)..] : tileUrl[(scheme + 3)..hostEnd];
        var firstDot = host.IndexOf('.', StringComparison.Ordinal);
        if (firstDot > 0 && host[..firstDot].Contains("{s}", StringComparison.Ordinal))
        {
            // A CSP wildcard stands for a whole leftmost label: "a{s}.tiles.org" → "*.tiles.org".
            host = "*" + host[firstDot..];
        }
        // Anything else in the host (another placeholder, a quote, a space) cannot go into the header.
        var safe = host.Length > 0 && host.IndexOf('*', 1) < 0
            && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '*' or '[' or ']');
        return safe ? $"{tileUrl[..scheme]}://{host}" : null;
    }
}
