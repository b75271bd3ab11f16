using BenchmarkDotNet.Running;

// Every benchmark in this assembly, chosen on the command line:
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*'
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*Read*' --job short
//   dotnet run -c Release --project bench/HlSharp.Bench -- --filter '*Embedding*' --job short
BenchmarkSwitcher.FromAssembly(typeof(HlSharp.Bench.BenchPrograms).Assembly).Run(args);
