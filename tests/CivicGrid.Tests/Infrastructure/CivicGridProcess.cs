using System.Diagnostics;
using CivicGrid.Infrastructure.Data;

namespace CivicGrid.Tests.Infrastructure;

/// <summary>Runs the built host executable as its own process, as an operator would.</summary>
public static class CivicGridProcess
{
    /// <summary>The start info for <c>dotnet CivicGrid.dll ARGS</c> against the given database.</summary>
    public static ProcessStartInfo StartInfo(DatabaseProvider provider, string connectionString, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CivicGrid.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["Database__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__Default"] = connectionString;
        start.Environment["DataProtection__KeyPath"] = Path.Combine(Path.GetTempPath(), "civicgrid-test-keys");
        return start;
    }

    /// <summary>Runs a command-line verb to its end; returns the exit code and what it printed.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(DatabaseProvider provider, string connectionString, params string[] args)
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = Process.Start(StartInfo(provider, connectionString, args))!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await output, await error);
    }
}
