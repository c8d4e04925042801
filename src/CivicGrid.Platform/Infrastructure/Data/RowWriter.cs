using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CivicGrid.Infrastructure.Data;

/// <summary>
/// The write path of a hot request (the case intake): a few new rows written at once without the
/// change tracker, whose bookkeeping cost more than the database did. On PostgreSQL the rows go as
/// one <see cref="NpgsqlBatch"/>, one round trip; outside a transaction the batch is its own
/// implicit transaction, all or nothing, committed when the answer comes. On SQLite (in process,
/// no round trip to save) prepared INSERTs run in one transaction. Inside the context's current
/// transaction both join it. Columns and values come from the EF model (<see cref="EntityColumns"/>).
/// Rows passed as <c>newOnly</c> are inserted with <c>ON CONFLICT DO NOTHING</c> (the case intake's
/// idempotency keys): one already there is skipped without failing the rest, and the count says how
/// many went in.
/// </summary>
public static class RowWriter
{
    private const string OnConflictDoNothing = " ON CONFLICT DO NOTHING";

    /// <summary>Inserts <paramref name="rows"/> (entities mapped in <paramref name="db"/>), all or none.</summary>
    public static Task InsertAsync(CivicGridDbContext db, IReadOnlyList<object> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(db, rows, [], cancellationToken);

    /// <summary>
    /// Inserts <paramref name="rows"/>, then those of <paramref name="newOnly"/> whose key is not taken
    /// yet, in one round trip (PostgreSQL); returns how many of <paramref name="newOnly"/> were inserted.
    /// </summary>
    public static async Task<int> InsertAsync(CivicGridDbContext db, IReadOnlyList<object> rows, IReadOnlyList<object> newOnly,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(newOnly);
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }
        try
        {
            return connection switch
            {
                NpgsqlConnection npgsql => await BatchAsync(db, npgsql, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
                    rows, newOnly, cancellationToken),
                SqliteConnection sqlite => await InsertEachAsync(db, sqlite, rows, newOnly, cancellationToken),
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

    /// <summary>True when <paramref name="e"/> is a unique (or primary) key violation on either database.</summary>
    public static bool IsUniqueViolation(DbException e) => e switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    private static async Task<int> BatchAsync(CivicGridDbContext db, NpgsqlConnection connection, NpgsqlTransaction? transaction,
        IReadOnlyList<object> rows, IReadOnlyList<object> newOnly, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (row, columns, onlyNew) in InOrder(db, rows, newOnly))
        {
            var command = new NpgsqlBatchCommand(onlyNew ? columns.PositionalInsert + OnConflictDoNothing : columns.PositionalInsert);
            for (var i = 0; i < columns.Names.Count; i++)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = columns.ValueOf(row, i) ?? DBNull.Value });
            }
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return Enumerable.Range(rows.Count, newOnly.Count).Sum(i => batch.BatchCommands[i].RecordsAffected);
    }

    private static Task<int> InsertEachAsync(CivicGridDbContext db, SqliteConnection connection,
        IReadOnlyList<object> rows, IReadOnlyList<object> newOnly, CancellationToken cancellationToken) =>
        SqliteTransactions.InTransactionAsync(db, connection, async transaction =>
        {
            var inserted = 0;
            foreach (var (row, columns, onlyNew) in InOrder(db, rows, newOnly))
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = onlyNew ? columns.NamedInsert + OnConflictDoNothing : columns.NamedInsert;
                for (var i = 0; i < columns.Names.Count; i++)
                {
                    command.Parameters.Add(new SqliteParameter($"$p{i}", columns.ValueOf(row, i) ?? DBNull.Value));
                }
                var changed = await command.ExecuteNonQueryAsync(cancellationToken);
                inserted += onlyNew ? changed : 0;
            }
            return inserted;
        }, cancellationToken);

    /// <summary>The rows to insert, then the new-only ones, each with its table's columns.</summary>
    private static IEnumerable<(object Row, EntityColumns Columns, bool NewOnly)> InOrder(CivicGridDbContext db,
        IReadOnlyList<object> rows, IReadOnlyList<object> newOnly) =>
        rows.Select(r => (r, false)).Concat(newOnly.Select(r => (r, true)))
            .Select(x => (x.Item1, EntityColumns.Of(db, x.Item1.GetType()), x.Item2));
}
