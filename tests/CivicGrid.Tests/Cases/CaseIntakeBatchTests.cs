using System.Net;
using System.Net.Http.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Cases.Intake;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Files;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Cases;

/// <summary>
/// The intake's group commit (docs/adr/0024): intakes lined up in one batch each get their own
/// outcome, on both databases. The writer is held while the requests come in, so they are written
/// together, and the size of the batch written is checked.
/// </summary>
public sealed class CaseIntakeBatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Intakes_with_one_idempotency_key_in_one_batch_and_after_it_make_one_case(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (grid, lon, lat, worker, staff, writer) = await ArrangeAsync(app);
        var body = new { categoryCode = "0301", lon, lat, description = "同一上报重发了几次" };

        Task<HttpResponseMessage>[] posts;
        using (writer.Hold())
        {
            posts = [.. new[] { "same", "other-1", "same", "other-2", "same" }.Select(key => PostAsync(worker, body, key))];
            await UntilWaitingAsync(writer, posts.Length);
        }
        var answers = await Task.WhenAll(posts);
        var ids = new List<string>();
        foreach (var answer in answers)
        {
            answer.StatusCode.Should().Be(HttpStatusCode.Created, await answer.Content.ReadAsStringAsync(Ct));
            ids.Add((await answer.JsonAsync()).GetProperty("id").GetString()!);
        }
        new[] { ids[0], ids[2], ids[4] }.Distinct().Should().ContainSingle("three requests with one key are one case");
        ids.Distinct().Should().HaveCount(3);

        // Once more in a later batch: still the first case.
        var later = await PostAsync(worker, body, "same");
        later.StatusCode.Should().Be(HttpStatusCode.Created);
        (await later.JsonAsync()).GetProperty("id").GetString().Should().Be(ids[0]);
        var list = await (await staff.GetPathAsync($"/api/v1/cases?within={grid}")).JsonAsync();
        list.GetProperty("total").GetInt32().Should().Be(3);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_foreign_photo_fails_its_own_intake_alone_and_the_batch_commits_the_others_with_their_photos(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var (grid, lon, lat, worker, staff, writer) = await ArrangeAsync(app);
        var own = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            own.Add(await UploadAsync(worker));
        }
        var foreign = await UploadAsync(staff);

        Task<HttpResponseMessage>[] posts;
        using (writer.Hold())
        {
            posts = new[]
            {
                PostAsync(worker, new { categoryCode = "0301", lon, lat, description = "一", photoIds = new[] { own[0] } }, "photo-1"),
                PostAsync(worker, new { categoryCode = "0301", lon, lat, description = "二", photoIds = new[] { own[1] } }, "photo-2"),
                // Its own photo first, then someone else's: refused, and its own photo stays unattached.
                PostAsync(worker, new { categoryCode = "0301", lon, lat, description = "坏", photoIds = new[] { own[2], foreign } }, "photo-bad"),
                PostAsync(worker, new { categoryCode = "0301", lon, lat, description = "无图" }, "photo-none"),
            };
            await UntilWaitingAsync(writer, posts.Length);
        }
        var answers = await Task.WhenAll(posts);
        writer.LastBatchSize.Should().Be(posts.Length, "the refusal is settled inside the batch, which commits the others");

        answers[2].StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await answers[2].JsonAsync()).GetProperty("errors").TryGetProperty("photoIds", out _).Should().BeTrue();
        foreach (var (answer, photo) in new[] { (answers[0], own[0]), (answers[1], own[1]), (answers[3], (string?)null) })
        {
            answer.StatusCode.Should().Be(HttpStatusCode.Created, await answer.Content.ReadAsStringAsync(Ct));
            var id = (await answer.JsonAsync()).GetProperty("id").GetString()!;
            var detail = await (await staff.GetPathAsync($"/api/v1/cases/{id}")).JsonAsync();
            detail.GetProperty("photoIds").EnumerateArray().Select(p => p.GetString()).Should().Equal(photo is null ? [] : new[] { photo });
            if (photo is not null)
            {
                // Attached: whoever sees the case's grid reads it.
                (await staff.GetPathAsync($"/api/v1/files/{photo}")).StatusCode.Should().Be(HttpStatusCode.OK);
            }
        }
        var list = await (await staff.GetPathAsync($"/api/v1/cases?within={grid}")).JsonAsync();
        list.GetProperty("total").GetInt32().Should().Be(3);

        // The refused intake's own photo is still unattached (the uploader's alone) and free for another case.
        (await staff.GetPathAsync($"/api/v1/files/{own[2]}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var again = await PostAsync(worker, new { categoryCode = "0301", lon, lat, description = "重报", photoIds = new[] { own[2] } }, "photo-again");
        again.StatusCode.Should().Be(HttpStatusCode.Created, await again.Content.ReadAsStringAsync(Ct));
        (await staff.GetPathAsync($"/api/v1/files/{own[2]}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await staff.GetPathAsync($"/api/v1/files/{foreign}")).StatusCode.Should().Be(HttpStatusCode.OK, "the staff's own upload, untouched");
    }

    /// <summary>A grid and a point in it, its grid worker, its township's staff, and the intake writer.</summary>
    private static async Task<(string Grid, double Lon, double Lat, HttpClient Worker, HttpClient Staff, CaseIntakeWriter Writer)> ArrangeAsync(
        CivicGridApp app)
    {
        var (township, _) = await CaseApiTests.TownshipsAsync(app);
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);
        return (grid, lon, lat, await app.ClientAsAsync(Roles.GridWorker, grid), await app.ClientAsAsync(Roles.Township, township),
            app.Services.GetRequiredService<CaseIntakeWriter>());
    }

    private static async Task<string> UploadAsync(HttpClient client)
    {
        var png = TestImages.Png(40, 30, new SkiaSharp.SKColor((byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256), 99));
        var uploaded = await FileApiTests.UploadAsync(client, png, "photo.png", "image/png");
        uploaded.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await uploaded.JsonAsync()).GetProperty("id").GetString()!;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/cases", UriKind.Relative))
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request, Ct);
    }

    /// <summary>Until the held writer has <paramref name="count"/> intakes waiting (they arrive over a few milliseconds).</summary>
    private static async Task UntilWaitingAsync(CaseIntakeWriter writer, int count)
    {
        for (var i = 0; i < 3000 && writer.Waiting < count; i++)
        {
            await Task.Delay(10, Ct);
        }
        writer.Waiting.Should().Be(count, "every intake is handed to the running writer");
    }
}
