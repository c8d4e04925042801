using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace CivicGrid.Modules.Registry.Import;

/// <summary>The optional columns an import's updates set (the others keep the person's values).</summary>
internal sealed record PersonUpdateColumns(bool Phone, bool Ethnicity, bool HouseholdType, bool Address, bool Tags);

/// <summary>
/// Updates registered persons in bulk, matched by the document number's blind index: on PostgreSQL
/// a binary COPY into a temporary table and one <c>UPDATE … FROM</c>; on SQLite one prepared
/// UPDATE reused in a transaction. The document number itself is the key and never changes here.
/// </summary>
internal static class PersonBulkUpdate
{
    private static readonly (string Column, NpgsqlDbType Type, Func<Person, object?> Value, Func<PersonUpdateColumns, bool> Set)[] Columns =
    [
        ("Name", NpgsqlDbType.Text, p => p.Name, _ => true),
        ("NameInitials", NpgsqlDbType.Text, p => p.NameInitials, _ => true),
        ("DocumentType", NpgsqlDbType.Integer, p => (int)p.DocumentType, _ => true),
        ("Sex", NpgsqlDbType.Integer, p => (int)p.Sex, _ => true),
        ("BirthDate", NpgsqlDbType.Date, p => p.BirthDate, _ => true),
        ("GridCode", NpgsqlDbType.Text, p => p.GridCode, _ => true),
        ("PhoneCipher", NpgsqlDbType.Bytea, p => p.PhoneCipher, c => c.Phone),
        ("PhoneIndex", NpgsqlDbType.Bytea, p => p.PhoneIndex, c => c.Phone),
        ("PhoneTailIndex", NpgsqlDbType.Bytea, p => p.PhoneTailIndex, c => c.Phone),
        ("EthnicityCode", NpgsqlDbType.Text, p => p.EthnicityCode, c => c.Ethnicity),
        ("HouseholdType", NpgsqlDbType.Integer, p => (int)p.HouseholdType, c => c.HouseholdType),
        ("Address", NpgsqlDbType.Text, p => p.Address, c => c.Address),
        ("Tags", NpgsqlDbType.Text, p => p.Tags, c => c.Tags),
        ("UpdatedAt", NpgsqlDbType.TimestampTz, p => p.UpdatedAt, _ => true),
        ("UpdatedBy", NpgsqlDbType.Text, p => p.UpdatedBy, _ => true),
    ];

    public static async Task<int> RunAsync(CivicGridDbContext db, IReadOnlyList<Person> persons, PersonUpdateColumns set,
        CancellationToken cancellationToken)
    {
        if (persons.Count == 0)
        {
            return 0;
        }
        var columns = Columns.Where(c => c.Set(set)).ToArray();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return db.Database.GetDbConnection() switch
            {
                NpgsqlConnection npgsql => await PostgresAsync(npgsql, persons, columns, cancellationToken),
                SqliteConnection sqlite => await SqliteAsync(sqlite, persons, columns, cancellationToken),
                var other => throw new NotSupportedException(other.GetType().Name),
            };
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<int> PostgresAsync(NpgsqlConnection connection, IReadOnlyList<Person> persons,
        (string Column, NpgsqlDbType Type, Func<Person, object?> Value, Func<PersonUpdateColumns, bool> Set)[] columns,
        CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(
                         "CREATE TEMP TABLE registry_import_updates (\"DocumentIndex\" bytea, " +
                         string.Join(", ", columns.Select(c => $"\"{c.Column}\" {SqlType(c.Type)}")) + ") ON COMMIT DROP",
                         connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        var copy = "COPY registry_import_updates (\"DocumentIndex\", " + string.Join(", ", columns.Select(c => $"\"{c.Column}\"")) +
                   ") FROM STDIN (FORMAT BINARY)";
        await using (var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken))
        {
            foreach (var person in persons)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(person.DocumentIndex!, NpgsqlDbType.Bytea, cancellationToken);
                foreach (var column in columns)
                {
                    if (column.Value(person) is { } value)
                    {
                        await importer.WriteAsync(value, column.Type, cancellationToken);
                    }
                    else
                    {
                        await importer.WriteNullAsync(cancellationToken);
                    }
                }
            }
            await importer.CompleteAsync(cancellationToken);
        }
        int updated;
        await using (var update = new NpgsqlCommand(
                         "UPDATE registry_persons p SET " + string.Join(", ", columns.Select(c => $"\"{c.Column}\" = u.\"{c.Column}\"")) +
                         " FROM registry_import_updates u WHERE p.\"DocumentIndex\" = u.\"DocumentIndex\"", connection, transaction))
        {
            updated = await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return updated;
    }

    private static async Task<int> SqliteAsync(SqliteConnection connection, IReadOnlyList<Person> persons,
        (string Column, NpgsqlDbType Type, Func<Person, object?> Value, Func<PersonUpdateColumns, bool> Set)[] columns,
        CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE registry_persons SET " + string.Join(", ", columns.Select((c, i) => $"\"{c.Column}\" = $p{i}")) +
                              " WHERE \"DocumentIndex\" = $key";
        var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
        var key = command.Parameters.Add(new SqliteParameter("$key", null));
        await command.PrepareAsync(cancellationToken);
        var updated = 0;
        foreach (var person in persons)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                parameters[i].Value = columns[i].Value(person) ?? DBNull.Value;
            }
            key.Value = person.DocumentIndex!;
            updated += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return updated;
    }

    private static string SqlType(NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Bytea => "bytea",
        NpgsqlDbType.Integer => "integer",
        NpgsqlDbType.Date => "date",
        NpgsqlDbType.TimestampTz => "timestamptz",
        _ => "text",
    };
}
