using BenchmarkDotNet.Running;

// Every benchmark in this assembly, chosen on the command line:
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*'
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*Read*' --job short
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*Embedding*' --job short
// and the cost of the safe-point polls on bench/programs/ (pairs with and without, alternating):
//   dotnet run -c Release --project bench/HlSharp.Bench -- polls [--pairs N] [--tiered] [program ...]
if (args.Length > 0 && args[0] == HlSharp.Bench.PollCost.Verb)
{
    return HlSharp.Bench.PollCost.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(HlSharp.Bench.BenchPrograms).Assembly).Run(args);
return 0;
