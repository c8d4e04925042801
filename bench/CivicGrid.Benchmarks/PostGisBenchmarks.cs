using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using CivicGrid.Modules.Geography.Spatial;
using Npgsql;
using NpgsqlTypes;

namespace CivicGrid.Benchmarks;

/// <summary>
/// The database peer of <see cref="LocateBenchmarks"/>: the same grids in a PostGIS table with a
/// GiST index, one lookup = one prepared <c>ST_Contains … LIMIT 1</c> round trip over an open
/// loopback connection, cycling over the same 4,096 points. The in-process locator runs in the
/// same class as the baseline, so the Ratio column is "PostGIS time / in-process time".
/// Needs a PostgreSQL with postgis in <c>CIVICGRID_BENCH_POSTGRES</c>: run <c>bench/postgis.sh</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
public class PostGisBenchmarks
{
    public const string ConnectionVariable = "CIVICGRID_BENCH_POSTGRES";

    private const string Lookup =
        "SELECT code FROM grids WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) LIMIT 1";

    private PointLocator<string> _locator = null!;
    private double[] _xs = [];
    private double[] _ys = [];
    private NpgsqlConnection? _connection;
    private NpgsqlCommand _command = null!;
    private NpgsqlParameter<double> _x = null!;
    private NpgsqlParameter<double> _y = null!;
    private int _next;

    [Params(GridSets.Kundulun, GridSets.Province100k)]
    public string Set { get; set; } = GridSets.Kundulun;

    [GlobalSetup(Target = nameof(InProcess))]
    public void BuildLocator()
    {
        var set = GridSets.Get(Set);
        _locator = new PointLocator<string>(set.Grids);
        _xs = [.. set.Points.Select(p => p.X)];
        _ys = [.. set.Points.Select(p => p.Y)];
    }

    [GlobalSetup(Target = nameof(PostGis))]
    public void LoadAndPrepare()
    {
        BuildLocator();
        var set = GridSets.Get(Set);
        var connectionString = Environment.GetEnvironmentVariable(ConnectionVariable)
            ?? throw new InvalidOperationException($"{ConnectionVariable} is not set: run bench/postgis.sh");

        // One schema per set, so the query reads exactly "FROM grids" for both.
        string schema = Set.ToLowerInvariant();
        using (var admin = new NpgsqlConnection(connectionString))
        {
            admin.Open();
            Load(admin, schema, set);
        }

        _connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = $"{schema},public" }.ToString());
        _connection.Open();
        _x = new NpgsqlParameter<double> { NpgsqlDbType = NpgsqlDbType.Double };
        _y = new NpgsqlParameter<double> { NpgsqlDbType = NpgsqlDbType.Double };
        _command = new NpgsqlCommand(Lookup, _connection) { Parameters = { _x, _y } };
        _command.Prepare();
        CompareWithLocator();
    }

    [GlobalCleanup(Target = nameof(PostGis))]
    public void Close()
    {
        _command.Dispose();
        _connection?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = GridSets.PointCount, Description = "in-process PointLocator.TryLocate")]
    public int InProcess()
    {
        int found = 0;
        for (int i = 0; i < _xs.Length; i++)
        {
            if (_locator.TryLocate(_xs[i], _ys[i], out _))
            {
                found++;
            }
        }

        return found;
    }

    [Benchmark(Description = "PostGIS ST_Contains round trip")]
    public object? PostGis()
    {
        int i = _next;
        _next = (i + 1) & (GridSets.PointCount - 1);
        _x.TypedValue = _xs[i];
        _y.TypedValue = _ys[i];
        return _command.ExecuteScalar();
    }

    private static void Load(NpgsqlConnection db, string schema, GridSet set)
    {
        string fingerprint = Fingerprint(set);
        Execute(db, "CREATE EXTENSION IF NOT EXISTS postgis");
        using (var check = new NpgsqlCommand("SELECT obj_description(to_regclass(@t), 'pg_class')", db))
        {
            check.Parameters.AddWithValue("t", $"{schema}.grids");
            if (check.ExecuteScalar() as string == fingerprint)
            {
                Console.WriteLine($"// {schema}.grids already holds this set ({fingerprint})");
                return;
            }
        }

        var clock = Stopwatch.StartNew();
        Execute(db, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
        Execute(db, $"CREATE SCHEMA {schema}");
        Execute(db, $"CREATE TABLE {schema}.grids_load (code text NOT NULL, wkb bytea NOT NULL)");
        Execute(db, $"CREATE TABLE {schema}.grids (code text PRIMARY KEY, geom geometry(MultiPolygon, 4326) NOT NULL)");
        using (var copy = db.BeginBinaryImport($"COPY {schema}.grids_load (code, wkb) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (code, area) in set.Grids)
            {
                copy.StartRow();
                copy.Write(code, NpgsqlDbType.Text);
                copy.Write(Shapes.ToWkb(area), NpgsqlDbType.Bytea);
            }

            copy.Complete();
        }

        var copied = clock.Elapsed;
        Execute(db, $"INSERT INTO {schema}.grids SELECT code, ST_Multi(ST_GeomFromWKB(wkb, 4326)) FROM {schema}.grids_load");
        Execute(db, $"DROP TABLE {schema}.grids_load");
        var inserted = clock.Elapsed;
        Execute(db, $"CREATE INDEX grids_geom ON {schema}.grids USING gist (geom)");
        var indexed = clock.Elapsed;
        Execute(db, $"VACUUM ANALYZE {schema}.grids");
        Execute(db, $"COMMENT ON TABLE {schema}.grids IS '{fingerprint}'");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// loaded {set.Grids.Length:N0} grids into {schema}.grids: binary COPY of WKB {copied.TotalSeconds:F2} s, ST_GeomFromWKB insert {(inserted - copied).TotalSeconds:F2} s, GiST index {(indexed - inserted).TotalSeconds:F2} s, VACUUM ANALYZE {(clock.Elapsed - indexed).TotalSeconds:F2} s"));
    }

    // Same codes, same vertex count, same first and last shape: the table holds this set.
    private static string Fingerprint(GridSet set) => string.Create(CultureInfo.InvariantCulture,
        $"{set.Name}:{set.Grids.Length}:{set.Grids.Sum(g => (long)g.Area.NumPoints)}:{set.Grids[0].Code}:{set.Grids[^1].Code}:{set.Grids[0].Area.Area:R}:{set.Grids[^1].Area.Area:R}");

    private static void Execute(NpgsqlConnection db, string sql)
    {
        using var command = new NpgsqlCommand(sql, db) { CommandTimeout = 600 };
        command.ExecuteNonQuery();
    }

    // Both must answer the same grid for every point; ST_Contains and the locator may differ
    // only for a point exactly on a shared edge, which random doubles practically never hit.
    private void CompareWithLocator()
    {
        int same = 0;
        int found = 0;
        var differ = new List<string>();
        for (int i = 0; i < _xs.Length; i++)
        {
            _x.TypedValue = _xs[i];
            _y.TypedValue = _ys[i];
            var database = _command.ExecuteScalar() as string;
            _locator.TryLocate(_xs[i], _ys[i], out var memory);
            found += database is null ? 0 : 1;
            if (database == memory)
            {
                same++;
            }
            else if (differ.Count < 5)
            {
                differ.Add(string.Create(CultureInfo.InvariantCulture, $"({_xs[i]:R}, {_ys[i]:R}): PostGIS {database ?? "-"}, locator {memory ?? "-"}"));
            }
        }

        Console.WriteLine($"// {Set}: PostGIS located {found:N0} of {_xs.Length:N0} points; same answer as the locator for {same:N0}");
        foreach (var line in differ)
        {
            Console.WriteLine($"//   differs at {line}");
        }
    }

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(StatisticColumn.Median, StatisticColumn.P95);
    }
}
