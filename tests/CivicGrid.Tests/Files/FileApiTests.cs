using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Files.Storage;
using CivicGrid.Modules.Files.Upload;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Cases;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CivicGrid.Tests.Files;

/// <summary>Photos and files through the API: upload, sniffing, limits, reads, thumbnails, access, and cases, on both databases.</summary>
public sealed class FileApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_photo_is_stored_once_by_content_served_with_its_type_and_a_thumbnail_and_read_by_those_who_see_its_case(
        DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (townshipA, townshipB) = await CaseApiTests.TownshipsAsync(app);
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, townshipA);
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var staff = await app.ClientAsAsync(Roles.Township, townshipA);
        var staffOfB = await app.ClientAsAsync(Roles.Township, townshipB);

        // A unique picture per run, so the blob is new to the shared test store.
        var png = TestImages.Png(800, 400, new SkiaSharp.SKColor((byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256), 7));
        var sha = Convert.ToHexStringLower(SHA256.HashData(png));
        var blobPath = Path.Combine(CivicGridApp.FilesRoot, sha[..2], sha[2..4], sha);
        var uploaded = await UploadAsync(worker, png, "photo.jpg", "application/octet-stream");
        uploaded.StatusCode.Should().Be(HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync(Ct));
        var photo = await uploaded.JsonAsync();
        var id = photo.GetProperty("id").GetString()!;
        photo.GetProperty("contentType").GetString().Should().Be("image/png", "the type comes from the bytes, not the name or the client");
        photo.GetProperty("size").GetInt64().Should().Be(png.Length);
        photo.GetProperty("sha256").GetString().Should().Be(sha);
        photo.GetProperty("thumbnailUrl").GetString().Should().Be($"/api/v1/files/{id}/thumbnail");
        uploaded.Headers.Location!.ToString().Should().Be($"/api/v1/files/{id}");
        File.ReadAllBytes(blobPath).Should().Equal(png);
        var stamp = File.GetLastWriteTimeUtc(blobPath);

        // The same bytes again: a second file row, one blob.
        var again = await (await UploadAsync(worker, png, "again.png", "image/png")).JsonAsync();
        again.GetProperty("id").GetString().Should().NotBe(id);
        again.GetProperty("sha256").GetString().Should().Be(sha);
        File.GetLastWriteTimeUtc(blobPath).Should().BeOnOrAfter(stamp, "the blob was kept (touched: the sweep of unattached uploads spares it)");
        File.ReadAllBytes(blobPath).Should().Equal(png);
        Directory.GetFiles(Path.Combine(CivicGridApp.FilesRoot, "tmp")).Should().NotContain(f => f.Contains(sha, StringComparison.Ordinal));

        // The uploader reads it: its type, inline, not sniffable, cacheable by its hash.
        var read = await worker.GetPathAsync($"/api/v1/files/{id}");
        read.StatusCode.Should().Be(HttpStatusCode.OK);
        read.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        read.Content.Headers.ContentDisposition!.DispositionType.Should().Be("inline");
        read.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        read.Headers.ETag!.Tag.Should().Be($"\"{sha}\"");
        (await read.Content.ReadAsByteArrayAsync(Ct)).Should().Equal(png);
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/files/{id}", UriKind.Relative)))
        {
            conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{sha}\""));
            (await worker.SendAsync(conditional, Ct)).StatusCode.Should().Be(HttpStatusCode.NotModified);
        }

        // The thumbnail: JPEG, long side 320, made once.
        var thumbnail = await worker.GetPathAsync($"/api/v1/files/{id}/thumbnail");
        thumbnail.StatusCode.Should().Be(HttpStatusCode.OK);
        thumbnail.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        var thumbnailBytes = await thumbnail.Content.ReadAsByteArrayAsync(Ct);
        TestImages.SizeOf(thumbnailBytes).Should().Be((320, 160));
        var thumbnailSha = Convert.ToHexStringLower(SHA256.HashData(thumbnailBytes));
        thumbnail.Headers.ETag!.Tag.Should().Be($"\"{thumbnailSha}\"");
        File.Exists(Path.Combine(CivicGridApp.FilesRoot, thumbnailSha[..2], thumbnailSha[2..4], thumbnailSha)).Should().BeTrue("kept in the store");
        (await (await worker.GetPathAsync($"/api/v1/files/{id}/thumbnail")).Content.ReadAsByteArrayAsync(Ct)).Should().Equal(thumbnailBytes);

        // Not attached yet: the uploader's alone, even within his township.
        (await staff.GetPathAsync($"/api/v1/files/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Reported with the case: whoever sees the case sees the photo; another township does not.
        var reported = await worker.PostJsonAsync("/api/v1/cases",
            new { categoryCode = "0301", lon, lat, description = "井盖破损", photoIds = new[] { id } });
        reported.StatusCode.Should().Be(HttpStatusCode.Created, await reported.Content.ReadAsStringAsync(Ct));
        var caseId = (await reported.JsonAsync()).GetProperty("id").GetString()!;
        (await reported.JsonAsync()).GetProperty("photoIds").EnumerateArray().Select(p => p.GetString()).Should().Equal(id);
        (await staff.GetPathAsync($"/api/v1/files/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await staff.GetPathAsync($"/api/v1/files/{id}/thumbnail")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await staffOfB.GetPathAsync($"/api/v1/files/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staffOfB.GetPathAsync($"/api/v1/files/{id}/thumbnail")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Photos must be the caller's own, unused uploads: unknown, attached elsewhere, or someone else's are 400 on photoIds.
        var staffsOwn = (await (await UploadAsync(staff, TestImages.Jpeg(50, 50), "x.jpg", "image/jpeg")).JsonAsync()).GetProperty("id").GetString()!;
        foreach (var wrong in new[] { Guid.NewGuid().ToString(), id, staffsOwn })
        {
            var refused = await worker.PostJsonAsync("/api/v1/cases",
                new { categoryCode = "0301", lon, lat, description = "再报", photoIds = new[] { wrong } });
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest, wrong);
            (await refused.JsonAsync()).GetProperty("errors").TryGetProperty("photoIds", out _).Should().BeTrue();
        }

        // Evidence on the report back (反馈) goes on the timeline event; a PDF is an attachment without a thumbnail.
        (await staff.PostJsonAsync($"/api/v1/cases/{caseId}/accept", new { })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await staff.PostJsonAsync($"/api/v1/cases/{caseId}/dispatch", new { assignee = $"t-{Roles.GridWorker}-{grid}" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var after = (await (await UploadAsync(worker, TestImages.Jpeg(640, 480), "after.jpg", "image/jpeg")).JsonAsync()).GetProperty("id").GetString()!;
        var pdf = await (await UploadAsync(worker, TestImages.Pdf(), "receipt.pdf", "application/pdf")).JsonAsync();
        pdf.GetProperty("contentType").GetString().Should().Be("application/pdf");
        pdf.GetProperty("thumbnailUrl").ValueKind.Should().Be(JsonValueKind.Null);
        var pdfId = pdf.GetProperty("id").GetString()!;
        var done = await worker.PostJsonAsync($"/api/v1/cases/{caseId}/report", new { note = "已更换井盖", photoIds = new[] { after, pdfId } });
        done.StatusCode.Should().Be(HttpStatusCode.OK, await done.Content.ReadAsStringAsync(Ct));
        var last = (await done.JsonAsync()).GetProperty("timeline").EnumerateArray().Last();
        last.GetProperty("action").GetString().Should().Be("report");
        last.GetProperty("photoIds").EnumerateArray().Select(p => p.GetString()).Should().Equal(after, pdfId);
        var pdfRead = await staff.GetPathAsync($"/api/v1/files/{pdfId}");
        pdfRead.StatusCode.Should().Be(HttpStatusCode.OK);
        pdfRead.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        pdfRead.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        (await staff.GetPathAsync($"/api/v1/files/{pdfId}/thumbnail")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await staffOfB.GetPathAsync($"/api/v1/files/{after}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_fake_image_an_oversized_file_and_a_missing_file_are_400_on_the_file_field_and_a_leader_may_not_upload(
        DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Files:MaxMegabytes"] = "1" });
        var (township, _) = await CaseApiTests.TownshipsAsync(app);
        var staff = await app.ClientAsAsync(Roles.Township, township);

        var text = Encoding.UTF8.GetBytes("这不是图片，只是改了扩展名的文本文件。\n");
        var jpegHeaderOnly = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0x41, 0x42 };
        var big = TestImages.Png(10, 10).Concat(new byte[1024 * 1024]).ToArray();
        foreach (var (bytes, name, code) in new[]
        {
            (text, "photo.jpg", "files.unsupported_type"),
            (jpegHeaderOnly, "broken.jpg", "files.unsupported_type"),
            (big, "big.png", "files.too_large"),
        })
        {
            var response = await UploadAsync(staff, bytes, name, "image/jpeg");
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, name);
            var problem = await response.JsonAsync();
            problem.GetProperty("code").GetString().Should().Be(code, name);
            problem.GetProperty("errors").TryGetProperty("file", out _).Should().BeTrue(name);
        }
        using (var empty = new MultipartFormDataContent())
        {
            empty.Add(new StringContent("x"), "other");
            var response = await staff.PostAsync(new Uri("/api/v1/files", UriKind.Relative), empty, Ct);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await response.JsonAsync()).GetProperty("errors").TryGetProperty("file", out _).Should().BeTrue();
        }
        var leader = await app.ClientAsAsync(Roles.Leader, township);
        (await UploadAsync(leader, TestImages.Png(10, 10), "a.png", "image/png")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Uploads_never_attached_are_swept_after_the_retention_and_attached_or_stored_again_ones_stay(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await CivicGridApp.StartAsync(provider, services: s => s.AddSingleton<TimeProvider>(time));
        var (townshipA, _) = await CaseApiTests.TownshipsAsync(app);
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, townshipA);
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);

        // Pictures new to the shared test store: a refused report's photo, a case's photo, and one uploaded twice.
        byte[] Unique() => TestImages.Png(64, 48, new SkiaSharp.SKColor((byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256),
            (byte)Random.Shared.Next(256)));
        async Task<string> Upload(byte[] bytes) =>
            (await (await UploadAsync(worker, bytes, "p.png", "image/png")).JsonAsync()).GetProperty("id").GetString()!;
        string BlobOf(byte[] bytes)
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            return Path.Combine(CivicGridApp.FilesRoot, sha[..2], sha[2..4], sha);
        }
        var (orphan, kept, twice) = (Unique(), Unique(), Unique());
        var orphanId = await Upload(orphan);
        var refused = await worker.PostJsonAsync("/api/v1/cases", new { categoryCode = "9999", lon, lat, description = "类别不存在", photoIds = new[] { orphanId } });
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var keptId = await Upload(kept);
        (await worker.PostJsonAsync("/api/v1/cases", new { categoryCode = "0301", lon, lat, description = "井盖缺失", photoIds = new[] { keptId } }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var firstOfTwice = await Upload(twice);

        time.Advance(TimeSpan.FromDays(FilesSettings.DefaultUnattachedDays + 1));
        worker = await app.ClientAsAsync(Roles.GridWorker, grid); // signed in again: the first token has expired meanwhile
        var secondOfTwice = await Upload(twice);
        var sweep = app.Services.GetRequiredService<UnattachedFileSweep>();
        await sweep.RunOnceAsync(Ct);

        (await worker.GetPathAsync($"/api/v1/files/{orphanId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        File.Exists(BlobOf(orphan)).Should().BeFalse("no record uses the blob any more");
        (await worker.GetPathAsync($"/api/v1/files/{keptId}")).StatusCode.Should().Be(HttpStatusCode.OK, "attached to a case");
        File.Exists(BlobOf(kept)).Should().BeTrue();
        (await worker.GetPathAsync($"/api/v1/files/{firstOfTwice}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await worker.GetPathAsync($"/api/v1/files/{secondOfTwice}")).StatusCode.Should().Be(HttpStatusCode.OK, "uploaded within the retention");
        File.ReadAllBytes(BlobOf(twice)).Should().Equal(twice);

        // A second pass finds nothing more to do.
        (await sweep.RunOnceAsync(Ct)).Should().Be(new UnattachedSweepResult(0, 0));
    }

    internal static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes, string fileName, string contentType)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        return await client.PostAsync(new Uri("/api/v1/files", UriKind.Relative), form, Ct);
    }
}
