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
            ["DataProtection:KeyPath"] = Path.Combine(Path.GetTempPath(), "civicgrid-test-keys"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
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
    public static async Task<CivicGridApp> StartOnSocketAsync(DatabaseProvider provider)
    {
        TestDatabases.Require(provider);
        var connectionString = await TestDatabases.CreateAsync(provider);
        var app = new CivicGridApp(provider, connectionString, new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:Default"] = connectionString,
            ["DataProtection:KeyPath"] = Path.Combine(Path.GetTempPath(), "civicgrid-test-keys"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        }, null);
        app.UseKestrel(0);
        app.StartServer();
        return app;
    }

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
