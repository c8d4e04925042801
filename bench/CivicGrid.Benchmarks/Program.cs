using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/CivicGrid.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(CivicGrid.Benchmarks.DivisionImportBenchmarks).Assembly).Run(args);
