using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CivicGrid.Infrastructure.Data;

/// <summary>Wires the provider chosen by configuration, with its own migrations assembly.</summary>
public static class DatabaseSetup
{
    /// <summary>Name of the SQLite migrations assembly.</summary>
    public const string SqliteMigrations = "CivicGrid.Migrations.Sqlite";

    /// <summary>Name of the PostgreSQL migrations assembly.</summary>
    public const string PostgresMigrations = "CivicGrid.Migrations.Postgres";

    /// <summary>Registers <see cref="CivicGridDbContext"/> for the configured provider.</summary>
    public static IServiceCollection AddCivicGridDatabase(this IServiceCollection services)
    {
        // Read when first needed, not now: hosts and tests may still add configuration sources.
        services.AddSingleton(sp => DatabaseSettings.From(sp.GetRequiredService<IConfiguration>()));
        // Pooled: building a context's services cost more than the intake's whole insert. Each
        // request rents one and sets its caller's jurisdiction on it (docs/adr/0019). Save hooks
        // registered by modules (the registry's field history) are singletons that run inside every
        // save's transaction; they find the caller through the context's scope.
        services.AddPooledDbContextFactory<CivicGridDbContext>((sp, options) => Configure(options, sp.GetRequiredService<DatabaseSettings>())
            .AddInterceptors(sp.GetServices<ISaveChangesInterceptor>()));
        services.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<CivicGridDbContext>>().CreateDbContext();
            db.Scope = sp.GetService<IDataScope>() ?? SystemDataScope.Instance;
            return db;
        });
        services.AddScoped<DatabaseMigrator>();
        return services;
    }

    /// <summary>Points <paramref name="options"/> at the provider and its migrations assembly.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(settings.ConnectionString,
                sqlite => sqlite.MigrationsAssembly(SqliteMigrations)),
            DatabaseProvider.Postgres => options.UseNpgsql(WithPreparedStatements(settings.ConnectionString),
                npgsql => npgsql.MigrationsAssembly(PostgresMigrations)),
            _ => throw new InvalidOperationException($"Unknown provider {settings.Provider}"),
        };
    }

    /// <summary>
    /// Npgsql's automatic preparation, unless the connection string says otherwise: a statement
    /// run twice on a connection is prepared there, so PostgreSQL parses and plans the hot paths
    /// (intake, case reads, the jurisdiction-filtered lists) once per connection, not per request.
    /// </summary>
    public static string WithPreparedStatements(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }
}

/// <summary>Applies migrations (never EnsureCreated) and sets the SQLite file up for durability.</summary>
public sealed class DatabaseMigrator(CivicGridDbContext db, DatabaseSettings settings)
{
    /// <summary>Applies every pending migration; safe to call on every start.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            // WAL: readers never block the writer, and a committed write survives kill -9.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        // Up to date (every start and command after the first): the migrator would still build the last
        // migration's model and compare it with this one (EF's pending-model-changes check), about 0.2 s
        // and 12 MB of a command's peak (bench/RESULTS.md, eleventh session). A fresh or older database
        // migrates as before, the check included.
        if (!(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            return;
        }
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Migrations defined in the assembly but not yet applied.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken = default) =>
        [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];

    /// <summary>Opens a connection for bulk paths that bypass the change tracker.</summary>
    public static bool IsSqlite(CivicGridDbContext context) =>
        context.Database.GetDbConnection() is SqliteConnection;
}
