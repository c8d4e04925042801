using System.Net;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Tests.Infrastructure;

namespace CivicGrid.Tests.Identity;

/// <summary>The demo seed creates one user per role in Kundulun and hands their sign-ins over in demo-users.csv.</summary>
public sealed class DemoUsersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothDatabases))]
    public async Task The_demo_seed_writes_demo_users_csv_whose_credentials_sign_in(DatabaseProvider provider)
    {
        // On SQLite the file lands next to the database (the default); PostgreSQL's default is the
        // working directory's data/, which parallel tests share, so this test points it elsewhere.
        var folder = Directory.CreateTempSubdirectory("demo-users-");
        var settings = provider == DatabaseProvider.Postgres
            ? new Dictionary<string, string?> { ["Demo:UsersFile"] = Path.Combine(folder.FullName, "demo-users.csv") }
            : null;
        try
        {
            await using var app = await CivicGridApp.StartAsync(provider, seed: true, settings: settings);
            var file = provider == DatabaseProvider.Sqlite
                ? Path.Combine(Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(app.ConnectionString).DataSource)!, "demo-users.csv")
                : Path.Combine(folder.FullName, "demo-users.csv");

            var lines = await File.ReadAllLinesAsync(file, Ct);
            lines[0].Should().Be("role,jurisdiction_code,user_name,password");
            var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
            rows.Select(r => r[0]).Should().BeEquivalentTo(
                ["admin", "leader", "department", "centre", "township", "township", "community", "grid-head", "grid-worker", "resident", "open311"]);
            var townships = rows.Where(r => r[0] == "township").Select(r => r[1]).ToList();
            townships.Should().OnlyHaveUniqueItems().And.AllSatisfy(c => c.Should().MatchRegex("^150203[0-9]{3}$"));
            rows.Single(r => r[0] == "community")[1].Should().MatchRegex("^150203[0-9]{6}$");
            rows.Single(r => r[0] == "grid-worker")[1].Should().MatchRegex("^150203[0-9]{9}$");
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var client = app.CreateClient();
            // The Open311 client's row carries its API key: it gets past the 403 to the missing fields (400).
            var open311 = rows.Single(r => r[0] == "open311");
            open311[1].Should().Be("150203");
            using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["api_key"] = open311[3] }))
            {
                (await client.PostAsync(new Uri("/open311/v2/requests.json", UriKind.Relative), form, Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
            }
            using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["api_key"] = "wrong" }))
            {
                (await client.PostAsync(new Uri("/open311/v2/requests.json", UriKind.Relative), form, Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
            }
            foreach (var row in rows.Where(r => r[0] != "open311"))
            {
                var response = await client.PostJsonAsync("/api/v1/auth/token", new { userName = row[2], password = row[3] });
                response.StatusCode.Should().Be(HttpStatusCode.OK, $"{row[2]} signs in");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
