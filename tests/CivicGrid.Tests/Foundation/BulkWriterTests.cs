using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;
using CivicGrid.Tests.Identity;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Foundation;

/// <summary>
/// SQLite's bulk path binds typed values straight to the statement (<see cref="SqliteRowWriter"/>); what it
/// stores must be exactly what Microsoft.Data.Sqlite's command stores for the same rows, column by column,
/// type and value (<c>quote()</c>: '' is not NULL, 'A' is not 'a', 1 is not '1').
/// </summary>
public sealed class BulkWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_typed_SQLite_writer_stores_what_the_command_stores_for_every_seeded_table()
    {
        // The demo seed fills the tables the bulk path writes (divisions, houses, persons …).
        await using var seeded = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite,
            settings: new Dictionary<string, string?> { ["Demo:Persons"] = "300", ["Security:KeyRingPath"] = PeopleData.NewKeyRingPath() });
        await using var empty = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        await using var source = Context(seeded);
        await using var target = Context(empty);
        await target.Database.OpenConnectionAsync(Ct);
        // Rows are copied table by table, in no order of their references.
        await target.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF", Ct);

        var compared = new List<string>();
        var fallback = new List<string>();
        foreach (var entity in source.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned() && e.ClrType != typeof(Dictionary<string, object>)))
        {
            var columns = EntityColumns.Of(source, entity.ClrType);
            if (SqliteRowWriter.For(columns) is null)
            {
                fallback.Add(columns.Table);
                continue;
            }
            var rows = await (Task<List<object>>)typeof(BulkWriterTests).GetMethod(nameof(RowsAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(entity.ClrType).Invoke(null, [source])!;
            if (entity.ClrType == typeof(Person))
            {
                rows.AddRange(Persons());
            }
            if (rows.Count == 0)
            {
                continue;
            }
            var typed = await WriteAndReadAsync(target, columns, rows, viaCommand: false);
            var command = await WriteAndReadAsync(target, columns, rows, viaCommand: true);
            typed.Should().Equal(command, $"{columns.Table} is stored the same both ways");
            compared.Add(columns.Table);
        }
        compared.Should().Contain(["registry_persons", "registry_houses", "geo_divisions"], $"these fall back: {string.Join(", ", fallback)}");
    }

    [Fact]
    public async Task A_SQLite_bulk_session_relaxes_its_connection_and_gives_it_back_as_it_was()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        await using var db = Context(app);
        await db.Database.OpenConnectionAsync(Ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var before = await PragmasAsync(connection);
        before.Should().Be((2, -2000, 1000), "SQLite's defaults: FULL, 2 MB, 1,000 pages");

        await using (await BulkWriter.SessionAsync(db, Ct))
        {
            (await PragmasAsync(connection)).Should().Be((1, -32_768, 16_384));
        }

        (await PragmasAsync(connection)).Should().Be(before);
    }

    private static async Task<(long Synchronous, long Cache, long Checkpoint)> PragmasAsync(SqliteConnection connection)
    {
        async Task<long> ReadAsync(string pragma)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA {pragma}";
            return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
        }
        return (await ReadAsync("synchronous"), await ReadAsync("cache_size"), await ReadAsync("wal_autocheckpoint"));
    }

    private static CivicGridDbContext Context(CivicGridApp app)
    {
        var db = app.Services.GetRequiredService<IDbContextFactory<CivicGridDbContext>>().CreateDbContext();
        db.Scope = SystemDataScope.Instance;
        return db;
    }

    private static async Task<List<object>> RowsAsync<T>(CivicGridDbContext db)
        where T : class => [.. await db.Set<T>().IgnoreQueryFilters().AsNoTracking().ToListAsync(Ct)];

    /// <summary>Writes <paramref name="rows"/> into the emptied table one way, and reads every column back quoted.</summary>
    private static async Task<List<string>> WriteAndReadAsync(CivicGridDbContext db, EntityColumns columns, List<object> rows, bool viaCommand)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using (var clear = connection.CreateCommand())
        {
            clear.CommandText = $"DELETE FROM \"{columns.Table}\"";
            await clear.ExecuteNonQueryAsync(Ct);
        }
        var method = typeof(BulkWriter).GetMethod(viaCommand ? nameof(BulkWriter.InsertViaCommandAsync) : nameof(BulkWriter.InsertAsync),
                System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(columns.ClrType);
        var typedRows = typeof(Enumerable).GetMethod(nameof(Enumerable.Cast))!.MakeGenericMethod(columns.ClrType).Invoke(null, [rows]);
        var written = await (Task<int>)method.Invoke(null, [db, typedRows, Ct])!;
        written.Should().Be(rows.Count);

        var result = new List<string>();
        await using var read = connection.CreateCommand();
        read.CommandText = $"SELECT {string.Join(" || '|' || ", columns.Names.Select(n => $"quote(\"{n}\")"))} FROM \"{columns.Table}\"";
        await using var reader = await read.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            result.Add(reader.GetString(0));
        }
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>A person with every field set, and one with every optional field empty or missing.</summary>
    private static IEnumerable<Person> Persons()
    {
        var at = new DateTimeOffset(2026, 11, 24, 9, 30, 15, 123, TimeSpan.FromHours(8)).AddTicks(4567);
        yield return new Person(Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"), at, "测试")
        {
            Name = "张三",
            NameInitials = "zs",
            DocumentType = DocumentType.IdCard,
            DocumentCipher = [1, 2, 3],
            DocumentIndex = [4, 5, 6],
            DocumentTailIndex = [7],
            PhoneCipher = [8, 9],
            PhoneIndex = [10],
            PhoneTailIndex = [11],
            Sex = Sex.Male,
            BirthDate = new DateOnly(1950, 1, 31),
            EthnicityCode = "01",
            HouseholdType = HouseholdType.Floating,
            Address = "昆区 1 号",
            GridCode = "150203001001001",
            Tags = "|独居老人|低保|",
        };
        yield return new Person(Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c"), at.ToOffset(TimeSpan.Zero).AddTicks(-4567), "")
        {
            Name = "无名",
            NameInitials = "",
            DocumentType = DocumentType.None,
            DocumentCipher = [],
            Sex = Sex.Female,
            GridCode = "150203001001001",
            Tags = "",
        };
    }
}
