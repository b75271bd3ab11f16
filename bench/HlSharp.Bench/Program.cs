using BenchmarkDotNet.Running;
using HlSharp.Bench;

// Every benchmark in this assembly, chosen on the command line:
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*'
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*Read*' --job short
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*Embedding*' --job short
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*VirtualAccess*' --job short
// the cost of one call of each kind inside compiled Haxe code (on a loaded machine, --inProcess
// spares BenchmarkDotNet the child build that may time out):
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*CallBenchmarks*' --job short --inProcess
// the dedicated-thread round-trip percentiles, which BenchmarkDotNet does not report:
//   dotnet run -c Release --project bench/HlSharp.Bench -- invoke-latency [rounds] [calls per round]
// and the cost of the safe-point polls on bench/programs/ (pairs with and without, alternating):
//   dotnet run -c Release --project bench/HlSharp.Bench -- polls [--pairs N] [--tiered] [program ...]
// and the timers: lateness percentiles on the real clock, the cost per fire of 10,000 timers, and
// the cost of adding and stopping timers as the number of live ones grows:
//   dotnet run -c Release --project bench/HlSharp.Bench -- timer-lateness [rounds]
//   dotnet run -c Release --project bench/HlSharp.Bench -- timer-load [rounds] [seconds] [timers] [longest interval ms]
//   dotnet run -c Release --project bench/HlSharp.Bench -- timer-ops [repeats] [n ...]
// and what a hot reload of changed bodies costs, in time and memory, over many reloads:
//   dotnet run -c Release --project bench/HlSharp.Bench -- reload v1.hl v2.hl [reloads]
if (args is [InvokeLatency.Command, .. var rest])
{
    await InvokeLatency.RunAsync(rest);
    return 0;
}

if (args is [PollCost.Verb, .. var pollArgs])
{
    return PollCost.Run(pollArgs);
}

switch (args)
{
    case [TimerLateness.Verb, .. var latenessArgs]:
        return TimerLateness.Run(latenessArgs);
    case [TimerLoad.Verb, .. var loadArgs]:
        return TimerLoad.Run(loadArgs);
    case [TimerOps.Verb, .. var opsArgs]:
        return TimerOps.Run(opsArgs);
    case [ReloadCost.Verb, .. var reloadArgs]:
        return ReloadCost.Run(reloadArgs);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchPrograms).Assembly).Run(args);
return 0;
