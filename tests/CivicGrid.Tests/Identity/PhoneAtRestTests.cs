using System.Diagnostics;
using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CivicGrid.Tests.Identity;

/// <summary>A staff user's phone is stored only encrypted: the database's bytes never hold it, the audit only masked.</summary>
public sealed class PhoneAtRestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("13804711234", "13804711234")]
    [InlineData("+86 138-0471-1234", "13804711234")]
    [InlineData("0086 13804711234", "13804711234")]
    [InlineData(" 199 0000 0000 ", "19900000000")]
    public void A_mainland_mobile_number_is_normalized_to_eleven_digits(string written, string normalized)
    {
        PhoneNumbers.TryNormalizeMobile(written, out var result).Should().BeTrue();
        result.Should().Be(normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345678901")]
    [InlineData("1380471123")]
    [InlineData("138047112345")]
    [InlineData("0471-1234567")]
    [InlineData("138O4711234")]
    [InlineData("tel:13804711234")]
    [InlineData("+1 138 0471 1234")]
    public void Anything_else_is_not_a_mobile_number(string written)
    {
        PhoneNumbers.TryNormalizeMobile(written, out _).Should().BeFalse();
    }

    [Fact]
    public void Numbers_typed_into_an_unmask_reason_are_masked()
    {
        CivicGrid.Modules.Identity.Users.UserDirectory.MaskDigitRuns("来电 138-0471-1234，身份证 15020319900101123X，工单 12345")
            .Should().Be("来电 138****1234，身份证 1502**********123X，工单 12345");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_clear_phone_is_nowhere_in_the_database_bytes(DatabaseProvider provider)
    {
        await using var app = await PeopleData.StartWithStaffAsync(provider);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<IUserAccounts>();
            (await accounts.CreateAsync("phone.scan.control", new RoleGrant(Roles.Community, "150203003001"), PeopleData.Password,
                phone: PeopleData.Phone, cancellationToken: Ct)).IsSuccess.Should().BeTrue();
            // The phone is also found by its blind index.
            var protector = scope.ServiceProvider.GetRequiredService<IFieldProtector>();
            var index = protector.BlindIndex(PeopleData.Phone, FieldKind.Phone);
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            (await db.Set<CivicGrid.Modules.Identity.Users.User>().CountAsync(u => u.PhoneIndex == index, Ct)).Should().Be(2);
            var audit = await db.Database.SqlQueryRaw<string>(
                "SELECT \"Detail\" AS \"Value\" FROM audit_records WHERE \"Action\" = 'users.create'").ToListAsync(Ct);
            audit.Should().Contain(d => d.Contains("phone.scan.control", StringComparison.Ordinal) && d.Contains("138****1234", StringComparison.Ordinal));
        }

        var haystack = provider == DatabaseProvider.Sqlite ? await SqliteBytesAsync(app) : await PostgresRowsAsync(app);

        // The control proves the scan reads the data at all: a scan that sees nothing passes nothing.
        Contains(haystack, Encoding.UTF8.GetBytes("phone.scan.control")).Should().BeTrue("the scan must see the user name");
        foreach (var form in new[] { Encoding.UTF8, Encoding.Unicode, Encoding.BigEndianUnicode })
        {
            Contains(haystack, form.GetBytes(PeopleData.Phone)).Should().BeFalse($"the clear phone ({form.WebName}) must not be stored");
        }
        Contains(haystack, Encoding.ASCII.GetBytes(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(PeopleData.Phone))))
            .Should().BeFalse("nor its bytes in a hex dump");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Users_add_phone_stores_it_encrypted_and_the_api_finds_it(DatabaseProvider provider)
    {
        var keys = PeopleData.NewKeyRingPath();
        await using var app = await PeopleData.StartWithStaffAsync(provider, new Dictionary<string, string?> { ["Security:KeyRingPath"] = keys });

        var added = await RunAsync(provider, app.ConnectionString, keys, null, "users", "add", "cli.phone", "--role", "community",
            "--jurisdiction", "150203003001", "--password", PeopleData.Password, "--phone", "+86 139-0471-0000");
        added.Exit.Should().Be(0, added.Err);
        var bad = await RunAsync(provider, app.ConnectionString, keys, null, "users", "add", "cli.bad", "--role", "community",
            "--jurisdiction", "150203003001", "--phone", "1234567");
        bad.Exit.Should().Be(1);
        bad.Err.Should().Contain("phone").And.NotContain("1234567");

        var admin = await PeopleData.SignedInClientAsync(app, "kd.admin");
        var found = await (await admin.GetPathAsync("/api/v1/users?phone=13904710000")).JsonAsync();
        var user = found.GetProperty("items").EnumerateArray().Should().ContainSingle().Subject;
        user.GetProperty("userName").GetString().Should().Be("cli.phone");
        user.GetProperty("phone").GetString().Should().Be("139****0000");

        // A ring handed in through the environment belongs to whoever keeps it: rotate refuses.
        var refused = await RunAsync(provider, app.ConnectionString, keys, "not-used", "keys", "rotate");
        refused.Exit.Should().Be(2);
        refused.Err.Should().Contain("CIVICGRID_FIELD_KEYS");

        // From the file it rotates; reencrypt then rewrites the three phones (two staff, one CLI) under key 2.
        var rotated = await RunAsync(provider, app.ConnectionString, keys, null, "keys", "rotate");
        rotated.Exit.Should().Be(0, rotated.Err);
        rotated.Out.Should().Contain("version 2 is now current");
        var again = await RunAsync(provider, app.ConnectionString, keys, null, "keys", "reencrypt");
        again.Exit.Should().Be(0, again.Err);
        again.Out.Should().Contain("users.phone: 3 re-encrypted");
        (await RunAsync(provider, app.ConnectionString, keys, null, "keys", "reencrypt")).Out.Should().Contain("users.phone: 0 re-encrypted");
    }

    internal static async Task<(int Exit, string Out, string Err)> RunAsync(DatabaseProvider provider, string connectionString, string keyRing,
        string? environmentRing, params string[] args)
    {
        var start = CivicGridProcess.StartInfo(provider, connectionString, args);
        start.Environment["Security__KeyRingPath"] = keyRing;
        if (environmentRing is not null)
        {
            start.Environment["CIVICGRID_FIELD_KEYS"] = environmentRing;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output, await error);
    }

    internal static async Task<byte[]> SqliteBytesAsync(CivicGridApp app)
    {
        var file = new SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
        await using (var connection = new SqliteConnection(app.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync(Ct);
        }
        using var all = new MemoryStream();
        // The database, and whatever the WAL still holds (or held: a truncated WAL may keep old frames).
        foreach (var path in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*"))
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await stream.CopyToAsync(all, Ct);
        }
        return all.ToArray();
    }

    internal static async Task<byte[]> PostgresRowsAsync(CivicGridApp app)
    {
        // Every row of every table as PostgreSQL renders it (bytea as \x hex), which is what a dump holds.
        var text = new StringBuilder();
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(Ct);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
                         "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
                         connection))
        await using (var reader = await list.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                tables.Add(reader.GetString(0));
            }
        }
        tables.Should().Contain(t => t.EndsWith(".users", StringComparison.Ordinal));
        foreach (var table in tables)
        {
            await using var rows = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var reader = await rows.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                text.Append(reader.GetString(0)).Append('\n');
            }
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    internal static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
