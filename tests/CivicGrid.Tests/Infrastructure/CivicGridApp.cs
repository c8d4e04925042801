using CivicGrid.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Infrastructure;

/// <summary>
/// The whole platform in process, on a fresh database of the given provider, started exactly as
/// <c>dotnet run</c> starts it (migrations, demo seed). Dispose drops the database.
/// </summary>
public sealed class CivicGridApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    private CivicGridApp(DatabaseProvider provider, string connectionString, Dictionary<string, string?> settings,
        Action<IServiceCollection>? services)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _settings = settings;
        _services = services;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The blob store folder of every test app.</summary>
    public static readonly string FilesRoot = Path.Combine(Path.GetTempPath(), "civicgrid-test-files");

    public string ConnectionString { get; }

    /// <summary>Starts an app on a new database. <paramref name="seed"/> false leaves it empty after migrations.</summary>
    public static async Task<CivicGridApp> StartAsync(DatabaseProvider provider, bool seed = true,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        TestDatabases.Require(provider);
        var connectionString = await TestDatabases.CreateAsync(provider);
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:Default"] = connectionString,
            ["Demo:SeedOnStart"] = seed ? "true" : "false",
            // Demo persons cost seconds per start; the Registry's tests ask for them where they need them.
            ["Demo:Persons"] = "0",
            ["DataProtection:KeyPath"] = Path.Combine(Path.GetTempPath(), "civicgrid-test-keys"),
            // Content-addressed: tests may share the blob folder.
            ["Files:Root"] = FilesRoot,
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // Tests sign in far more often than people; the limit has its own test.
            ["RateLimits:SignInPerMinute"] = "10000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var app = new CivicGridApp(provider, connectionString, all, services);
        app.StartServer();
        return app;
    }

    /// <summary>Serves on a real loopback socket (for Chromium) instead of the in-memory test server.</summary>
    public static async Task<CivicGridApp> StartOnSocketAsync(DatabaseProvider provider, IDictionary<string, string?>? settings = null)
    {
        TestDatabases.Require(provider);
        var connectionString = await TestDatabases.CreateAsync(provider);
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:Default"] = connectionString,
            ["DataProtection:KeyPath"] = Path.Combine(Path.GetTempPath(), "civicgrid-test-keys"),
            // Content-addressed: tests may share the blob folder.
            ["Files:Root"] = FilesRoot,
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // Tests sign in far more often than people; the limit has its own test.
            ["RateLimits:SignInPerMinute"] = "10000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var app = new CivicGridApp(provider, connectionString, all, null);
        app.UseKestrel(0);
        app.StartServer();
        return app;
    }

    /// <summary>The password of every user made by <see cref="ClientAsAsync"/>.</summary>
    public const string TestPassword = "Test-password-2026";

    /// <summary>
    /// A client signed in (bearer token) as a user holding <paramref name="role"/> over
    /// <paramref name="jurisdiction"/> (for department officers, of <paramref name="department"/>);
    /// the user is created on first use.
    /// </summary>
    public async Task<HttpClient> ClientAsAsync(string role, string jurisdiction, string? userName = null, string? department = null)
    {
        userName ??= department is null ? $"t-{role}-{jurisdiction}" : $"t-{role}-{department}-{jurisdiction}";
        await using (var scope = Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<CivicGrid.Modules.Identity.Contracts.IUserAccounts>();
            if (!await accounts.ExistsAsync(userName))
            {
                var created = await accounts.CreateAsync(userName,
                    new CivicGrid.Modules.Identity.Contracts.RoleGrant(role, jurisdiction, department), TestPassword);
                if (!created.IsSuccess)
                {
                    throw new InvalidOperationException(created.Error!.Message);
                }
            }
        }
        var client = CreateClient();
        var response = await client.PostAsync(new Uri("/api/v1/auth/token", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new { userName, password = TestPassword }));
        response.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", body.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>A client signed in as a system administrator of <paramref name="jurisdiction"/> (default: Inner Mongolia).</summary>
    public Task<HttpClient> AdminClientAsync(string jurisdiction = "15") =>
        ClientAsAsync(CivicGrid.Modules.Identity.Contracts.Roles.Admin, jurisdiction);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabases.DropAsync(Provider, ConnectionString);
        GC.SuppressFinalize(this);
    }
}
