using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace CivicGrid.Infrastructure.Data;

/// <summary>The SQLite writers' one rule for transactions: join the context's current one, or open, commit and dispose their own.</summary>
internal static class SqliteTransactions
{
    public static async Task<T> InTransactionAsync<T>(CivicGridDbContext db, SqliteConnection connection,
        Func<SqliteTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction?.GetDbTransaction() is SqliteTransaction current)
        {
            return await write(current);
        }
        await using var own = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var result = await write(own);
        await own.CommitAsync(cancellationToken);
        return result;
    }
}
