using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Tests.Infrastructure;

namespace CivicGrid.Tests.Foundation;

/// <summary>
/// The host started as an operator starts it (its own process, not the Development environment)
/// serves every stylesheet and script of a page whole, compressed and cacheable for good: phones on
/// weak links get brotli, anything else gzip, and the bytes decompress to the file itself.
/// </summary>
public sealed partial class StaticAssetsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_running_host_serves_its_assets_whole_compressed_and_immutable()
    {
        const DatabaseProvider provider = DatabaseProvider.Sqlite;
        var connectionString = await TestDatabases.CreateAsync(provider);
        try
        {
            await using var server = await CivicGridProcess.StartServerAsync(provider, connectionString);
            var html = await server.Client.GetStringAsync(new Uri("/account/login", UriKind.Relative), Ct);
            var assets = AssetReference().Matches(html).Select(m => m.Groups["path"].Value).Distinct().ToList();
            assets.Should().Contain(a => a.EndsWith(".css", StringComparison.Ordinal), "the sign-in page links its stylesheets");

            using var raw = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
            {
                BaseAddress = server.Client.BaseAddress,
            };
            foreach (var asset in assets)
            {
                using var plainRequest = new HttpRequestMessage(HttpMethod.Get, asset);
                plainRequest.Headers.TryAddWithoutValidation("Accept-Encoding", "identity");
                using var plain = await raw.SendAsync(plainRequest, Ct);
                plain.StatusCode.Should().Be(HttpStatusCode.OK, asset);
                var original = await plain.Content.ReadAsByteArrayAsync(Ct);
                original.Should().NotBeEmpty(asset);

                foreach (var (accept, encoding) in new[] { ("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip") })
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, asset);
                    request.Headers.TryAddWithoutValidation("Accept-Encoding", accept);
                    using var response = await raw.SendAsync(request, Ct);
                    response.StatusCode.Should().Be(HttpStatusCode.OK, asset);
                    response.Content.Headers.ContentEncoding.Should().Equal([encoding], $"{asset} asked with {accept}");
                    response.Headers.CacheControl!.ToString().Should().Contain("immutable", $"{asset} is fingerprinted");
                    var compressed = await response.Content.ReadAsByteArrayAsync(Ct);
                    if (original.Length > 4096)
                    {
                        compressed.Length.Should().BeLessThan(original.Length / 2, $"{asset} ({encoding}) is really compressed");
                    }
                    Decompress(compressed, encoding).Should().Equal(original, $"{asset} ({encoding}) decompresses to the file");
                }
            }
        }
        finally
        {
            await TestDatabases.DropAsync(provider, connectionString);
        }
    }

    private static byte[] Decompress(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decompressor = encoding == "br"
            ? new BrotliStream(input, CompressionMode.Decompress)
            : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decompressor.CopyTo(output);
        return output.ToArray();
    }

    [GeneratedRegex("(?:href|src)=\"(?<path>/[^\"?#]+\\.(?:css|js))\"", RegexOptions.ExplicitCapture)]
    private static partial Regex AssetReference();
}
