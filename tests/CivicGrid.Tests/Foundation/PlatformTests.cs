using System.Net;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Tests.Foundation;

/// <summary>The platform starts on either database exactly as `dotnet run` does.</summary>
public sealed class PlatformTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Health_is_200_when_the_database_answers_and_every_migration_is_applied(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var response = await app.CreateClient().GetPathAsync("/health");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        body.GetProperty("status").GetString().Should().Be("Healthy");

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        (await db.Database.GetAppliedMigrationsAsync(Ct)).Should().NotBeEmpty();
        db.Database.ProviderName.Should().Contain(provider == DatabaseProvider.Sqlite ? "Sqlite" : "PostgreSQL");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_model_has_no_changes_missing_from_the_provider_migrations(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        db.Database.HasPendingModelChanges().Should().BeFalse(
            "every model change needs a migration for both providers: run scripts/add-migration.sh NAME");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_v1_api()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        var response = await app.CreateClient().GetPathAsync("/openapi/v1.json");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var document = await response.JsonAsync();
        document.GetProperty("paths").TryGetProperty("/api/v1/divisions", out _).Should().BeTrue();
        document.GetProperty("paths").TryGetProperty("/api/v1/divisions/{code}", out _).Should().BeTrue();
    }

    [Fact]
    public async Task The_interactive_docs_are_served_locally_with_no_outside_script()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        var client = app.CreateClient();
        var page = await client.GetPathAsync("/docs/");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync(Ct);
        html.Should().Contain("scalar.js").And.NotContain("src=\"http").And.NotContain("href=\"http");
        var script = await client.GetPathAsync("/docs/scalar.js");
        script.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Pages_speak_chinese_first_and_english_on_request()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        var client = app.CreateClient();
        var chinese = await (await client.GetPathAsync("/")).Content.ReadAsStringAsync(Ct);
        chinese.Should().Contain("<title>首页 · 网格智治</title>");

        using var english = new HttpRequestMessage(HttpMethod.Get, "/");
        english.Headers.AcceptLanguage.ParseAdd("en-US,en;q=0.9");
        var englishHtml = await (await client.SendAsync(english, Ct)).Content.ReadAsStringAsync(Ct);
        englishHtml.Should().Contain("<title>Home · CivicGrid</title>");
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        var response = await app.CreateClient().GetPathAsync("/");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'")
            .And.NotContain("unsafe-inline");
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task List_endpoints_page_with_items_and_total(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider);
        var response = await (await app.AdminClientAsync()).GetPathAsync("/api/v1/divisions?parent=150203&page=2&pageSize=5");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        body.GetProperty("total").GetInt32().Should().Be(16);
        body.GetProperty("items").GetArrayLength().Should().Be(5);
        body.GetProperty("items")[0].GetProperty("code").GetString().Should().Be("150203007");
    }
}
