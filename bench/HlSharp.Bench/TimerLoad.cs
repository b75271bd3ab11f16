using System.Diagnostics;
using System.Globalization;

namespace HlSharp.Bench;

/// <summary>
/// What the scheduler costs per call with many timers at once: 10,000
/// <see cref="HlTimers.Every(TimeSpan, Action)"/> timers with intervals spread evenly over
/// 1-100 ms and a callback that only counts, in serialized and threaded mode on the real clock.
/// The cost per fire is the processor time the whole process spent during the measured seconds,
/// less what it spends idle over the same time (measured first, with no timers), over the calls
/// made; the callback's own cost (an interlocked increment, a few ns) is left in. Due points the
/// scheduler could not keep up with are coalesced; the "kept" column is the share of them that
/// got a call of their own.
/// <para>
/// With intervals up to 100 ms the scheduler keeps up, and its thread spends the microseconds
/// between due points waiting (by yielding, as they are under <c>0.1 ms</c> apart), so the figure
/// is an upper bound; with intervals up to 10 ms (2.9 million due points a second) it cannot, the
/// calls coalesce, its thread never waits, and the figure is the cost of a call itself.
/// </para>
/// <code>dotnet run -c Release --project bench/HlSharp.Bench -- timer-load [rounds] [seconds] [timers] [longest interval ms]</code>
/// </summary>
public static class TimerLoad
{
    /// <summary>The command-line verb that selects this benchmark.</summary>
    public const string Verb = "timer-load";

    private const int DefaultTimers = 10_000;

    /// <summary>The longest interval in milliseconds: the timers' intervals are 1, 2, ... this, in turn.</summary>
    private const int DefaultLongest = 100;

    private static readonly HlTimerMode[] Modes = [HlTimerMode.Serialized, HlTimerMode.Threaded];

    /// <summary>Runs the benchmark with the arguments after <see cref="Verb"/>; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var rounds = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var seconds = args.Count > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var timers = args.Count > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : DefaultTimers;
        var longest = args.Count > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : DefaultLongest;
        TimeSpan Interval(int i) => TimeSpan.FromMilliseconds(1 + (i % longest));
        var path = BenchPrograms.PathOf(BenchPrograms.Embedding);
        var duePerSecond = Enumerable.Range(0, timers).Sum(i => 1000.0 / Interval(i).TotalMilliseconds);
        Console.WriteLine($"{timers:N0} Every timers at 1-{longest} ms ({duePerSecond:N0} due points a second), {seconds} s measured after 1 s, {rounds} rounds; {Environment.ProcessorCount} cores, load {TimerLateness.Load()}");
        var idle = IdleCpu(seconds);
        Console.WriteLine($"idle process: {idle.TotalMilliseconds:F0} ms of processor time in {seconds} s (subtracted)");
        Console.WriteLine($"{"mode",-10} {"round",5} {"calls/s",10} {"kept %",7} {"cpu %",6} {"ns/fire",8}");
        var perMode = Modes.ToDictionary(m => m, _ => new List<(double NsPerFire, double CallsPerSecond, double Kept, double Cpu)>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var mode in round % 2 == 0 ? Modes : Modes.Reverse())
            {
                var row = Measure(path, mode, timers, Interval, seconds, idle, duePerSecond);
                perMode[mode].Add(row);
                Console.WriteLine($"{mode,-10} {round + 1,5} {row.CallsPerSecond,10:N0} {row.Kept,7:F1} {row.Cpu,6:F0} {row.NsPerFire,8:F0}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"medians (load now {TimerLateness.Load()}):");
        foreach (var (mode, rows) in perMode)
        {
            Console.WriteLine($"{mode,-10} {"",5} {TimerLateness.Median(rows.Select(r => r.CallsPerSecond)),10:N0} {TimerLateness.Median(rows.Select(r => r.Kept)),7:F1} {TimerLateness.Median(rows.Select(r => r.Cpu)),6:F0} {TimerLateness.Median(rows.Select(r => r.NsPerFire)),8:F0}");
        }

        return 0;
    }

    private static (double NsPerFire, double CallsPerSecond, double Kept, double Cpu) Measure(string path, HlTimerMode mode, int count, Func<int, TimeSpan> interval, double seconds, TimeSpan idle, double duePerSecond)
    {
        using var vm = HlVm.LoadFile(path, new HlVmOptions { StandardOutput = Stream.Null });
        vm.Timers.Mode = mode;
        long calls = 0;
        for (var i = 0; i < count; i++)
        {
            vm.Timers.Every(interval(i), () => Interlocked.Increment(ref calls));
        }

        Thread.Sleep(1000);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var (cpu0, calls0, wall0) = (process.TotalProcessorTime, Interlocked.Read(ref calls), Stopwatch.GetTimestamp());
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        process.Refresh();
        var (cpu1, calls1, wall) = (process.TotalProcessorTime, Interlocked.Read(ref calls), Stopwatch.GetElapsedTime(wall0));
        if (!vm.Timers.StopAll(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("a timer callback did not return in 30 s");
        }

        var fired = calls1 - calls0;
        var work = cpu1 - cpu0 - (idle * (wall / TimeSpan.FromSeconds(seconds)));
        return (work.TotalNanoseconds / fired, fired / wall.TotalSeconds, fired / wall.TotalSeconds / duePerSecond * 100, (cpu1 - cpu0) / wall * 100);
    }

    /// <summary>The processor time the process spends over <paramref name="seconds"/> with a VM loaded and no timer: the runtime's own background work.</summary>
    private static TimeSpan IdleCpu(double seconds)
    {
        using var vm = HlVm.LoadFile(BenchPrograms.PathOf(BenchPrograms.Embedding), new HlVmOptions { StandardOutput = Stream.Null });
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.TotalProcessorTime;
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        process.Refresh();
        return process.TotalProcessorTime - before;
    }
}
