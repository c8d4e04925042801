using CivicGrid.Infrastructure.Data;
using Npgsql;

namespace CivicGrid.Tests.Infrastructure;

/// <summary>
/// The databases every data test runs on. PostgreSQL is the one ./test.sh starts; its admin
/// connection string comes from <c>CIVICGRID_TEST_POSTGRES</c>. Without it the test fails loudly,
/// unless <c>CIVICGRID_SKIP_POSTGRES=1</c> asks for a quick SQLite-only loop.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "CIVICGRID_TEST_POSTGRES";
    public const string SkipVariable = "CIVICGRID_SKIP_POSTGRES";

    public static string? PostgresAdmin => Environment.GetEnvironmentVariable(PostgresVariable);

    public static bool SkipPostgres => Environment.GetEnvironmentVariable(SkipVariable) == "1";

    /// <summary>Creates an empty database for one app instance; returns its connection string.</summary>
    public static async Task<string> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("civicgrid-test-");
            return $"Data Source={Path.Combine(folder.FullName, "civicgrid.db")}";
        }

        var admin = RequirePostgres();
        var name = $"cg_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateAsync"/>.</summary>
    public static async Task DropAsync(DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
            return;
        }
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(RequirePostgres());
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Skips the current test on PostgreSQL when asked to, and fails when PostgreSQL is missing.</summary>
    public static void Require(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            RequirePostgres();
        }
    }

    private static string RequirePostgres()
    {
        if (SkipPostgres)
        {
            Assert.Skip($"{SkipVariable}=1: PostgreSQL tests skipped for a quick local loop");
        }
        return PostgresAdmin is { Length: > 0 } admin
            ? admin
            : throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run ./test.sh (it starts a throwaway PostgreSQL), " +
                $"or set {SkipVariable}=1 to run only the SQLite half on purpose.");
    }
}

/// <summary>Theory data: run the test on SQLite and on PostgreSQL.</summary>
public sealed class BothDatabases : TheoryData<DatabaseProvider>
{
    public BothDatabases()
    {
        Add(DatabaseProvider.Sqlite);
        Add(DatabaseProvider.Postgres);
    }
}
