using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

// The load client behind bench/cases-load.sh. It runs as its own process on loopback and prints
// one summary line per run: requests, errors, throughput and the latency percentiles.
//
//   intake URL USER PASSWORD POINTS [--concurrency 64] [--duration 60] [--warmup 5] [--photos N]
//       POST /api/v1/cases at points inside grids (a file of `lon lat grid`, as LocateConsole
//       --points writes it), each with its own Idempotency-Key, as fast as the server answers.
//       With --photos N, N distinct photos are uploaded first (not timed) and each case references
//       one of its own (a photo attaches to one case only); the run stops early when they run out.
//   detail URL USER PASSWORD [--concurrency 64] [--duration 30]
//       GET /api/v1/cases/{id} over the newest 1,000 cases the user sees.
//   photos URL USER PASSWORD FILE --photos N [--concurrency 64]
//       Uploads N distinct photos and writes their ids to FILE, one a line (for bench/intake.lua).
//   ids URL USER PASSWORD FILE
//       Writes the ids of the newest 1,000 cases the user sees to FILE (for bench/detail.lua).
//   insert CONNECTION [--concurrency 64] [--duration 30]
//       The ceiling: a bare INSERT + COMMIT per row into PostgreSQL, one connection per worker.
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: intake URL USER PASSWORD POINTS | detail URL USER PASSWORD | photos URL USER PASSWORD FILE | ids URL USER PASSWORD FILE | insert CONNECTION  [--concurrency N] [--duration S] [--warmup S] [--photo ID]");
    return 2;
}
return options.Mode switch
{
    "intake" => await Load.IntakeAsync(options),
    "photos" => await Load.PhotosAsync(options),
    "ids" => await Load.IdsAsync(options),
    "detail" => await Load.DetailAsync(options),
    "insert" => await Load.InsertAsync(options),
    _ => 2,
};

internal sealed record Options(string Mode, IReadOnlyList<string> Positional, int Concurrency, int Duration, int Warmup, int Photos)
{
    public static Options? Parse(string[] args)
    {
        if (args.Length == 0)
        {
            return null;
        }
        var positional = new List<string>();
        int concurrency = 64, duration = 0, warmup = 5;
        var photos = 0;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--concurrency": concurrency = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--duration": duration = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--photos": photos = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: positional.Add(args[i]); break;
            }
        }
        var mode = args[0];
        var needed = mode switch { "intake" or "photos" or "ids" => 4, "detail" => 3, "insert" => 1, _ => -1 };
        if (positional.Count != needed)
        {
            return null;
        }
        return new Options(mode, positional, concurrency, duration > 0 ? duration : mode == "intake" ? 60 : 30, warmup, photos);
    }
}

internal static class Load
{
    public static async Task<int> IntakeAsync(Options o)
    {
        var points = File.ReadLines(o.Positional[3])
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 3 && p[2] != "-")
            .Select(p => (Lon: double.Parse(p[0], CultureInfo.InvariantCulture), Lat: double.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToArray();
        if (points.Length == 0)
        {
            Console.Error.WriteLine("no inside points in " + o.Positional[3]);
            return 2;
        }
        using var client = await SignedInClientAsync(o);
        var run = Guid.NewGuid().ToString("N")[..8];
        var pool = await UploadPhotosAsync(client, o, run);
        return await RunAsync("intake POST /api/v1/cases", o, async (worker, n, ct) =>
        {
            var (lon, lat) = points[(worker * 7919 + n) % points.Length];
            var photo = string.Empty;
            if (o.Photos > 0)
            {
                if (!pool.TryDequeue(out var id))
                {
                    throw new HttpRequestException("the uploaded photos ran out: give --photos more");
                }
                photo = $",\"photoIds\":[\"{id}\"]";
            }
            var body = string.Create(CultureInfo.InvariantCulture,
                $"{{\"categoryCode\":\"0301\",\"lon\":{lon:R},\"lat\":{lat:R},\"description\":\"压力测试：垃圾堆放 {worker}-{n}\",\"channel\":\"patrol\"{photo}}}");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", $"load-{run}-{worker}-{n}");
            using var response = await client.SendAsync(request, ct);
            return response.StatusCode == HttpStatusCode.Created;
        });
    }

    /// <summary>Uploads the options' number of distinct photos (a 1×1 PNG made unique by a text chunk), at the run's concurrency.</summary>
    private static async Task<System.Collections.Concurrent.ConcurrentQueue<string>> UploadPhotosAsync(HttpClient client, Options o, string run)
    {
        var pool = new System.Collections.Concurrent.ConcurrentQueue<string>();
        if (o.Photos <= 0)
        {
            return pool;
        }
        var watch = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, o.Concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < o.Photos; i = Interlocked.Increment(ref next))
            {
                using var form = new MultipartFormDataContent();
                var png = new ByteArrayContent(Png.Unique($"{run}-{i}"));
                png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                form.Add(png, "file", "photo.png");
                using var response = await client.PostAsync(new Uri("/api/v1/files", UriKind.Relative), form);
                response.EnsureSuccessStatusCode();
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                pool.Enqueue(json.RootElement.GetProperty("id").GetString()!);
            }
        })));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"uploaded {pool.Count:N0} distinct photos in {watch.Elapsed.TotalSeconds:F1} s (not timed)"));
        return pool;
    }

    public static async Task<int> PhotosAsync(Options o)
    {
        using var client = await SignedInClientAsync(o);
        var pool = await UploadPhotosAsync(client, o, Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllLinesAsync(o.Positional[3], pool);
        return pool.Count == o.Photos ? 0 : 1;
    }

    public static async Task<int> IdsAsync(Options o)
    {
        using var client = await SignedInClientAsync(o);
        var ids = await NewestCasesAsync(client);
        await File.WriteAllLinesAsync(o.Positional[3], ids);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ids.Count:N0} case ids written to {o.Positional[3]}"));
        return ids.Count > 0 ? 0 : 2;
    }

    private static async Task<List<string>> NewestCasesAsync(HttpClient client)
    {
        var ids = new List<string>();
        for (var page = 1; ids.Count < 1000; page++)
        {
            using var list = await client.GetAsync(new Uri($"/api/v1/cases?page={page}&pageSize=100", UriKind.Relative));
            list.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
            var items = json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
            if (items.Count == 0)
            {
                break;
            }
            ids.AddRange(items);
        }
        return ids;
    }

    public static async Task<int> DetailAsync(Options o)
    {
        using var client = await SignedInClientAsync(o);
        var ids = await NewestCasesAsync(client);
        if (ids.Count == 0)
        {
            Console.Error.WriteLine("the user sees no cases: run intake first");
            return 2;
        }
        return await RunAsync($"detail GET /api/v1/cases/{{id}} over {ids.Count:N0} cases", o, async (worker, n, ct) =>
        {
            using var response = await client.GetAsync(new Uri($"/api/v1/cases/{ids[(worker * 131 + n) % ids.Count]}", UriKind.Relative), ct);
            await response.Content.LoadIntoBufferAsync(ct);
            return response.StatusCode == HttpStatusCode.OK;
        });
    }

    public static async Task<int> InsertAsync(Options o)
    {
        var connection = o.Positional[0];
        await using (var setup = new NpgsqlConnection(connection))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("""
                DROP TABLE IF EXISTS load_ceiling;
                CREATE TABLE load_ceiling (id uuid PRIMARY KEY, number text NOT NULL, grid text NOT NULL,
                  description text NOT NULL, created timestamptz NOT NULL)
                """, setup);
            await create.ExecuteNonQueryAsync();
        }
        var connections = new NpgsqlConnection[o.Concurrency];
        for (var i = 0; i < connections.Length; i++)
        {
            connections[i] = new NpgsqlConnection(connection);
            await connections[i].OpenAsync();
        }
        try
        {
            return await RunAsync("insert bare INSERT+COMMIT (PostgreSQL)", o, async (worker, n, ct) =>
            {
                var db = connections[worker];
                await using var transaction = await db.BeginTransactionAsync(ct);
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO load_ceiling VALUES ($1, $2, $3, $4, now())", db, transaction);
                insert.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
                insert.Parameters.Add(new NpgsqlParameter { Value = $"SJ-{worker}-{n}" });
                insert.Parameters.Add(new NpgsqlParameter { Value = "150203001001" });
                insert.Parameters.Add(new NpgsqlParameter { Value = "压力测试：垃圾堆放" });
                await insert.ExecuteNonQueryAsync(ct);
                await transaction.CommitAsync(ct);
                return true;
            });
        }
        finally
        {
            foreach (var c in connections)
            {
                await c.DisposeAsync();
            }
        }
    }

    private static async Task<HttpClient> SignedInClientAsync(Options o)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = o.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(o.Positional[0]), Timeout = TimeSpan.FromSeconds(30) };
        using var token = await client.PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative),
            new { userName = o.Positional[1], password = o.Positional[2] });
        if (!token.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"sign-in failed: {(int)token.StatusCode} {await token.Content.ReadAsStringAsync()}");
        }
        using var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>
    /// Runs the options' concurrency of workers, each sending its next request when the last one
    /// answered, for the warm-up and then the measured duration; only the measured requests count.
    /// </summary>
    private static async Task<int> RunAsync(string name, Options o, Func<int, int, CancellationToken, Task<bool>> send)
    {
        var latencies = new List<long>[o.Concurrency];
        var errors = new long[o.Concurrency];
        var firstError = (string?)null;
        var clock = Stopwatch.StartNew();
        var measureFrom = TimeSpan.FromSeconds(o.Warmup);
        var stopAt = measureFrom + TimeSpan.FromSeconds(o.Duration);
        var measuredStart = 0L;
        using var cancel = new CancellationTokenSource(stopAt + TimeSpan.FromSeconds(60));
        var workers = Enumerable.Range(0, o.Concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(65536);
            for (var n = 0; clock.Elapsed < stopAt; n++)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await send(w, n, cancel.Token);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or NpgsqlException)
                {
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                    ok = false;
                }
                var ended = Stopwatch.GetTimestamp();
                if (clock.Elapsed < measureFrom || clock.Elapsed > stopAt)
                {
                    continue;
                }
                Interlocked.CompareExchange(ref measuredStart, started, 0);
                if (ok)
                {
                    mine.Add(ended - started);
                }
                else
                {
                    errors[w]++;
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var failed = errors.Sum();
        double Ms(double p) => all.Length == 0 ? double.NaN
            : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p / 100 * all.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {all.Length:N0} ok, {failed:N0} errors in {o.Duration} s at {o.Concurrency} concurrent = {all.Length / (double)o.Duration:N0}/s; p50 {Ms(50):F1} ms, p95 {Ms(95):F1} ms, p99 {Ms(99):F1} ms, max {Ms(100):F1} ms"));
        if (firstError is not null)
        {
            Console.WriteLine("first error: " + firstError);
        }
        return failed == 0 ? 0 : 1;
    }
}

/// <summary>A valid 1×1 PNG whose bytes differ by a tEXt chunk, so the content-addressed store keeps each.</summary>
internal static class Png
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Header = [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];
    // zlib stream of one scanline: filter 0 and one RGB pixel.
    private static readonly byte[] Pixels = [0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00];
    private static readonly uint[] Table = [.. Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return c;
    })];

    public static byte[] Unique(string text)
    {
        using var png = new MemoryStream();
        png.Write(Signature);
        Chunk(png, "IHDR", Header);
        Chunk(png, "tEXt", Encoding.ASCII.GetBytes("Comment\0" + text));
        Chunk(png, "IDAT", Pixels);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(BigEndian((uint)data.Length));
        png.Write(typed);
        var crc = 0xFFFFFFFFu;
        foreach (var b in typed)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        png.Write(BigEndian(crc ^ 0xFFFFFFFFu));
    }

    private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
