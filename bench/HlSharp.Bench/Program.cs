using BenchmarkDotNet.Running;
using HlSharp.Bench;

// Every benchmark in this assembly, chosen on the command line:
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*'
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*Read*' --job short
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*Embedding*' --job short
// the dedicated-thread round-trip percentiles, which BenchmarkDotNet does not report:
//   dotnet run -c Release --project bench/HlSharp.Bench -- invoke-latency [rounds] [calls per round]
// and the cost of the safe-point polls on bench/programs/ (pairs with and without, alternating):
//   dotnet run -c Release --project bench/HlSharp.Bench -- polls [--pairs N] [--tiered] [program ...]
if (args is [InvokeLatency.Command, .. var rest])
{
    await InvokeLatency.RunAsync(rest);
    return 0;
}

if (args is [PollCost.Verb, .. var pollArgs])
{
    return PollCost.Run(pollArgs);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchPrograms).Assembly).Run(args);
return 0;
