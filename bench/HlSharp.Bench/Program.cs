using BenchmarkDotNet.Running;
using HlSharp.Bench;

// Every benchmark in this assembly, chosen on the command line:
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*'
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*Read*' --job short
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*Embedding*' --job short
// and the dedicated-thread round-trip percentiles, which BenchmarkDotNet does not report:
//   dotnet run -c Release --project bench/HlSharp.Bench -- invoke-latency [rounds] [calls per round]
if (args is [InvokeLatency.Command, .. var rest])
{
    await InvokeLatency.RunAsync(rest);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(BenchPrograms).Assembly).Run(args);
}
