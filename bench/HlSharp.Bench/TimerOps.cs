using System.Diagnostics;
using System.Globalization;

namespace HlSharp.Bench;

/// <summary>
/// How adding and stopping timers grows with the number of live ones: with n = 1,000, 10,000 and
/// 100,000 timers waiting (random delays of one to two hours, in pumped mode and never pumped, so
/// nothing fires and no timer thread runs), the time per operation of adding a batch of 10,000
/// more, of stopping that batch in random order, and of stopping all n in random order. Each is
/// timed with <see cref="Stopwatch"/> over repeated loops (a collection before each) and the
/// median kept. The queue is an indexed binary heap, so a cost that grows as log n gives ratios
/// between successive n (ten times as many timers) near log(10n)/log(n), 1.2 to 1.33; a cost
/// that grew as n would give 10.
/// <code>dotnet run -c Release --project bench/HlSharp.Bench -- timer-ops [repeats] [n ...]</code>
/// </summary>
public static class TimerOps
{
    /// <summary>The command-line verb that selects this benchmark.</summary>
    public const string Verb = "timer-ops";

    private const int Batch = 10_000;

    private static readonly int[] DefaultSizes = [1_000, 10_000, 100_000];

    private static readonly Action Callback = static () => { };

    /// <summary>Runs the benchmark with the arguments after <see cref="Verb"/>; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var repeats = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 9;
        int[] sizes = args.Count > 1 ? [.. args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : DefaultSizes;
        var path = BenchPrograms.PathOf(BenchPrograms.Embedding);
        Console.WriteLine($"adding and stopping timers with n live: medians of {repeats} loops, ns per operation; {Environment.ProcessorCount} cores, load {TimerLateness.Load()}");
        var random = new Random(42);
        var results = new List<(int N, double Add, double StopBatch, double StopAll)>();
        // Untimed passes first, and a pause for the tiered compiler to put the optimised code in,
        // so that the first size timed does not pay for compiling what the others reuse.
        Measure(path, 10_000, 3, random);
        Thread.Sleep(500);
        Measure(path, 10_000, 3, random);
        foreach (var n in sizes)
        {
            results.Add(Measure(path, n, repeats, random));
        }

        Console.WriteLine($"{"n",8} {"add",8} {"stop",8} {"stop all",9}   (ns per operation, batch of {Batch:N0} added then stopped; all n stopped)");
        foreach (var (n, add, stopBatch, stopAll) in results)
        {
            Console.WriteLine($"{n,8:N0} {add,8:F0} {stopBatch,8:F0} {stopAll,9:F0}");
        }

        for (var i = 1; i < results.Count; i++)
        {
            var (small, large) = (results[i - 1], results[i]);
            var logRatio = Math.Log(large.N) / Math.Log(small.N);
            var linearRatio = (double)large.N / small.N;
            Console.WriteLine($"ratio {large.N:N0}/{small.N:N0}: add {large.Add / small.Add:F2}, stop {large.StopBatch / small.StopBatch:F2}, stop all {large.StopAll / small.StopAll:F2} (log n predicts {logRatio:F2}, n predicts {linearRatio:F0})");
        }

        return 0;
    }

    private static (int N, double Add, double StopBatch, double StopAll) Measure(string path, int n, int repeats, Random random)
    {
        using var vm = HlVm.LoadFile(path, new HlVmOptions { StandardOutput = Stream.Null });
        vm.Timers.Mode = HlTimerMode.Pumped;
        var (adds, stops, stopAlls) = (new List<double>(), new List<double>(), new List<double>());
        var batch = new HlTimer[Batch];
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            var live = new HlTimer[n];
            for (var i = 0; i < n; i++)
            {
                live[i] = vm.Timers.After(Delay(random), Callback);
            }

            var delays = Enumerable.Range(0, Batch).Select(_ => Delay(random)).ToArray();
            GC.Collect();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < Batch; i++)
            {
                batch[i] = vm.Timers.After(delays[i], Callback);
            }

            adds.Add(PerOperation(start, Batch));
            random.Shuffle(batch);
            GC.Collect();
            start = Stopwatch.GetTimestamp();
            foreach (var timer in batch)
            {
                timer.Stop();
            }

            stops.Add(PerOperation(start, Batch));
            random.Shuffle(live);
            GC.Collect();
            start = Stopwatch.GetTimestamp();
            foreach (var timer in live)
            {
                timer.Stop();
            }

            stopAlls.Add(PerOperation(start, n));
            if (vm.Timers.ActiveCount != 0)
            {
                throw new InvalidOperationException($"{vm.Timers.ActiveCount} timers still active after stopping all");
            }
        }

        return (n, TimerLateness.Median(adds), TimerLateness.Median(stops), TimerLateness.Median(stopAlls));
    }

    private static TimeSpan Delay(Random random) => TimeSpan.FromHours(1 + random.NextDouble());

    private static double PerOperation(long start, int operations) => Stopwatch.GetElapsedTime(start).TotalNanoseconds / operations;
}
