using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Identity;

/// <summary>The hash-chained audit log on both databases: appends link up, tampering is found.</summary>
public sealed class AuditLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<AuditReceipt>> AppendAsync(CivicGridApp app, int count)
    {
        var log = app.Services.GetRequiredService<IAuditLog>();
        var receipts = new List<AuditReceipt>();
        for (var i = 1; i <= count; i++)
        {
            receipts.Add(await log.AppendAsync(
                new AuditEntry($"worker{i % 3}", i % 2 == 0 ? "registry.unmask" : "auth.sign_in", $"person:{i}",
                    $"第{i}条 detail with | separators; and \"quotes\"", "10.0.0." + i), Ct));
        }
        return receipts;
    }

    private static async Task ExecuteAsync(CivicGridApp app, string sql)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
#pragma warning disable EF1002 // Test-only SQL written by the test itself.
        (await db.Database.ExecuteSqlRawAsync(sql, Ct)).Should().Be(1, sql);
#pragma warning restore EF1002
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Appended_records_form_an_intact_chain(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var log = app.Services.GetRequiredService<IAuditLog>();
        (await log.VerifyAsync(Ct)).Should().Be(new AuditVerification(0));

        var receipts = await AppendAsync(app, 12);

        receipts.Select(r => r.Sequence).Should().Equal(Enumerable.Range(1, 12).Select(i => (long)i));
        receipts.Select(r => r.Hash).Should().OnlyHaveUniqueItems().And.AllSatisfy(h => h.Should().MatchRegex("^[0-9a-f]{64}$"));
        var result = await log.VerifyAsync(Ct);
        result.IsIntact.Should().BeTrue(result.Reason);
        result.Records.Should().Be(12);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task An_edited_detail_is_named_by_verify(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var receipts = await AppendAsync(app, 8);

        await ExecuteAsync(app, "UPDATE audit_records SET \"Detail\" = 'nothing to see' WHERE \"Sequence\" = 5");

        var result = await app.Services.GetRequiredService<IAuditLog>().VerifyAsync(Ct);
        result.IsIntact.Should().BeFalse();
        result.BrokenId.Should().Be(receipts[4].Id);
        result.BrokenSequence.Should().Be(5);
        result.Reason.Should().Contain("edited");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_deleted_middle_record_is_found_at_the_record_after_it(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var receipts = await AppendAsync(app, 8);

        await ExecuteAsync(app, "DELETE FROM audit_records WHERE \"Sequence\" = 4");

        var result = await app.Services.GetRequiredService<IAuditLog>().VerifyAsync(Ct);
        result.BrokenId.Should().Be(receipts[4].Id);
        result.BrokenSequence.Should().Be(5);
        result.Reason.Should().Contain("deleted");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Renumbering_after_a_deletion_does_not_hide_it(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var receipts = await AppendAsync(app, 6);

        // Delete record 3 and close the gap, as someone covering their tracks would.
        await ExecuteAsync(app, "DELETE FROM audit_records WHERE \"Sequence\" = 3");
        foreach (var sequence in new[] { 4, 5, 6 })
        {
            await ExecuteAsync(app, $"UPDATE audit_records SET \"Sequence\" = {sequence - 1} WHERE \"Sequence\" = {sequence}");
        }

        var result = await app.Services.GetRequiredService<IAuditLog>().VerifyAsync(Ct);
        result.BrokenId.Should().Be(receipts[3].Id, "the record that moved into the gap no longer follows its predecessor");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Swapping_two_records_contents_is_found(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var receipts = await AppendAsync(app, 5);

        await ExecuteAsync(app, "UPDATE audit_records SET \"Sequence\" = 100 WHERE \"Sequence\" = 2");
        await ExecuteAsync(app, "UPDATE audit_records SET \"Sequence\" = 2 WHERE \"Sequence\" = 3");
        await ExecuteAsync(app, "UPDATE audit_records SET \"Sequence\" = 3 WHERE \"Sequence\" = 100");

        var result = await app.Services.GetRequiredService<IAuditLog>().VerifyAsync(Ct);
        result.BrokenId.Should().Be(receipts[2].Id);
        result.BrokenSequence.Should().Be(2);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Fifty_parallel_appends_still_form_one_chain(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var log = app.Services.GetRequiredService<IAuditLog>();

        var receipts = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => Task.Run(() =>
            log.AppendAsync(new AuditEntry("worker", "registry.unmask", $"person:{i}"), Ct), Ct)));

        receipts.Select(r => r.Sequence).Should().BeEquivalentTo(Enumerable.Range(1, 50).Select(i => (long)i));
        var result = await log.VerifyAsync(Ct);
        result.IsIntact.Should().BeTrue(result.Reason);
        result.Records.Should().Be(50);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_audit_verify_verb_reports_an_intact_chain_and_then_the_broken_record(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var receipts = await AppendAsync(app, 3);

        var intact = await CivicGridProcess.RunAsync(app.Provider, app.ConnectionString, "audit", "verify");
        intact.Exit.Should().Be(0, intact.Err);
        intact.Out.Should().Contain("audit chain intact: 3 records");

        await ExecuteAsync(app, "UPDATE audit_records SET \"Actor\" = 'someone else' WHERE \"Sequence\" = 2");
        var broken = await CivicGridProcess.RunAsync(app.Provider, app.ConnectionString, "audit", "verify");
        broken.Exit.Should().Be(1);
        broken.Err.Should().Contain("#2").And.Contain(receipts[1].Id.ToString());
    }

}
