using BenchmarkDotNet.Running;
using CivicGrid.Benchmarks;

// dotnet run -c Release --project bench/CivicGrid.Benchmarks -- --filter '*'
// Console modes for the locate figures: --prepare, --memory, --latency, --points SET FILE;
// for the case deadline sweep: --sweep [N] (CIVICGRID_BENCH_POSTGRES).
if (args.Length > 0 && args[0] == "--sweep")
{
    return await CaseSweepConsole.RunAsync(args);
}
if (args.Length > 0 && args[0] == "--evaluation")
{
    return await CaseSweepConsole.EvaluationAsync(args);
}
if (LocateConsole.Run(args) is { } exitCode)
{
    return exitCode;
}

// The ledger import figures: --ledger [ROWS] (SQLite, and PostgreSQL with CIVICGRID_BENCH_POSTGRES).
if (LedgerImportConsole.Run(args) is { } ledgerExit)
{
    return ledgerExit;
}

// The ledger import's per-row pieces alone: --ledger-stages [ROWS].
if (await LedgerStagesConsole.RunAsync(args) is { } stagesExit)
{
    return stagesExit;
}

// Person search at scale: --search [PERSONS] (SQLite, and PostgreSQL with CIVICGRID_BENCH_POSTGRES).
if (SearchConsole.Run(args) is { } searchExit)
{
    return searchExit;
}
// The 一表通 fill for the whole district: --template [PERSONS] (SQLite, and PostgreSQL with CIVICGRID_BENCH_POSTGRES).
if (TemplateConsole.Run(args) is { } templateExit)
{
    return templateExit;
}

BenchmarkSwitcher.FromAssembly(typeof(DivisionImportBenchmarks).Assembly).Run(args);
return 0;
