using CivicGrid.Infrastructure;
using CivicGrid.Infrastructure.Cli;

// One executable, two faces: `dotnet run --project src/CivicGrid` serves the platform;
// `dotnet run --project src/CivicGrid -- VERB ...` runs a command-line verb.
var isCommand = CommandLine.IsCommand(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = isCommand ? [] : args,
});
// `dotnet run` serves from the build output in every environment, not only Development: without
// this the fingerprinted, precompressed assets of wwwroot (css, js, lib) answer 200 with an empty
// body outside Development. A published app has no manifest and this does nothing.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddCivicGrid(builder.Configuration);
if (!builder.Configuration.GetSection("urls").Exists() && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://localhost:5080");
}

var app = builder.Build();
if (isCommand)
{
    return await CommandLine.RunAsync(args, app.Services);
}

app.UseCivicGrid();
var demoUsers = await app.PrepareDatabaseAsync();
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls)
    {
        Console.WriteLine($"CivicGrid 网格智治 is running on {url}  (API docs: {url}/docs, health: {url}/health)");
    }
    if (demoUsers is not null)
    {
        Console.WriteLine($"Demo sign-in (POST /api/v1/auth/token), one user per role, also in {demoUsers}:");
        foreach (var row in File.ReadLines(demoUsers).Skip(1).Select(line => line.Split(',')).Where(r => r.Length == 4))
        {
            Console.WriteLine($"  {row[0],-12} {row[1],-16} {row[2],-22} {row[3]}");
        }
    }
});
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
