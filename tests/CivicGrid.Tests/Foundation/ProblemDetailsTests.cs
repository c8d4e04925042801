using System.Net;
using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CivicGrid.Tests.Foundation;

/// <summary>Every failure a client can cause is a problem with a status, a stable code and a trace id.</summary>
public sealed class ProblemDetailsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void ShouldBeProblem(HttpResponseMessage response, System.Text.Json.JsonElement body, HttpStatusCode status, string code)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        body.GetProperty("status").GetInt32().Should().Be((int)status);
        body.GetProperty("code").GetString().Should().Be(code);
        body.GetProperty("traceId").GetString().Should().NotBeNullOrWhiteSpace();
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task An_unknown_api_route_is_a_404_problem(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var response = await (await app.AdminClientAsync()).GetPathAsync("/api/v1/no-such-thing");
        ShouldBeProblem(response, await response.JsonAsync(), HttpStatusCode.NotFound, "route.not_found");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Validation_errors_are_400_with_the_offending_fields(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var response = await (await app.AdminClientAsync()).PostJsonAsync("/api/v1/divisions", new { code = "15x", name = " " });
        var body = await response.JsonAsync();
        ShouldBeProblem(response, body, HttpStatusCode.BadRequest, "request.validation_failed");
        var errors = body.GetProperty("errors");
        errors.GetProperty("code").GetArrayLength().Should().BeGreaterThan(0);
        errors.GetProperty("name").GetArrayLength().Should().BeGreaterThan(0);
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_query_parameter_of_the_wrong_type_is_a_400_naming_the_parameter(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var response = await (await app.AdminClientAsync()).GetPathAsync("/api/v1/divisions?page=abc");
        var body = await response.JsonAsync();
        ShouldBeProblem(response, body, HttpStatusCode.BadRequest, "request.validation_failed");
        body.GetProperty("errors").GetProperty("page")[0].GetString().Should().Contain("abc").And.Contain("整数");

        var outOfRange = await (await app.AdminClientAsync()).GetPathAsync("/api/v1/divisions?pageSize=100000");
        var rangeBody = await outOfRange.JsonAsync();
        ShouldBeProblem(outOfRange, rangeBody, HttpStatusCode.BadRequest, "request.validation_failed");
        rangeBody.GetProperty("errors").TryGetProperty("pageSize", out _).Should().BeTrue();
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Malformed_json_is_a_400_that_says_where_it_broke(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        using var content = new StringContent("{\n  \"code\": \"15\",\n  \"name\": oops\n}", Encoding.UTF8, "application/json");
        var response = await (await app.AdminClientAsync()).PostAsync(new Uri("/api/v1/divisions", UriKind.Relative), content, Ct);
        var body = await response.JsonAsync();
        ShouldBeProblem(response, body, HttpStatusCode.BadRequest, "request.malformed_json");
        body.GetProperty("detail").GetString().Should().Contain("line 3");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_wrong_content_type_is_a_415_problem(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        using var content = new StringContent("code=15", Encoding.UTF8, "text/plain");
        var response = await (await app.AdminClientAsync()).PostAsync(new Uri("/api/v1/divisions", UriKind.Relative), content, Ct);
        ShouldBeProblem(response, await response.JsonAsync(), HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task Creating_a_division_twice_is_a_409_conflict(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var client = await app.AdminClientAsync("99");
        var first = await client.PostJsonAsync("/api/v1/divisions", new { code = "99", name = "测试省" });
        first.StatusCode.Should().Be(HttpStatusCode.Created);
        first.Headers.Location!.ToString().Should().Be("/api/v1/divisions/99");

        var second = await client.PostJsonAsync("/api/v1/divisions", new { code = "99", name = "测试省" });
        ShouldBeProblem(second, await second.JsonAsync(), HttpStatusCode.Conflict, "geo.division_exists");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task A_missing_object_is_a_404_problem_with_its_own_code(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false);
        var response = await (await app.AdminClientAsync()).GetPathAsync("/api/v1/divisions/150203");
        ShouldBeProblem(response, await response.JsonAsync(), HttpStatusCode.NotFound, "geo.division_not_found");
    }

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task An_unexpected_failure_is_a_500_problem_without_internals(DatabaseProvider provider)
    {
        await using var app = await CivicGridApp.StartAsync(provider, seed: false,
            services: services => services.Replace(ServiceDescriptor.Scoped<IDivisionDirectory, ExplodingDirectory>()));
        using var content = new ByteArrayContent([0x50, 0x4b, 0x05, 0x06, .. new byte[18]]);
        content.Headers.ContentType = new("application/zip");
        var response = await (await app.AdminClientAsync()).PostAsync(new Uri("/api/v1/divisions/import", UriKind.Relative), content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", text[..Math.Min(3000, text.Length)]);
        ShouldBeProblem(response, await response.JsonAsync(), HttpStatusCode.InternalServerError, "server.unexpected");
        text.Should().NotContain("secret connection detail").And.NotContain("ExplodingDirectory").And.NotContain(" at ");
    }

    [Fact]
    public async Task An_unknown_page_is_a_404_page_in_chinese()
    {
        await using var app = await CivicGridApp.StartAsync(DatabaseProvider.Sqlite, seed: false);
        var response = await (await app.AdminClientAsync()).GetPathAsync("/no-such-page");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await response.Content.ReadAsStringAsync(Ct);
        html.Should().Contain("<html lang=\"zh-CN\">").And.Contain("页面不存在");
    }

    private sealed class ExplodingDirectory : IDivisionDirectory
    {
        public Task<DivisionImportReport> ImportAsync(IDivisionTables tables, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("secret connection detail");

        public Task<DivisionSummary?> FindAsync(string code, CancellationToken cancellationToken = default) =>
            Task.FromResult<DivisionSummary?>(null);

        public Task<int> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult(1);

        public Task<IReadOnlyList<DivisionSummary>> ChildrenAsync(string code, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<DivisionSummary>>([]);

        public Task<IReadOnlyDictionary<DivisionLevel, int>> CountByLevelAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyDictionary<DivisionLevel, int>>(new Dictionary<DivisionLevel, int>());
    }
}
