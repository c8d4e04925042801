using CivicGrid.Infrastructure;
using CivicGrid.Infrastructure.Cli;

// One executable, two faces: `dotnet run --project src/CivicGrid` serves the platform;
// `dotnet run --project src/CivicGrid -- VERB ...` runs a command-line verb.
var isCommand = CommandLine.IsCommand(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = isCommand ? [] : args,
});
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
        Console.WriteLine($"Demo sign-in: one user per role, with passwords, in {demoUsers} (POST /api/v1/auth/token)");
    }
});
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
