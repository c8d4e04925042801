using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SQLitePCL;

namespace CivicGrid.Infrastructure.Data;

/// <summary>
/// The bulk path for imports and seeds: binary COPY on PostgreSQL, one prepared INSERT reused
/// inside a transaction on SQLite. Column names and value conversions come from the EF model, so
/// the tables stay defined in one place. Measured here: COPY ~276k rows/s, SQLite ~297k rows/s,
/// against ~10k rows/s for SaveChanges.
/// </summary>
public static class BulkWriter
{
    /// <summary>
    /// SQLite's page cache while a bulk write runs (32 MiB; the default is 2 MB). It holds the indexes of
    /// a 100,000-person table (about 21 MB) and a transaction's new rows. 64 MiB imported 300,000 rows
    /// into an empty table 15 % faster, but kept the CLI's import of 100,000 over its 300 MB budget; for
    /// 100,000 rows the two were as fast (bench/RESULTS.md, eleventh session).
    /// </summary>
    private const int BulkCacheKiB = 32_768;

    /// <summary>
    /// The WAL size (pages) at which a connection inside a <see cref="SessionAsync"/> copies the WAL back
    /// into the database: 64 MiB, against SQLite's default of 1,000 pages (4 MB). With the default each
    /// commit of an import (a few every 100,000 rows) was followed by a checkpoint that copied the random
    /// index pages back again: commits and checkpoints took 400-470 ms of the writer's time per 100,000
    /// rows, 170-270 ms with this (bench/RESULTS.md, eleventh session). The WAL stays bounded: once it
    /// reaches this size, the next commit checkpoints it.
    /// </summary>
    private const int BulkCheckpointPages = 16_384;

    /// <summary>SQLite's default WAL size before a checkpoint, restored when a session ends.</summary>
    private const int DefaultCheckpointPages = 1_000;

    /// <summary>SQLite connections inside a <see cref="SessionAsync"/>: their large cache stays between writes.</summary>
    private static readonly ConditionalWeakTable<SqliteConnection, object> Sessions = new();

    /// <summary>
    /// Keeps the context's connection open, and on SQLite its large page cache, its rarer checkpoints
    /// and unsynced commits, across a series of <see cref="InsertAsync{T}"/> calls (an import's chunks) until
    /// disposed. Without it each call gives the cache back, and the next one reads the table's index
    /// pages again from the OS.
    /// </summary>
    public static async Task<IAsyncDisposable> SessionAsync(CivicGridDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var sqlite = db.Database.GetDbConnection() as SqliteConnection;
        if (sqlite is not null && !Sessions.TryGetValue(sqlite, out _))
        {
            await PragmaAsync(sqlite, $"PRAGMA cache_size = -{BulkCacheKiB}", cancellationToken);
            await PragmaAsync(sqlite, $"PRAGMA wal_autocheckpoint = {BulkCheckpointPages}", cancellationToken);
            // The session's commits are not synced one by one (WAL with synchronous NORMAL: a commit
            // survives the process being killed, and a power cut may take back the last few). The
            // import's end is recorded by another connection with the default FULL, whose sync of the
            // WAL makes every earlier commit durable before the run is reported done. Each commit's
            // sync was 70-100 ms of the writer's time per 100,000 rows (bench/RESULTS.md).
            await using var read = sqlite.CreateCommand();
            read.CommandText = "PRAGMA synchronous";
            var synchronous = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            await PragmaAsync(sqlite, "PRAGMA synchronous = NORMAL", cancellationToken);
            Sessions.Add(sqlite, db);
            return new Session(db, sqlite, synchronous);
        }
        return new Session(db, null, 0);
    }

    /// <summary>Inserts <paramref name="rows"/> of an entity mapped in <paramref name="db"/>; returns the count.</summary>
    public static Task<int> InsertAsync<T>(CivicGridDbContext db, IEnumerable<T> rows, CancellationToken cancellationToken = default)
        where T : class => InsertCoreAsync(db, rows, typed: true, cancellationToken);

    /// <summary>
    /// Tests only: on SQLite, writes through Microsoft.Data.Sqlite's command, the path whose stored values
    /// <see cref="SqliteRowWriter"/> must match.
    /// </summary>
    internal static Task<int> InsertViaCommandAsync<T>(CivicGridDbContext db, IEnumerable<T> rows, CancellationToken cancellationToken = default)
        where T : class => InsertCoreAsync(db, rows, typed: false, cancellationToken);

    private static async Task<int> InsertCoreAsync<T>(CivicGridDbContext db, IEnumerable<T> rows, bool typed, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        var columns = EntityColumns.Of<T>(db);

        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }
        try
        {
            return connection switch
            {
                NpgsqlConnection npgsql => await CopyAsync(npgsql, columns, rows, cancellationToken),
                SqliteConnection sqlite => await InsertPreparedAsync(sqlite, db, columns, rows, typed, cancellationToken),
                _ => throw new NotSupportedException(connection.GetType().Name),
            };
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static async Task<int> CopyAsync<T>(NpgsqlConnection connection, EntityColumns columns, IEnumerable<T> rows,
        CancellationToken cancellationToken)
        where T : class
    {
        var sql = $"COPY \"{columns.Table}\" ({columns.Quoted}) FROM STDIN (FORMAT BINARY)";
        var count = 0;
        await using (var importer = await connection.BeginBinaryImportAsync(sql, cancellationToken))
        {
            // The values go into Npgsql's buffer synchronously (an await per value cost more than the
            // value), each written typed; only a full buffer blocks on the socket, and the database reads it at once.
            var write = CopyRowWriter.For(columns);
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                importer.StartRow();
                write(importer, row);
                count++;
            }
            await importer.CompleteAsync(cancellationToken);
        }
        return count;
    }

    private static async Task<int> InsertPreparedAsync<T>(SqliteConnection connection, CivicGridDbContext db, EntityColumns columns,
        IEnumerable<T> rows, bool typed, CancellationToken cancellationToken)
        where T : class
    {
        // A bulk write touches every index of the table (a person has eight, four of them blind indexes in
        // random order): with SQLite's default 2 MB page cache those pages go back and forth to the OS
        // and the write runs at a third of its speed. The connection gets a larger cache while it writes.
        var session = Sessions.TryGetValue(connection, out _);
        if (!session)
        {
            await PragmaAsync(connection, $"PRAGMA cache_size = -{BulkCacheKiB}", cancellationToken);
        }
        try
        {
            if (typed && SqliteRowWriter.For(columns) is { } bind)
            {
                return await SqliteTransactions.InTransactionAsync(db, connection, _ => Task.FromResult(InsertBound(connection, columns, bind,
                    rows, cancellationToken)), cancellationToken);
            }
            return await SqliteTransactions.InTransactionAsync(db, connection, async transaction =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = columns.NamedInsert;
                var parameters = columns.Names.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
                await command.PrepareAsync(cancellationToken);
                var count = 0;
                foreach (var row in rows)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    for (var i = 0; i < parameters.Length; i++)
                    {
                        parameters[i].Value = columns.ValueOf(row, i) ?? DBNull.Value;
                    }
                    // SQLite runs in this process: its "async" is the same call with a Task around it.
                    command.ExecuteNonQuery();
                    count++;
                }
                return count;
            }, cancellationToken);
        }
        finally
        {
            if (!session)
            {
                await DefaultCacheAsync(connection);
            }
        }
    }

    /// <summary>
    /// One INSERT prepared on the connection's own handle, bound by position and stepped per row
    /// (<see cref="SqliteRowWriter"/>); it runs in the connection's open transaction.
    /// </summary>
    private static int InsertBound<T>(SqliteConnection connection, EntityColumns columns, Action<sqlite3_stmt, object> bind, IEnumerable<T> rows,
        CancellationToken cancellationToken)
        where T : class
    {
        var database = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(database, columns.PositionalInsert, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, database);
        }
        using (statement)
        {
            var count = 0;
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bind(statement, row);
                SqliteRowWriter.Step(statement, database);
                count++;
            }
            return count;
        }
    }

    /// <summary>Back to the default before the connection returns to the pool.</summary>
    private static Task DefaultCacheAsync(SqliteConnection connection) => PragmaAsync(connection, "PRAGMA cache_size = -2000", CancellationToken.None);

    private sealed class Session(CivicGridDbContext db, SqliteConnection? sqlite, int synchronous) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (sqlite is not null)
            {
                Sessions.Remove(sqlite);
                await DefaultCacheAsync(sqlite);
                await PragmaAsync(sqlite, $"PRAGMA wal_autocheckpoint = {DefaultCheckpointPages}", CancellationToken.None);
                await PragmaAsync(sqlite, $"PRAGMA synchronous = {synchronous}", CancellationToken.None);
            }
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task PragmaAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = sql;
        await pragma.ExecuteNonQueryAsync(cancellationToken);
    }
}
