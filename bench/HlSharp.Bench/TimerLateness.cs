using System.Diagnostics;
using System.Globalization;

namespace HlSharp.Bench;

/// <summary>
/// How late <see cref="HlVm.Timers"/> calls come on the real clock, as percentiles, which
/// BenchmarkDotNet does not report: for each mode (threaded, serialized, and pumped by a host
/// loop calling <see cref="HlTimers.Pump"/> on the main thread) and each interval, an
/// <see cref="HlTimers.Every(TimeSpan, Action)"/> timer runs for a fixed number of calls and
/// each call records its lateness, the time its callback starts minus its due time; then a chain
/// of <see cref="HlTimers.After"/> one-shots, each added by the previous one's callback.
/// <para>
/// The public API does not expose due times, so they are reconstructed: a repeating timer's
/// k-th due point is (timestamp read just before <c>Every</c>) + (k + missed) × interval, and a
/// one-shot's is (timestamp read just before <c>After</c>) + delay. The timestamp is read before
/// the scheduler reads its own, so every lateness here is overstated by the time <c>Every</c>
/// takes to reach its clock read (well under a microsecond): the safe side.
/// </para>
/// <code>dotnet run -c Release --project bench/HlSharp.Bench -- timer-lateness [rounds]</code>
/// </summary>
public static class TimerLateness
{
    /// <summary>The command-line verb that selects this benchmark.</summary>
    public const string Verb = "timer-lateness";

    private static readonly HlTimerMode[] Modes = [HlTimerMode.Threaded, HlTimerMode.Serialized, HlTimerMode.Pumped];

    /// <summary>Each interval, with how many calls of the repeating timer and of the one-shot chain to take at it.</summary>
    private static readonly (double Milliseconds, int Fires, int Chain)[] Intervals = [(1, 2_000, 1_000), (10, 1_000, 300)];

    /// <summary>Runs the benchmark with the arguments after <see cref="Verb"/>; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var rounds = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var path = BenchPrograms.PathOf(BenchPrograms.Embedding);
        Console.WriteLine($"timer lateness on the system clock: {rounds} rounds; .NET {Environment.Version}, {Environment.ProcessorCount} cores, load {Load()}");
        Console.WriteLine("lateness = callback start - due time (due reconstructed from a timestamp read before Every/After: overstated, the safe side);");
        Console.WriteLine("p50, p99: from the due point a call stands for; p99*, max*: from the first due point it replaced, when it coalesced missed ones");
        Console.WriteLine($"{"case",-30} {"round",5} {"p50 ms",8} {"p99 ms",8} {"p99* ms",8} {"max* ms",8} {"calls",6} {"missed",6} {"cpu %",6} {"load",5}");
        // An untimed pass through every case first: the first Every of a process compiles the
        // scheduler's paths (milliseconds), which would shift every due time this measures by as much.
        foreach (var mode in Modes)
        {
            using var vm = HlVm.LoadFile(path, new HlVmOptions { StandardOutput = Stream.Null });
            vm.Timers.Mode = mode;
            MeasureEvery(vm, TimeSpan.FromMilliseconds(1), 50);
            MeasureChain(vm, TimeSpan.FromMilliseconds(1), 50);
        }

        var medians = new Dictionary<string, List<Row>>();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate the order of the modes from round to round, so that noise falls on all alike.
            foreach (var mode in round % 2 == 0 ? Modes : Modes.Reverse())
            {
                foreach (var (ms, fires, chain) in Intervals)
                {
                    foreach (var oneShots in new[] { false, true })
                    {
                        using var vm = HlVm.LoadFile(path, new HlVmOptions { StandardOutput = Stream.Null });
                        vm.Timers.Mode = mode;
                        var interval = TimeSpan.FromMilliseconds(ms);
                        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                        var wallBefore = Stopwatch.GetTimestamp();
                        var sample = oneShots ? MeasureChain(vm, interval, chain) : MeasureEvery(vm, interval, fires);
                        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore) / Stopwatch.GetElapsedTime(wallBefore) * 100;
                        var (late, fromFirst) = (sample.Late.Order().ToArray(), sample.FromFirst.Order().ToArray());
                        var name = $"{mode,-10} {(oneShots ? "After chain" : "Every"),-11} {ms,4} ms";
                        var row = new Row(At(late, 0.50), At(late, 0.99), At(fromFirst, 0.99), fromFirst[^1], sample.Missed, cpu);
                        Console.WriteLine($"{name,-30} {round + 1,5} {row.P50,8:F3} {row.P99,8:F3} {row.P99First,8:F3} {row.Max,8:F3} {late.Length,6} {row.Missed,6} {cpu,6:F0} {Load().Split(' ')[0],5}");
                        if (!medians.TryGetValue(name, out var list))
                        {
                            medians[name] = list = [];
                        }

                        list.Add(row);
                    }
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"medians of the rounds (load now {Load()}):");
        Console.WriteLine($"{"case",-30} {"p50 ms",8} {"p99 ms",8} {"p99* ms",8} {"max* ms",8} {"missed",6} {"cpu %",6}");
        foreach (var (name, rows) in medians.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"{name,-30} {Median(rows.Select(r => r.P50)),8:F3} {Median(rows.Select(r => r.P99)),8:F3} {Median(rows.Select(r => r.P99First)),8:F3} {Median(rows.Select(r => r.Max)),8:F3} {Median(rows.Select(r => (double)r.Missed)),6:F0} {Median(rows.Select(r => r.Cpu)),6:F0}");
        }

        return 0;
    }

    /// <summary>
    /// One repeating timer for <paramref name="fires"/> calls: each call's lateness in milliseconds
    /// from the due point it stands for, and from the first due point it replaced (the same unless
    /// the call was so late that it coalesced missed ones), and the due points missed.
    /// </summary>
    private static Sample MeasureEvery(HlVm vm, TimeSpan interval, int fires)
    {
        var late = new double[fires];
        var fromFirst = new double[fires];
        var calls = 0;
        var missedBefore = 0L;
        var period = interval.TotalSeconds * Stopwatch.Frequency;
        HlTimer? timer = null;
        using var done = new ManualResetEventSlim();
        var start = Stopwatch.GetTimestamp();
        timer = vm.Timers.Every(interval, () =>
        {
            var now = Stopwatch.GetTimestamp();
            // The callback may come before Every has returned the timer on a preempted host thread.
            SpinWait.SpinUntil(() => Volatile.Read(ref timer) is not null);
            var self = Volatile.Read(ref timer)!;
            // FireCount counts this call already: the due point it stands for is the (FireCount + missed)-th.
            var (fired, missed) = (self.FireCount, self.MissedCount);
            late[calls] = Milliseconds(now - (start + ((fired + missed) * period)));
            fromFirst[calls] = Milliseconds(now - (start + ((fired + missedBefore) * period)));
            missedBefore = missed;
            if (++calls == fires)
            {
                self.Stop();
                done.Set();
            }
        });
        Drive(vm, done);
        return new Sample(late, fromFirst, timer.MissedCount);
    }

    /// <summary>A chain of one-shots, each added by the previous one's callback; each call's lateness in milliseconds.</summary>
    private static Sample MeasureChain(HlVm vm, TimeSpan delay, int length)
    {
        var late = new double[length];
        var calls = 0;
        var ticks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
        using var done = new ManualResetEventSlim();
        var due = 0L;
        void Next()
        {
            due = Stopwatch.GetTimestamp() + ticks;
            vm.Timers.After(delay, Fired);
        }

        void Fired()
        {
            late[calls] = Milliseconds(Stopwatch.GetTimestamp() - due);
            if (++calls == length)
            {
                done.Set();
                return;
            }

            Next();
        }

        Next();
        Drive(vm, done);
        return new Sample(late, late, 0);
    }

    /// <summary>Waits for the measured timer to finish: a host loop of pumps in pumped mode, a plain wait in the others.</summary>
    private static void Drive(HlVm vm, ManualResetEventSlim done)
    {
        var limit = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        while (!done.IsSet)
        {
            if (Stopwatch.GetTimestamp() > limit)
            {
                throw new TimeoutException($"the timer did not finish in 60 s:\n{vm.Timers.Dump()}");
            }

            if (vm.Timers.Mode == HlTimerMode.Pumped)
            {
                vm.Timers.Pump(TimeSpan.FromMilliseconds(100));
            }
            else
            {
                done.Wait(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>The load average over the last minute, as <c>uptime</c> shows it.</summary>
    internal static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double Milliseconds(double ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double At(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];

    /// <summary>One case's figures (ms): percentiles from the due points the calls stand for, and (P99First, Max) from the first due points they replaced.</summary>
    private readonly record struct Row(double P50, double P99, double P99First, double Max, long Missed, double Cpu);

    /// <summary>The lateness of each call (ms) from the due point it stands for and from the first one it replaced, and the due points missed.</summary>
    private readonly record struct Sample(double[] Late, double[] FromFirst, long Missed);

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
