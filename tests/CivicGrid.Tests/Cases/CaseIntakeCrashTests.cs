using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Tests.Infrastructure;

namespace CivicGrid.Tests.Cases;

/// <summary>
/// kill -9 while clients post cases: after the restart every case whose POST got a 2xx exists
/// exactly once, and a retry with the same <c>Idempotency-Key</c> returns the first result.
/// </summary>
public sealed class CaseIntakeCrashTests
{
    private const string User = "crash-township";
    private const string Password = "Crash-township-2026";
    private const int Clients = 16;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> Seeded = new()
    {
        ["Demo__SeedOnStart"] = "true",
        ["Demo__Persons"] = "0",
        ["Cases__DeadlineSweep"] = "false",
    };

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Every_case_answered_2xx_before_kill_9_exists_exactly_once_and_retries_return_it(DatabaseProvider provider)
    {
        TestDatabases.Require(provider);
        var connectionString = await TestDatabases.CreateAsync(provider);
        try
        {
            var added = await CivicGridProcess.RunAsync(provider, connectionString,
                "users", "add", User, "--role", "township", "--jurisdiction", "150203", "--password", Password);
            added.Exit.Should().Be(0, added.Err);

            var acknowledged = new ConcurrentDictionary<string, (string Id, string Number)>();
            var attempted = new ConcurrentDictionary<string, byte>();
            (double Lon, double Lat) point;
            await using (var first = await CivicGridProcess.StartServerAsync(provider, connectionString, Seeded))
            {
                await first.SignInAsync(User, Password);
                point = await PointInAGridAsync(first.Client);
                using var stop = new CancellationTokenSource();
                var posters = Enumerable.Range(0, Clients).Select(w => Task.Run(async () =>
                {
                    for (var n = 0; !stop.IsCancellationRequested; n++)
                    {
                        var key = $"crash-{w}-{n}";
                        attempted[key] = 0;
                        try
                        {
                            using var answer = await PostAsync(first.Client, key, point, CancellationToken.None);
                            answer.StatusCode.Should().Be(HttpStatusCode.Created);
                            var body = await answer.JsonAsync();
                            acknowledged[key] = (body.GetProperty("id").GetString()!, body.GetProperty("number").GetString()!);
                        }
                        catch (HttpRequestException)
                        {
                            return; // the server is gone: this request's fate is unknown
                        }
                    }
                }, Ct)).ToArray();

                // Kill in the middle of the stream, once a few hundred cases were answered.
                while (acknowledged.Count < 300 && !posters.Any(p => p.IsFaulted))
                {
                    await Task.Delay(20, Ct);
                }
                await first.KillAsync();
                stop.Cancel();
                await Task.WhenAll(posters);
            }

            acknowledged.Count.Should().BeGreaterThanOrEqualTo(300);
            await using var second = await CivicGridProcess.StartServerAsync(provider, connectionString, Seeded);
            await second.SignInAsync(User, Password);

            // Every acknowledged case is there, as first answered.
            foreach (var (key, (id, number)) in acknowledged)
            {
                var read = await second.Client.GetAsync(new Uri($"/api/v1/cases/{id}", UriKind.Relative), Ct);
                read.StatusCode.Should().Be(HttpStatusCode.OK, $"case {number} was answered 201 before the kill");
                (await read.JsonAsync()).GetProperty("number").GetString().Should().Be(number);
            }

            // Every request retried with its key: the acknowledged ones return their first case,
            // the ones cut off by the kill either return the case they made or make it now.
            var ids = new HashSet<string>();
            foreach (var key in attempted.Keys)
            {
                using var retry = await PostAsync(second.Client, key, point, Ct);
                retry.StatusCode.Should().Be(HttpStatusCode.Created);
                var body = await retry.JsonAsync();
                var id = body.GetProperty("id").GetString()!;
                if (acknowledged.TryGetValue(key, out var first))
                {
                    id.Should().Be(first.Id, $"the retry of {key} returns the first result");
                    body.GetProperty("number").GetString().Should().Be(first.Number);
                }
                ids.Add(id).Should().BeTrue($"no two keys share a case ({key})");
            }

            // Exactly once: as many cases as keys, no more.
            var list = await (await second.Client.GetAsync(new Uri("/api/v1/cases?pageSize=1", UriKind.Relative), Ct)).JsonAsync();
            list.GetProperty("total").GetInt32().Should().Be(attempted.Count);
        }
        finally
        {
            await TestDatabases.DropAsync(provider, connectionString);
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string key, (double Lon, double Lat) point,
        CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases")
        {
            Content = JsonContent.Create(new { categoryCode = "0301", lon = point.Lon, lat = point.Lat, description = $"垃圾堆放 {key}" }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request, cancellationToken);
    }

    private static async Task<(double Lon, double Lat)> PointInAGridAsync(HttpClient client)
    {
        var grids = await (await client.GetAsync(new Uri("/api/v1/grids?within=150203001", UriKind.Relative), Ct)).JsonAsync();
        foreach (var feature in grids.GetProperty("features").EnumerateArray())
        {
            var geometry = feature.GetProperty("geometry");
            var ring = geometry.GetProperty("type").GetString() == "MultiPolygon"
                ? geometry.GetProperty("coordinates")[0][0]
                : geometry.GetProperty("coordinates")[0];
            var points = ring.EnumerateArray().Select(p => (Lon: p[0].GetDouble(), Lat: p[1].GetDouble())).ToList();
            var (lon, lat) = (points.Average(p => p.Lon), points.Average(p => p.Lat));
            var located = await client.GetAsync(new Uri(FormattableString.Invariant($"/api/v1/geo/locate?lon={lon}&lat={lat}"), UriKind.Relative), Ct);
            if (located.IsSuccessStatusCode && (await located.JsonAsync()).TryGetProperty("grid", out var grid)
                && grid.ValueKind == JsonValueKind.Object)
            {
                return (lon, lat);
            }
        }
        throw new InvalidOperationException("no grid of 150203001 contains its own centre");
    }
}
