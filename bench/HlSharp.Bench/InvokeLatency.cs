using System.Diagnostics;
using System.Globalization;

namespace HlSharp.Bench;

/// <summary>
/// The round trip of a call posted to a dedicated VM thread (<see cref="HlDedicatedVm"/>), as
/// percentiles, which BenchmarkDotNet does not report: many single round trips, each timed with
/// <see cref="Stopwatch"/>. Two programs (<c>bench/programs/dedicated/</c>): a <c>main</c> that
/// returns, so calls are served by the thread's idle wait, and a <c>main</c> that loops forever
/// with <c>Sys.sleep(0.001)</c>, so calls are served inside the sleep. Both are measured for
/// <see cref="HlDedicatedVm.Invoke{T}(Func{HlVm, T})"/> and an awaited
/// <see cref="HlDedicatedVm.InvokeAsync{T}(Func{HlVm, T}, CancellationToken)"/>, in alternating
/// rounds so that noise from other work on the machine falls on all cases alike.
/// <code>dotnet run -c Release --project bench/HlSharp.Bench -- invoke-latency [rounds] [calls per round]</code>
/// </summary>
public static class InvokeLatency
{
    public const string Command = "invoke-latency";

    private static readonly string[] Mains = ["returns", "sleep-loop"];

    public static async Task RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var calls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        var path = BenchPrograms.PathOf(BenchPrograms.Dedicated);
        var samples = new Dictionary<string, List<double>>();
        Console.WriteLine($"{rounds} rounds x {calls} round trips per case; .NET {Environment.Version}, {Environment.ProcessorCount} cores");

        for (var round = 0; round < rounds; round++)
        {
            // Alternate the order of the programs from round to round.
            foreach (var main in round % 2 == 0 ? Mains : Mains.Reverse())
            {
                await using var server = HlVm.StartOnDedicatedThread(path, new HlVmOptions { Arguments = [main], StandardOutput = Stream.Null });
                var add = server.Invoke(v => v.GetFunction<Func<int, int, int>>("Main", "add"));
                await Measure(server, add, calls / 10, null).ConfigureAwait(false);
                await Measure(server, add, calls, Add(samples, $"{main,-10} Invoke")).ConfigureAwait(false);
                await Measure(server, add, calls, Add(samples, $"{main,-10} InvokeAsync"), async: true).ConfigureAwait(false);
            }
        }

        Console.WriteLine($"{"main / call",-24} {"p50",9} {"p90",9} {"p99",9} {"p99.9",9}   (microseconds, all rounds)");
        foreach (var (name, times) in samples)
        {
            times.Sort();
            Console.WriteLine($"{name,-24} {At(times, 0.50),9:F1} {At(times, 0.90),9:F1} {At(times, 0.99),9:F1} {At(times, 0.999),9:F1}");
        }
    }

    private static List<double> Add(Dictionary<string, List<double>> samples, string name)
    {
        if (!samples.TryGetValue(name, out var list))
        {
            samples[name] = list = [];
        }

        return list;
    }

    private static async Task Measure(HlDedicatedVm server, Func<int, int, int> add, int calls, List<double>? into, bool async = false)
    {
        var ticksToMicros = 1e6 / Stopwatch.Frequency;
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var sum = async
                ? await server.InvokeAsync(_ => add(i, 1)).ConfigureAwait(false)
                : server.Invoke(_ => add(i, 1));
            var elapsed = Stopwatch.GetTimestamp() - start;
            if (sum != i + 1)
            {
                throw new InvalidOperationException($"add({i}, 1) returned {sum}");
            }

            into?.Add(elapsed * ticksToMicros);
        }
    }

    private static double At(List<double> sorted, double quantile) => sorted[Math.Min(sorted.Count - 1, (int)(quantile * sorted.Count))];
}
