using System.Security.Cryptography;
using CivicGrid.Modules.Files.Contracts;
using CivicGrid.Modules.Files.Storage;
using CivicGrid.Modules.Files.Upload;
using Microsoft.Extensions.Time.Testing;

namespace CivicGrid.Tests.Files;

/// <summary>The local blob store and the type sniffer, without a server.</summary>
public sealed class BlobStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"civicgrid-blobs-{Guid.NewGuid():N}");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task The_same_bytes_are_stored_once_under_their_hash_and_read_back_whole()
    {
        var store = new LocalBlobStore(new FilesSettings(_root, 1));
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var puts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.PutAsync(new MemoryStream(bytes), 1024 * 1024, Ct)));
        puts.Should().AllBeEquivalentTo(new StoredBlob(sha, bytes.Length));
        Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Should().Equal(Path.Combine(_root, sha[..2], sha[2..4], sha));
        (await store.ExistsAsync(sha, Ct)).Should().BeTrue();
        await using var read = await store.OpenReadAsync(sha, Ct);
        using var copy = new MemoryStream();
        await read!.CopyToAsync(copy, Ct);
        copy.ToArray().Should().Equal(bytes);

        (await store.OpenReadAsync(new string('0', 64), Ct)).Should().BeNull();
        (await store.OpenReadAsync("../../etc/passwd", Ct)).Should().BeNull("only a hash is a key");
    }

    [Fact]
    public async Task A_blob_stored_again_is_touched_and_only_a_blob_untouched_since_the_cutoff_is_deleted()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var store = new LocalBlobStore(new FilesSettings(_root, 1), time);
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var sha = (await store.PutAsync(new MemoryStream(bytes), 1024 * 1024, Ct)).Sha256;
        var stored = time.GetUtcNow();

        time.Advance(TimeSpan.FromDays(8));
        (await store.DeleteIfUntouchedAsync(sha, stored, Ct)).Should().BeFalse("stored at the cutoff itself");
        await store.PutAsync(new MemoryStream(bytes), 1024 * 1024, Ct);
        (await store.DeleteIfUntouchedAsync(sha, time.GetUtcNow() - TimeSpan.FromDays(7), Ct)).Should().BeFalse("stored again since");
        (await store.ExistsAsync(sha, Ct)).Should().BeTrue();

        (await store.DeleteIfUntouchedAsync(sha, time.GetUtcNow() + TimeSpan.FromSeconds(1), Ct)).Should().BeTrue();
        (await store.ExistsAsync(sha, Ct)).Should().BeFalse();
        (await store.DeleteIfUntouchedAsync(sha, time.GetUtcNow() + TimeSpan.FromSeconds(1), Ct)).Should().BeFalse("already gone");
        (await store.DeleteIfUntouchedAsync("not-a-key", time.GetUtcNow(), Ct)).Should().BeFalse();
    }

    [Fact]
    public async Task Content_over_the_limit_is_refused_and_leaves_nothing_behind()
    {
        var store = new LocalBlobStore(new FilesSettings(_root, 1));
        var act = () => store.PutAsync(new MemoryStream(new byte[2049]), 2048, Ct);
        await act.Should().ThrowAsync<BlobTooLargeException>();
        Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public void The_type_comes_from_the_magic_bytes()
    {
        FileTypes.Sniff(TestImages.Png(4, 4)).Should().Be(FileTypes.Png);
        FileTypes.Sniff(TestImages.Jpeg(4, 4)).Should().Be(FileTypes.Jpeg);
        FileTypes.Sniff("GIF89a\x01\x00"u8).Should().Be(FileTypes.Gif);
        FileTypes.Sniff("RIFF\x10\x00\x00\x00WEBPVP8 "u8).Should().Be(FileTypes.WebP);
        FileTypes.Sniff(TestImages.Pdf()).Should().Be(FileTypes.Pdf);
        FileTypes.Sniff("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"u8).Should().BeNull("SVG can carry script");
        FileTypes.Sniff("<html><script>"u8).Should().BeNull();
        FileTypes.Sniff([]).Should().BeNull();
        FileTypes.Decodes(new MemoryStream(TestImages.Png(4, 4))).Should().BeTrue();
        FileTypes.Decodes(new MemoryStream([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])).Should().BeFalse();
    }

    [Fact]
    public void A_thumbnail_keeps_the_aspect_ratio_within_320_pixels_and_a_small_image_is_not_enlarged()
    {
        TestImages.SizeOf(Thumbnails.Make(new MemoryStream(TestImages.Jpeg(1200, 1600)))!).Should().Be((240, 320));
        TestImages.SizeOf(Thumbnails.Make(new MemoryStream(TestImages.Png(100, 50)))!).Should().Be((100, 50));
        Thumbnails.Make(new MemoryStream("not an image"u8.ToArray())).Should().BeNull();
    }
}
