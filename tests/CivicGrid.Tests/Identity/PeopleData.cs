using System.Net.Http.Headers;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Identity;

/// <summary>Staff users with phones for the people's-data tests, and signing in as one of them.</summary>
internal static class PeopleData
{
    public const string Password = "People-Data-2026";

    /// <summary>The phone every test looks for; it must never be found in clear at rest.</summary>
    public const string Phone = "13804711234";

    /// <summary>A fresh key ring file for one app, so rotating it never touches another test's ring.</summary>
    public static string NewKeyRingPath() =>
        Path.Combine(Directory.CreateTempSubdirectory("civicgrid-keys-").FullName, "field-keys.json");

    /// <summary>
    /// admin over 150203 (Kundulun), a grid worker in it with <see cref="Phone"/>, and a township
    /// user in 150204 (another district) with a phone of its own.
    /// </summary>
    public static async Task<CivicGridApp> StartWithStaffAsync(DatabaseProvider provider, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>(), StringComparer.OrdinalIgnoreCase);
        all.TryAdd("Security:KeyRingPath", NewKeyRingPath());
        var app = await CivicGridApp.StartAsync(provider, seed: false, settings: all, services: services);
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<IUserAccounts>();
        var ct = TestContext.Current.CancellationToken;
        foreach (var (name, grant, phone) in new (string, RoleGrant, string?)[]
                 {
                     ("kd.admin", new RoleGrant(Roles.Admin, "150203"), null),
                     ("kd.worker", new RoleGrant(Roles.GridWorker, "150203003001001"), "+86 138-0471-1234"),
                     ("qs.township", new RoleGrant(Roles.Township, "150204001"), "139 0472 5678"),
                 })
        {
            var created = await accounts.CreateAsync(name, grant, Password, phone: phone, cancellationToken: ct);
            created.IsSuccess.Should().BeTrue(created.Error?.Message);
        }
        return app;
    }

    /// <summary>A client that carries the bearer token of <paramref name="userName"/>.</summary>
    public static async Task<HttpClient> SignedInClientAsync(CivicGridApp app, string userName)
    {
        var client = app.CreateClient();
        var response = await client.PostJsonAsync("/api/v1/auth/token", new { userName, password = Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.JsonAsync()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
