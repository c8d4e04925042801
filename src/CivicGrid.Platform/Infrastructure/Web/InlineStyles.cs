using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace CivicGrid.Infrastructure.Web;

/// <summary>
/// Stylesheets small enough to ship inside the page, for the pages a phone opens first over a slow
/// link: an external stylesheet blocks the first paint for one more round trip (2 s on slow 3G).
/// Every file under <c>wwwroot/css/inline/</c> is read once at start; a page writes it with
/// <c>&lt;inline-style name="phone" /&gt;</c>, and the strict CSP allows exactly these contents by their
/// SHA-256 hashes (no <c>'unsafe-inline'</c>, no per-request nonce).
/// </summary>
public sealed class InlineStyles
{
    /// <summary>The folder of wwwroot whose stylesheets may be inlined.</summary>
    public const string Folder = "css/inline";

    private readonly FrozenDictionary<string, string> _css;

    public InlineStyles(IWebHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var css = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in environment.WebRootFileProvider.GetDirectoryContents(Folder).Where(f => !f.IsDirectory && f.Name.EndsWith(".css", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(file.CreateReadStream(), Encoding.UTF8);
            css[file.Name[..^4]] = reader.ReadToEnd();
        }
        _css = css.ToFrozenDictionary(StringComparer.Ordinal);
        CspSources = string.Concat(_css.Values.Select(text => $" 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}'"));
    }

    /// <summary>The CSP <c>style-src</c> sources that allow the inlined stylesheets (each starting with a space), or empty.</summary>
    public string CspSources { get; }

    /// <summary>The stylesheet <c>wwwroot/css/inline/NAME.css</c>, or null when there is none.</summary>
    public string? Get(string name) => _css.GetValueOrDefault(name);
}

/// <summary><c>&lt;inline-style name="phone" /&gt;</c>: writes <c>wwwroot/css/inline/phone.css</c> into a <c>&lt;style&gt;</c> element.</summary>
[HtmlTargetElement("inline-style", Attributes = "name", TagStructure = TagStructure.WithoutEndTag)]
public sealed class InlineStyleTagHelper(InlineStyles styles) : TagHelper
{
    /// <summary>The file's name under <c>wwwroot/css/inline/</c>, without <c>.css</c>.</summary>
    public string Name { get; set; } = string.Empty;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var css = styles.Get(Name) ?? throw new InvalidOperationException($"no stylesheet {InlineStyles.Folder}/{Name}.css to inline");
        output.TagName = "style";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.Clear();
        // Written as it is (HTML-encoding would change the bytes the CSP hash covers); the files are ours.
        output.Content.SetHtmlContent(css);
    }
}
