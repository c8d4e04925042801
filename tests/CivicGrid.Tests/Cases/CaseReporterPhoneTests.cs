using System.Net;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Protection;
using CivicGrid.Tests.Identity;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Cases;

/// <summary>The 12345 caller's phone on a case: who may record it, how it is checked, and that key rotation re-encrypts it.</summary>
public sealed class CaseReporterPhoneTests
{
    private const string Phone = "13804711234";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Only_hotline_operators_record_a_callers_phone_and_key_rotation_re_encrypts_it(DatabaseProvider provider)
    {
        var keys = PeopleData.NewKeyRingPath();
        await using var app = await CivicGridApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Security:KeyRingPath"] = keys });
        var (township, _) = await CaseApiTests.TownshipsAsync(app);
        var (grid, lon, lat) = await CaseApiTests.PointInAGridOfAsync(app, township);
        var worker = await app.ClientAsAsync(Roles.GridWorker, grid);
        var operatorClient = await app.ClientAsAsync(Roles.Township, township);

        var call = new { categoryCode = "0303", lon, lat, description = "夜间施工噪声扰民", channel = "hotline", reporterName = "李女士", reporterPhone = "+86 138-0471-1234" };
        var refused = await worker.PostJsonAsync("/api/v1/cases", call);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, "a grid worker takes no 12345 calls");
        (await refused.JsonAsync()).GetProperty("code").GetString().Should().Be("cases.hotline_forbidden");
        (await worker.PostJsonAsync("/api/v1/cases", new { categoryCode = "0303", lon, lat, description = "x", reporterPhone = Phone }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "nor records a caller's phone on a patrol report");

        var noPhone = await operatorClient.PostJsonAsync("/api/v1/cases", call with { reporterPhone = (string)null! });
        noPhone.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await noPhone.JsonAsync()).GetProperty("errors").TryGetProperty("reporterPhone", out _).Should().BeTrue();
        var badPhone = await operatorClient.PostJsonAsync("/api/v1/cases", call with { reporterPhone = "电话 123" });
        badPhone.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await badPhone.Content.ReadAsStringAsync(Ct)).Should().NotContain("电话 123", "a rejected number is never echoed");

        var created = await operatorClient.PostJsonAsync("/api/v1/cases", call);
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await created.JsonAsync();
        body.GetProperty("channel").GetString().Should().Be("hotline");
        body.GetProperty("reporterName").GetString().Should().Be("李女士");
        (await created.Content.ReadAsStringAsync(Ct)).Should().NotContain("1234", "the API's case carries no phone at all");
        var id = Guid.Parse(body.GetProperty("id").GetString()!);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        async Task<byte[]> CipherAsync() => (await db.Set<Case>().IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == id, Ct)).ReporterPhoneCipher!;
        var v1 = scope.ServiceProvider.GetRequiredService<IFieldProtector>();
        v1.Decrypt(await CipherAsync()).Should().Be(Phone, "stored as its normal form");
        FieldProtector.ReadVersion(await CipherAsync()).Should().Be(1u);

        FieldKeyRing.Load(null, keys).WithNewKey().Save(keys);
        var v2 = new FieldProtector(() => FieldKeyRing.Load(null, keys));
        var store = scope.ServiceProvider.GetServices<IProtectedFieldStore>().Should().ContainSingle(s => s.Name == "cases.reporter_phone").Subject;
        (await store.ReEncryptAsync(v2, Ct)).Should().Be(1);
        (await store.ReEncryptAsync(v2, Ct)).Should().Be(0, "re-encryption runs once");
        FieldProtector.ReadVersion(await CipherAsync()).Should().Be(2u);
        v2.Decrypt(await CipherAsync()).Should().Be(Phone);
    }
}
