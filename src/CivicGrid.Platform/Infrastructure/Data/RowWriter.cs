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
/// </summary>
public static class RowWriter
{
    /// <summary>Inserts <paramref name="rows"/> (entities mapped in <paramref name="db"/>), all or none.</summary>
    public static async Task InsertAsync(CivicGridDbContext db, IReadOnlyList<object> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }
        try
        {
            switch (connection)
            {
                case NpgsqlConnection npgsql:
                    await BatchAsync(db, npgsql, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(), rows, cancellationToken);
                    break;
                case SqliteConnection sqlite:
                    await InsertEachAsync(db, sqlite, rows, cancellationToken);
                    break;
                default:
                    throw new NotSupportedException(connection.GetType().Name);
            }
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

    private static async Task BatchAsync(CivicGridDbContext db, NpgsqlConnection connection, NpgsqlTransaction? transaction,
        IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var row in rows)
        {
            var columns = EntityColumns.Of(db, row.GetType());
            var command = new NpgsqlBatchCommand(columns.PositionalInsert);
            for (var i = 0; i < columns.Names.Count; i++)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = columns.ValueOf(row, i) ?? DBNull.Value });
            }
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task InsertEachAsync(CivicGridDbContext db, SqliteConnection connection,
        IReadOnlyList<object> rows, CancellationToken cancellationToken) =>
        SqliteTransactions.InTransactionAsync(db, connection, async transaction =>
        {
            foreach (var row in rows)
            {
                var columns = EntityColumns.Of(db, row.GetType());
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = columns.NamedInsert;
                for (var i = 0; i < columns.Names.Count; i++)
                {
                    command.Parameters.Add(new SqliteParameter($"$p{i}", columns.ValueOf(row, i) ?? DBNull.Value));
                }
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return rows.Count;
        }, cancellationToken);
}
