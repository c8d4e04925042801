using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CivicGrid.Modules.Geography.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace CivicGrid.Benchmarks;

/// <summary>One synthetic set of grids and the fixed query points every locate benchmark uses.</summary>
internal sealed class GridSet(string name, (string Code, Geometry Area)[] grids, (double X, double Y)[] points, int insidePoints)
{
    public string Name { get; } = name;

    public (string Code, Geometry Area)[] Grids { get; } = grids;

    /// <summary>The query points, inside and outside points interleaved at random.</summary>
    public (double X, double Y)[] Points { get; } = points;

    /// <summary>How many of <see cref="Points"/> lie inside some grid.</summary>
    public int InsidePoints { get; } = insidePoints;
}

/// <summary>
/// Builds the synthetic grid sets with the same partitioner the demo seed uses, and caches them
/// as WKB under bench/.cache/ (the province set takes minutes to cut, loading it a few seconds).
/// <list type="bullet">
/// <item><b>Kundulun</b>: exactly the demo's grids: district 150203 from 1502-baotou.geojson cut into
/// its 16 real streets, each street into its real communities (112 in all), and 1,391 grids
/// apportioned over the communities by area (micro-grids are left out: they are a second level).</item>
/// <item><b>Province100k</b>: every district of Inner Mongolia (every feature of the 15xx-*.geojson
/// files, 103) cut straight into grids, 100,000 apportioned over the districts by area.</item>
/// </list>
/// The cache file's name carries a hash of the inputs and of the partitioner's IL, so a change
/// to either builds the set afresh instead of benchmarking stale shapes.
/// </summary>
internal static class GridSets
{
    public const string Kundulun = "Kundulun";
    public const string Province100k = "Province100k";
    public const int KundulunGrids = 1391;
    public const int ProvinceGrids = 100_000;
    public const int PointCount = 4096;

    // Share of query points drawn inside a grid; the rest fall outside every grid.
    private const double InsideShare = 0.9;
    private const int Seed = 20261122;
    private const string KundulunCode = "150203";
    private const int CacheFormat = 1;

    private static readonly Dictionary<string, GridSet> Loaded = [];
    private static readonly Lock Gate = new();

    public static IReadOnlyList<string> Names { get; } = [Kundulun, Province100k];

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string DemoData => Path.Combine(AppContext.BaseDirectory, "DemoData");

    public static GridSet Get(string name)
    {
        lock (Gate)
        {
            if (!Loaded.TryGetValue(name, out var set))
            {
                var grids = LoadOrBuild(name);
                var (points, inside) = QueryPoints(grids);
                Loaded[name] = set = new GridSet(name, grids, points, inside);
            }

            return set;
        }
    }

    private static (string Code, Geometry Area)[] LoadOrBuild(string name)
    {
        var (inputs, build) = name switch
        {
            Kundulun => (KundulunInputs(), (Func<(string, Geometry)[]>)BuildKundulun),
            Province100k => (ProvinceInputs(), BuildProvince),
            _ => throw new ArgumentException($"Unknown grid set {name}; known: {string.Join(", ", Names)}", nameof(name)),
        };
        var folder = Path.Combine(RepositoryRoot, "bench", ".cache");
        var file = Path.Combine(folder, $"{name}-{CacheKey(name, inputs)}.wkb");
        if (File.Exists(file))
        {
            return Read(file);
        }

        var clock = Stopwatch.StartNew();
        Console.Error.WriteLine($"// GridSets: building {name} (not in {folder}) ...");
        var grids = build();
        Console.Error.WriteLine($"// GridSets: built {grids.Length:N0} grids of {name} in {clock.Elapsed.TotalSeconds:F1} s");
        Directory.CreateDirectory(folder);
        foreach (var stale in Directory.EnumerateFiles(folder, $"{name}-*.wkb"))
        {
            File.Delete(stale);
        }

        Write(file, grids);
        return grids;
    }

    private static (string, Geometry)[] BuildKundulun()
    {
        var outline = ReadDistricts(Directory.EnumerateFiles(Path.Combine(DemoData, "boundaries"), "1502-*.geojson"))
            .Single(d => d.Code == KundulunCode).Area;

        // Same order as the demo seed: streets by code, their communities by code.
        var streets = ReadCsv("streets.csv", "code", "areaCode")
            .Where(r => r[1] == KundulunCode).Select(r => r[0]).Order(StringComparer.Ordinal).ToList();
        var communities = ReadCsv("villages.csv", "code", "streetCode")
            .Where(r => r[0].StartsWith(KundulunCode, StringComparison.Ordinal))
            .OrderBy(r => r[0], StringComparer.Ordinal)
            .ToLookup(r => r[1], r => r[0]);

        var communityShapes = new List<(string Code, Geometry Shape)>();
        var streetPieces = DemoPartitioner.Split(outline, streets.Count);
        for (int s = 0; s < streets.Count; s++)
        {
            var members = communities[streets[s]].ToList();
            if (members.Count == 0)
            {
                continue;
            }

            var pieces = DemoPartitioner.Split(streetPieces[s], members.Count);
            for (int c = 0; c < members.Count; c++)
            {
                communityShapes.Add((members[c], pieces[c]));
            }
        }

        var perCommunity = DemoPartitioner.Apportion(KundulunGrids, communityShapes.Select(c => c.Shape.Area).ToList());
        var grids = new List<(string, Geometry)>(KundulunGrids);
        for (int c = 0; c < communityShapes.Count; c++)
        {
            var pieces = DemoPartitioner.Split(communityShapes[c].Shape, perCommunity[c]);
            for (int g = 0; g < pieces.Count; g++)
            {
                grids.Add(($"{communityShapes[c].Code}{g + 1:D3}", pieces[g]));
            }
        }

        return [.. grids];
    }

    private static (string, Geometry)[] BuildProvince()
    {
        var districts = ReadDistricts(ProvinceFiles()).ToArray();
        var perDistrict = DemoPartitioner.Apportion(ProvinceGrids, districts.Select(d => d.Area.Area).ToList());

        // Largest first so the two cores finish together.
        var results = new (string, Geometry)[districts.Length][];
        var order = Enumerable.Range(0, districts.Length).OrderByDescending(i => perDistrict[i]).ToArray();
        int done = 0;
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, d =>
        {
            var pieces = DemoPartitioner.Split(districts[d].Area, perDistrict[d]);
            results[d] = pieces.Select((p, i) => ($"{districts[d].Code}{i + 1:D6}", p)).ToArray();
            int finished = Interlocked.Increment(ref done);
            if (finished % 10 == 0)
            {
                Console.Error.WriteLine($"// GridSets: {finished}/{districts.Length} districts cut");
            }
        });
        return [.. results.SelectMany(r => r)];
    }

    /// <summary>
    /// Seeded, so every run and every benchmark (in process, PostGIS, HTTP) asks the same points.
    /// An inside point is drawn in a random grid's envelope until it falls in that grid; an
    /// outside point anywhere in the set's envelope grown by a fifth, until no grid covers it.
    /// </summary>
    private static ((double X, double Y)[] Points, int Inside) QueryPoints((string Code, Geometry Area)[] grids)
    {
        var tree = new STRtree<Geometry>();
        var all = new Envelope();
        foreach (var (_, area) in grids)
        {
            tree.Insert(area.EnvelopeInternal, area);
            all.ExpandToInclude(area.EnvelopeInternal);
        }

        tree.Build();
        all.ExpandBy(all.Width / 5, all.Height / 5);
        var random = new Random(Seed);
        var points = new (double X, double Y)[PointCount];
        int inside = 0;
        for (int i = 0; i < PointCount; i++)
        {
            if (random.NextDouble() < InsideShare)
            {
                points[i] = InsideOf(grids[random.Next(grids.Length)].Area, random);
                inside++;
            }
            else
            {
                points[i] = OutsideOf(tree, all, random);
            }
        }

        return (points, inside);
    }

    private static (double X, double Y) InsideOf(Geometry area, Random random)
    {
        var env = area.EnvelopeInternal;
        while (true)
        {
            double x = env.MinX + (random.NextDouble() * env.Width);
            double y = env.MinY + (random.NextDouble() * env.Height);
            if (area.Contains(area.Factory.CreatePoint(new Coordinate(x, y))))
            {
                return (x, y);
            }
        }
    }

    private static (double X, double Y) OutsideOf(STRtree<Geometry> tree, Envelope env, Random random)
    {
        while (true)
        {
            double x = env.MinX + (random.NextDouble() * env.Width);
            double y = env.MinY + (random.NextDouble() * env.Height);
            var point = Shapes.Factory.CreatePoint(new Coordinate(x, y));
            if (!tree.Query(point.EnvelopeInternal).Any(a => a.Covers(point)))
            {
                return (x, y);
            }
        }
    }

    /// <summary>Reads districts the way the boundary importer does: feature id, repaired shape.</summary>
    private static IEnumerable<(string Code, Geometry Area)> ReadDistricts(IEnumerable<string> files)
    {
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var feature in document.RootElement.GetProperty("features").EnumerateArray())
            {
                var id = feature.GetProperty("id");
                var code = id.ValueKind == JsonValueKind.Number ? id.GetRawText() : id.GetString()!;
                var (shape, error, _) = Shapes.Prepare(feature.GetProperty("geometry").Deserialize<Geometry>(Shapes.Json));
                yield return (code, shape ?? throw new InvalidDataException($"{Path.GetFileName(file)} {code}: {error}"));
            }
        }
    }

    private static IEnumerable<string> ProvinceFiles() =>
        Directory.EnumerateFiles(Path.Combine(DemoData, "boundaries"), "15*.geojson");

    private static List<string[]> ReadCsv(string table, params string[] columns)
    {
        var lines = File.ReadAllLines(Path.Combine(DemoData, "divisions", table));
        var header = SplitCsv(lines[0]);
        var at = columns.Select(c => Array.IndexOf(header, c)).ToArray();
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(SplitCsv).Select(f => at.Select(i => f[i]).ToArray())];
    }

    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    private static string[] KundulunInputs() =>
    [
        Path.Combine(DemoData, "boundaries", "1502-baotou.geojson"),
        Path.Combine(DemoData, "divisions", "streets.csv"),
        Path.Combine(DemoData, "divisions", "villages.csv"),
    ];

    private static string[] ProvinceInputs() => [.. ProvinceFiles().Order(StringComparer.Ordinal)];

    private static string CacheKey(string name, string[] inputs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{name}|{CacheFormat}|{KundulunGrids}|{ProvinceGrids}"));
        foreach (var input in inputs)
        {
            hash.AppendData(File.ReadAllBytes(input));
        }

        // The partitioner's code: another branch may still be tuning it.
        foreach (var type in typeof(DemoPartitioner).Assembly.GetTypes()
                     .Where(t => t == typeof(DemoPartitioner) || t.DeclaringType == typeof(DemoPartitioner))
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            foreach (var method in type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public
                                                   | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                         .OrderBy(m => m.ToString(), StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes(method.ToString() ?? string.Empty));
                hash.AppendData(method.GetMethodBody()?.GetILAsByteArray() ?? []);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static void Write(string file, (string Code, Geometry Area)[] grids)
    {
        var temporary = file + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(grids.Length);
            foreach (var (code, area) in grids)
            {
                var wkb = Shapes.ToWkb(area);
                writer.Write(code);
                writer.Write(wkb.Length);
                writer.Write(wkb);
            }
        }

        File.Move(temporary, file, overwrite: true);
    }

    private static (string, Geometry)[] Read(string file)
    {
        using var reader = new BinaryReader(new BufferedStream(File.OpenRead(file), 1 << 20));
        var grids = new (string, Geometry)[reader.ReadInt32()];
        for (int i = 0; i < grids.Length; i++)
        {
            string code = reader.ReadString();
            var area = Shapes.FromWkb(reader.ReadBytes(reader.ReadInt32()));
            area.SRID = 4326;
            grids[i] = (code, area);
        }

        return grids;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CivicGrid.slnx")))
            {
                return dir.FullName;
            }
        }

        // BenchmarkDotNet's generated projects live under the bench's bin/, so they find it too.
        throw new InvalidOperationException($"No CivicGrid.slnx above {AppContext.BaseDirectory}");
    }
}
