using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using CivicGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CivicGrid.Tests.Snap;

/// <summary>
/// A resident's browser without JavaScript (or the page's script, with <c>json</c>): opens
/// <c>/r/{key}</c> for its antiforgery token, session cookie and Idempotency-Key, then posts the form.
/// </summary>
internal sealed partial class SnapForm(HttpClient client)
{
    public HttpClient Client => client;

    /// <summary>The Idempotency-Key the last opened page handed out.</summary>
    public string IdempotencyKey { get; private set; } = string.Empty;

    private string _token = string.Empty;

    public static SnapForm For(CivicGridApp app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"IdempotencyKey\" value=\"([^\"]+)\"")]
    private static partial Regex Key();

    /// <summary>Opens the page; returns its status and HTML.</summary>
    public async Task<(HttpStatusCode Status, string Html)> OpenAsync(string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (Token().Match(html) is { Success: true } token)
        {
            _token = WebUtility.HtmlDecode(token.Groups[1].Value);
        }
        if (Key().Match(html) is { Success: true } key)
        {
            IdempotencyKey = key.Groups[1].Value;
        }
        return (response.StatusCode, html);
    }

    /// <summary>Posts the form (multipart) with these fields and an optional photo; as the page's script when <paramref name="json"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, IReadOnlyDictionary<string, string?> fields, byte[]? photo = null,
        bool json = true, bool withToken = true, string photoType = "image/jpeg")
    {
        using var form = new MultipartFormDataContent();
        if (withToken)
        {
            form.Add(new StringContent(_token), "__RequestVerificationToken");
        }
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                form.Add(new StringContent(value), name);
            }
        }
        if (!fields.ContainsKey("IdempotencyKey") && IdempotencyKey.Length > 0)
        {
            form.Add(new StringContent(IdempotencyKey), "IdempotencyKey");
        }
        if (photo is not null)
        {
            var content = new ByteArrayContent(photo);
            content.Headers.ContentType = new MediaTypeHeaderValue(photoType);
            form.Add(content, "Photo", "photo.jpg");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = form };
        if (json)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Opens <c>/r/{key}</c> and reports there as the page's script would; returns the tracking code.</summary>
    public static async Task<string> ReportAsync(CivicGridApp app, string key, string description, byte[]? photo = null)
    {
        var form = For(app);
        (await form.OpenAsync($"/r/{key}")).Status.Should().Be(HttpStatusCode.OK);
        var response = await form.PostAsync($"/r/{key}", new Dictionary<string, string?>
        {
            ["CategoryCode"] = "0301",
            ["Description"] = description,
        }, photo);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.Created, body);
        return (await response.JsonAsync()).GetProperty("trackingCode").GetString()!;
    }
}
