using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Registry.History;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
            // One transaction for the keys, the old values, the update and its history: the caller's if
            // he has one open (an import's SQLite writer spans several batches), else its own.
            var outer = db.Database.CurrentTransaction;
            await using var own = outer is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            var transaction = outer ?? own!;
            var updated = db.Database.GetDbConnection() switch
            {
                NpgsqlConnection npgsql => await PostgresAsync(db, npgsql, (NpgsqlTransaction)transaction.GetDbTransaction(), persons, columns,
                    cancellationToken),
                SqliteConnection sqlite => await SqliteAsync(db, sqlite, (SqliteTransaction)transaction.GetDbTransaction(), persons, columns,
                    cancellationToken),
                var other => throw new NotSupportedException(other.GetType().Name),
            };
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
            return updated;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The persons about to be updated as they are now (keys in the temporary table
    /// <c>registry_import_updates</c>), compared with their new values: the field history of the
    /// update, written through the bulk path in the same transaction.
    /// </summary>
    private static async Task RecordHistoryAsync(CivicGridDbContext db, IReadOnlyList<Person> persons,
        (string Column, NpgsqlDbType Type, Func<Person, object?> Value, Func<PersonUpdateColumns, bool> Set)[] columns,
        CancellationToken cancellationToken)
    {
        var before = await db.Set<Person>()
            .FromSqlRaw("SELECT * FROM registry_persons WHERE \"DocumentIndex\" IN (SELECT \"DocumentIndex\" FROM registry_import_updates)")
            .IgnoreQueryFilters().AsNoTracking().ToListAsync(cancellationToken);
        var current = new Dictionary<UInt128, Person>();
        foreach (var person in before)
        {
            current[PersonImporter.Key(person.DocumentIndex!)] = person;
        }
        var type = db.Model.FindEntityType(typeof(Person))!;
        var set = columns.Select(c => c.Column).ToHashSet(StringComparer.Ordinal);
        var changes = new List<RegistryChange>();
        foreach (var person in persons)
        {
            if (!current.TryGetValue(PersonImporter.Key(person.DocumentIndex!), out var old))
            {
                continue;
            }
            var diff = RegistryDiff.Compare(type, p => p.GetGetter().GetClrValue(old), p => p.GetGetter().GetClrValue(person),
                p => set.Contains(p.Name));
            // The record as it will be: its id and (new) grid.
            var record = new HistoryTarget(old.Id, person.GridCode);
            changes.AddRange(RegistryDiff.Rows(diff, record, typeof(Person), RegistryChange.Updated, person.UpdatedBy, person.UpdatedAt));
        }
        await BulkWriter.InsertAsync(db, changes, cancellationToken);
    }

    private sealed record HistoryTarget(Guid Id, string GridCode) : IRegistryRecord;

    private static async Task<int> PostgresAsync(CivicGridDbContext db, NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<Person> persons, (string Column, NpgsqlDbType Type, Func<Person, object?> Value, Func<PersonUpdateColumns, bool> Set)[] columns,
        CancellationToken cancellationToken)
    {
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
        await RecordHistoryAsync(db, persons, columns, cancellationToken);
        int updated;
        await using (var update = new NpgsqlCommand(
                         "UPDATE registry_persons p SET " + string.Join(", ", columns.Select(c => $"\"{c.Column}\" = u.\"{c.Column}\"")) +
                         " FROM registry_import_updates u WHERE p.\"DocumentIndex\" = u.\"DocumentIndex\"", connection, transaction))
        {
            updated = await update.ExecuteNonQueryAsync(cancellationToken);
        }
        return updated;
    }

    private static async Task<int> SqliteAsync(CivicGridDbContext db, SqliteConnection connection, SqliteTransaction transaction,
        IReadOnlyList<Person> persons, (string Column, NpgsqlDbType Type, Func<Person, object?> Value, Func<PersonUpdateColumns, bool> Set)[] columns,
        CancellationToken cancellationToken)
    {
        // The keys, for the history's look at the old values.
        await using (var keys = connection.CreateCommand())
        {
            keys.Transaction = transaction;
            keys.CommandText = "CREATE TEMP TABLE IF NOT EXISTS registry_import_updates (\"DocumentIndex\" BLOB); DELETE FROM temp.registry_import_updates;";
            await keys.ExecuteNonQueryAsync(cancellationToken);
            keys.CommandText = "INSERT INTO temp.registry_import_updates (\"DocumentIndex\") VALUES ($key)";
            var keyParameter = keys.Parameters.Add(new SqliteParameter("$key", null));
            await keys.PrepareAsync(cancellationToken);
            foreach (var person in persons)
            {
                keyParameter.Value = person.DocumentIndex!;
                await keys.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await RecordHistoryAsync(db, persons, columns, cancellationToken);
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
