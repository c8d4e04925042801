using System.Globalization;
using System.Net;
using System.Text;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Snap.Places;
using QRCoder;

namespace CivicGrid.Modules.Snap.Posters;

/// <summary>
/// QR codes and A4 posters as SVG (no System.Drawing, no fonts shipped: the viewer's CJK font
/// draws the text), and a division's set as one printable HTML page, a poster per sheet
/// (docs/adr/0021-snap-posters.md). The QR code is drawn as one path of module runs.
/// </summary>
internal static class SnapPosters
{
    public const string FontStack = "'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',sans-serif";
    private const string Red = "#b71c1c";

    /// <summary>The URL a place's QR code opens.</summary>
    public static string UrlOf(string baseUrl, SnapPlace place) => $"{baseUrl}/r/{place.Key}";

    /// <summary>The QR modules of a text (quiet zone included), as QRCoder makes them.</summary>
    public static bool[][] Modules(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return [.. data.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray())];
    }

    /// <summary>The path data of the dark modules: one <c>M x y h w v1 h-w z</c> per run in a row.</summary>
    public static string PathOf(bool[][] modules)
    {
        var path = new StringBuilder();
        for (var y = 0; y < modules.Length; y++)
        {
            var row = modules[y];
            for (var x = 0; x < row.Length;)
            {
                if (!row[x])
                {
                    x++;
                    continue;
                }
                var start = x;
                while (x < row.Length && row[x])
                {
                    x++;
                }
                path.Append(CultureInfo.InvariantCulture, $"M{start} {y}h{x - start}v1h-{x - start}z");
            }
        }
        return path.ToString();
    }

    /// <summary>A standalone SVG of the QR code of <paramref name="url"/>.</summary>
    public static string QrSvg(string url)
    {
        var modules = Modules(url);
        var n = modules.Length;
        return $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="{n * 8}" height="{n * 8}" shape-rendering="crispEdges"><title>{Esc(url)}</title><rect width="{n}" height="{n}" fill="#fff"/><path fill="#000" d="{PathOf(modules)}"/></svg>""";
    }

    /// <summary>
    /// An A4 poster (viewBox in millimetres): the call to report, the place, its QR code, what to
    /// report, who serves it (names and masked phones) and the platform's name.
    /// </summary>
    public static string PosterSvg(SnapPlace place, string url, IReadOnlyList<StaffContact> contacts, IReadOnlyList<string> examples,
        string platformName, bool standalone = true)
    {
        var modules = Modules(url);
        var n = modules.Length;
        var svg = new StringBuilder();
        svg.Append(standalone
            ? """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 210 297" width="210mm" height="297mm" """
            : """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 210 297" class="poster-svg" """);
        svg.Append(CultureInfo.InvariantCulture, $"""font-family="{FontStack}" data-url="{Esc(url)}" data-place="{Esc(place.Key)}">""");
        svg.Append(CultureInfo.InvariantCulture, $"<title>随手拍 · {Esc(place.Name)}</title>");
        svg.Append("""<rect width="210" height="297" fill="#fff"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="210" height="42" fill="{Red}"/>""");
        svg.Append("""<text x="105" y="24" text-anchor="middle" font-size="17" font-weight="bold" fill="#fff">随手拍 · 有事扫一扫</text>""");
        svg.Append("""<text x="105" y="35" text-anchor="middle" font-size="6.5" fill="#fff">身边的问题，拍一拍就能反映，网格员马上处理</text>""");
        var nameSize = place.Name.Length > 22 ? 6 : place.Name.Length > 16 ? 7 : 8.5;
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="105" y="56" text-anchor="middle" font-size="{nameSize}" font-weight="bold" fill="#222" class="poster-place">{Esc(place.Name)}</text>""");
        // The code: 120 mm wide, white around it (its own quiet zone is in the modules).
        svg.Append(CultureInfo.InvariantCulture, $"""<svg x="45" y="62" width="120" height="120" viewBox="0 0 {n} {n}" shape-rendering="crispEdges"><path fill="#000" d="{PathOf(modules)}"/></svg>""");
        svg.Append("""<text x="105" y="190" text-anchor="middle" font-size="6" fill="#222">用手机相机或微信扫码 · 拍照 · 提交 · 凭查询码看进度</text>""");
        svg.Append("""<text x="20" y="205" font-size="6" font-weight="bold" fill="#222">可以反映：</text>""");
        var lines = Lines(examples, 24);
        for (var i = 0; i < lines.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="48" y="{205 + i * 8}" font-size="5.5" fill="#333">{Esc(lines[i])}</text>""");
        }
        var y = 236;
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="20" y1="{y - 6}" x2="190" y2="{y - 6}" stroke="#ccc" stroke-width="0.4"/>""");
        if (contacts.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="20" y="{y + 4}" font-size="6" fill="#222">{Who(place.Kind == SnapPlaceKind.Community ? Roles.Community : Roles.GridWorker)}：待安排</text>""");
        }
        foreach (var contact in contacts.Take(3))
        {
            var who = Who(contact.Role);
            var phone = contact.MaskedPhone is null ? string.Empty : $"  电话 {contact.MaskedPhone}";
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="20" y="{y + 4}" font-size="6" fill="#222" class="poster-contact">{who}：{Esc(contact.DisplayName)}{Esc(phone)}</text>""");
            y += 9;
        }
        svg.Append("""<text x="105" y="271" text-anchor="middle" font-size="5" fill="#555">紧急情况请直接拨打 110 · 119 · 120，随手拍不受理紧急求助</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect y="277" width="210" height="20" fill="{Red}"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="105" y="290" text-anchor="middle" font-size="6" fill="#fff">{Esc(platformName)}</text>""");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>A division's posters as one HTML page, one A4 sheet each (print it, or save it as PDF).</summary>
    public static string SetHtml(string title, IEnumerable<string> posters, string stylesheet)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{Esc(title)}</title><link rel="stylesheet" href="{Esc(stylesheet)}"></head><body>""");
        foreach (var poster in posters)
        {
            html.Append("""<section class="poster">""").Append(poster).Append("</section>");
        }
        html.Append("</body></html>");
        return html.ToString();
    }

    private static string Who(string role) => role switch
    {
        Roles.GridHead => "网格长",
        Roles.Community => "社区工作人员",
        _ => "网格员",
    };

    /// <summary>The examples joined with 、 in at most three lines of about <paramref name="width"/> characters.</summary>
    private static List<string> Lines(IReadOnlyList<string> items, int width)
    {
        var lines = new List<string>();
        var line = string.Empty;
        foreach (var item in items)
        {
            var next = line.Length == 0 ? item : $"{line}、{item}";
            if (next.Length > width && line.Length > 0)
            {
                lines.Add(line);
                line = item;
            }
            else
            {
                line = next;
            }
        }
        if (line.Length > 0)
        {
            lines.Add(line);
        }
        return [.. lines.Take(3)];
    }

    private static string Esc(string text) => WebUtility.HtmlEncode(text);
}
