using BenchmarkDotNet.Running;
using CivicGrid.Benchmarks;

// dotnet run -c Release --project bench/CivicGrid.Benchmarks -- --filter '*'
// Console modes for the locate figures: --prepare, --memory, --latency, --points SET FILE.
if (LocateConsole.Run(args) is { } exitCode)
{
    return exitCode;
}

BenchmarkSwitcher.FromAssembly(typeof(DivisionImportBenchmarks).Assembly).Run(args);
return 0;
