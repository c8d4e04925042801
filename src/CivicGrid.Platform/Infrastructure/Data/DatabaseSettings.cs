using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace CivicGrid.Infrastructure.Data;

/// <summary>Which database engine holds the data.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded file database, the default for a laptop or a small county.</summary>
    Sqlite,
    /// <summary>PostgreSQL, for production.</summary>
    Postgres,
}

/// <summary>
/// <c>Database:Provider</c> (<c>Sqlite</c> | <c>Postgres</c>) and <c>ConnectionStrings:Default</c>.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>The SQLite file used when nothing is configured.</summary>
    public const string DefaultSqlite = "Data Source=data/civicgrid.db";

    /// <summary>Reads the settings, failing with a clear message when they are wrong.</summary>
    public static DatabaseSettings From(IConfiguration configuration)
    {
        var raw = configuration["Database:Provider"];
        var provider = DatabaseProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(raw) && !Enum.TryParse(raw, ignoreCase: true, out provider))
        {
            throw new InvalidOperationException(
                $"Database:Provider is '{raw}'; expected 'Sqlite' or 'Postgres'.");
        }

        var connectionString = configuration.GetConnectionString("Default");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider == DatabaseProvider.Sqlite
                ? DefaultSqlite
                : throw new InvalidOperationException(
                    "Database:Provider is Postgres but ConnectionStrings:Default is empty.");
        }

        if (provider == DatabaseProvider.Sqlite)
        {
            connectionString = PrepareSqlite(connectionString);
        }
        return new DatabaseSettings(provider, connectionString);
    }

    // The file's folder must exist; a relative path is taken from the working directory.
    private static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:"
            && builder.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.GetFullPath(builder.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}
