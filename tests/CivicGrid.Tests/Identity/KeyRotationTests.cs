using System.Globalization;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Protection;
using CivicGrid.Modules.Identity.Users;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CivicGrid.Tests.Identity;

/// <summary>
/// Rotating the field key: new writes use the new key, old values stay readable, and the background
/// job (and <c>keys reencrypt</c>) rewrite every old value under the new key, once.
/// </summary>
public sealed class KeyRotationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>More than two batches, so keyset paging is exercised across batch ends.</summary>
    private const int Rows = (2 * UserPhoneStore.BatchSize) + 7;

    /// <summary>The app's protector, swapped in place: a restart after rotation, without losing the database.</summary>
    private sealed class SwappableProtector(IFieldProtector inner) : IFieldProtector
    {
        public IFieldProtector Inner { get; set; } = inner;

        public byte[] Encrypt(string plain, FieldKind kind) => Inner.Encrypt(plain, kind);

        public string Decrypt(byte[] cipher) => Inner.Decrypt(cipher);

        public byte[] BlindIndex(string plain, FieldKind kind) => Inner.BlindIndex(plain, kind);

        public bool NeedsRotation(byte[] cipher) => Inner.NeedsRotation(cipher);
    }

    private static string PhoneOf(int i) => string.Create(CultureInfo.InvariantCulture, $"1390471{i:D4}");

    private static string PhoneOf(string userName) => PhoneOf(int.Parse(userName["rotate.".Length..], CultureInfo.InvariantCulture));

    private static async Task AddUsersWithPhonesAsync(CivicGridApp app, IFieldProtector protector)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var time = TimeProvider.System.GetUtcNow();
        for (var i = 0; i < Rows; i++)
        {
            var user = new User(Guid.NewGuid(), $"rotate.{i:D4}", $"轮换 {i}", time);
            user.SetPhone(protector.Encrypt(PhoneOf(i), FieldKind.Phone), protector.BlindIndex(PhoneOf(i), FieldKind.Phone));
            user.Assign(new RoleAssignment(user.Id, Roles.GridWorker, "150203003001001", null));
            db.Add(user);
        }
        await db.SaveChangesAsync(Ct);
    }

    private static async Task<List<(string UserName, byte[] Cipher)>> PhonesAsync(CivicGridApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<CivicGridDbContext>().Set<User>().AsNoTracking()
            .Where(u => u.PhoneCipher != null && u.UserName.StartsWith("rotate."))
            .Select(u => new { u.UserName, u.PhoneCipher })
            .ToListAsync(Ct);
        return [.. rows.Select(r => (r.UserName, r.PhoneCipher!))];
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task After_a_rotation_the_job_re_encrypts_every_phone_once_and_all_stay_readable(DatabaseProvider provider)
    {
        var keys = PeopleData.NewKeyRingPath();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T02:00:00Z", CultureInfo.InvariantCulture));
        var protector = new SwappableProtector(new FieldProtector(() => FieldKeyRing.Load(null, keys)));
        await using var app = await PeopleData.StartWithStaffAsync(provider,
            new Dictionary<string, string?> { ["Security:KeyRingPath"] = keys, ["Security:ReEncryptEvery"] = "00:10:00" },
            s => s.AddSingleton(time).AddSingleton<TimeProvider>(time).AddSingleton<IFieldProtector>(protector));
        await AddUsersWithPhonesAsync(app, protector);
        var before = await PhonesAsync(app);
        before.Should().HaveCount(Rows).And.AllSatisfy(p => FieldProtector.ReadVersion(p.Cipher).Should().Be(1u));

        // keys rotate, then a restart: a protector made after the rotation has the new current key.
        FieldKeyRing.Load(null, keys).WithNewKey().Save(keys);
        var rotated = new FieldProtector(() => FieldKeyRing.Load(null, keys));
        rotated.Encrypt(PeopleData.Phone, FieldKind.Phone).Should().Match<byte[]>(c => FieldProtector.ReadVersion(c) == 2u);
        rotated.NeedsRotation(before[0].Cipher).Should().BeTrue();
        rotated.Decrypt(before[0].Cipher).Should().Be(PhoneOf(before[0].UserName), "the old key stays in the ring to read what it wrote");
        protector.Inner = rotated;

        // The job's next period comes (the fake clock is moved until it has): everything ends under key 2.
        var deadline = TimeProvider.System.GetTimestamp();
        List<(string UserName, byte[] Cipher)> after;
        do
        {
            time.Advance(TimeSpan.FromMinutes(10));
            await Task.Delay(200, Ct);
            after = await PhonesAsync(app);
        }
        while (after.Any(p => rotated.NeedsRotation(p.Cipher)) && TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(60));

        after.Should().HaveCount(Rows);
        after.Should().AllSatisfy(p => rotated.NeedsRotation(p.Cipher).Should().BeFalse());
        after.Should().AllSatisfy(p => rotated.Decrypt(p.Cipher).Should().Be(PhoneOf(p.UserName)));
        // The blind index does not change with the encryption key: lookups still find the same rows.
        var admin = await PeopleData.SignedInClientAsync(app, "kd.admin");
        var found = await (await admin.GetPathAsync($"/api/v1/users?phone={PhoneOf(17)}")).JsonAsync();
        found.GetProperty("items")[0].GetProperty("userName").GetString().Should().Be("rotate.0017");

        // Idempotent: a second pass finds nothing left to do.
        await using var scope = app.Services.CreateAsyncScope();
        var results = await scope.ServiceProvider.GetRequiredService<FieldKeys>().ReEncryptAllAsync(Ct);
        results.Should().ContainSingle(r => r.Store == "users.phone").Which.Count.Should().Be(0);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_store_re_encrypts_only_what_needs_it_and_a_second_run_does_nothing(DatabaseProvider provider)
    {
        var keys = PeopleData.NewKeyRingPath();
        await using var app = await PeopleData.StartWithStaffAsync(provider, new Dictionary<string, string?> { ["Security:KeyRingPath"] = keys });
        await using var scope = app.Services.CreateAsyncScope();
        var v1 = scope.ServiceProvider.GetRequiredService<IFieldProtector>();
        await AddUsersWithPhonesAsync(app, v1);
        FieldKeyRing.Load(null, keys).WithNewKey().Save(keys);
        var v2 = new FieldProtector(() => FieldKeyRing.Load(null, keys));

        // Half-way state, as after a crash: some rows already under key 2 (the two staff phones are still under 1).
        // The users' phones (the Registry registers a store of its own).
        var store = scope.ServiceProvider.GetServices<IProtectedFieldStore>().Should().ContainSingle(s => s.Name == "users.phone").Subject;
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var first = await db.Set<User>().Where(u => u.UserName == "rotate.0000").SingleAsync(Ct);
        first.SetPhone(v2.Encrypt(PhoneOf(0), FieldKind.Phone), first.PhoneIndex!);
        await db.SaveChangesAsync(Ct);

        (await store.ReEncryptAsync(v2, Ct)).Should().Be(Rows - 1 + 2);
        (await store.ReEncryptAsync(v2, Ct)).Should().Be(0);
        (await PhonesAsync(app)).Should().AllSatisfy(p => FieldProtector.ReadVersion(p.Cipher).Should().Be(2u));
    }
}
