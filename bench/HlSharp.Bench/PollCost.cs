using System.Diagnostics;
using System.Globalization;

namespace HlSharp.Bench;

/// <summary>
/// What the safe-point polls cost: runs each program of <c>bench/programs/</c> (as
/// <c>bench/programs/run.sh</c> does, without <c>hl</c>) compiled with polls and compiled
/// without (an internal switch, for this measurement only), in one process, in pairs whose order
/// alternates, and prints the median of the pairs' ratios (with / without) per program. A
/// ratio of 1.03 is a 3% cost. Each run is timed by the processor time the process spent (which
/// the other processes of a busy machine disturb less than the wall clock) and by the wall clock;
/// the spread columns give the middle half of the ratios, the machine's noise. Noise from other
/// processes only ever adds time, so the ratio of the fastest runs (best_ratio) is the steadiest figure on a busy machine.
/// <code>
///   dotnet run -c Release --project bench/HlSharp.Bench -- polls [--pairs N] [--tiered] [program ...]
/// </code>
/// By default the code is collectible, which .NET compiles fully optimised at once, so every run
/// measures the same machine code; <c>--tiered</c> runs as <c>hlsharp run</c> does
/// (<see cref="HlVmOptions.CollectibleCode"/> false: tiered compilation, and code never freed).
/// </summary>
public static class PollCost
{
    /// <summary>The command-line verb that selects this benchmark.</summary>
    public const string Verb = "polls";

    /// <summary>Runs the benchmark with the arguments after <see cref="Verb"/>; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var pairs = 7;
        var tiered = false;
        var programs = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--pairs" when i + 1 < args.Count:
                    pairs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--tiered":
                    tiered = true;
                    break;
                default:
                    programs.Add(args[i]);
                    break;
            }
        }

        if (pairs < 1)
        {
            Console.Error.WriteLine("--pairs must be at least 1");
            return 2;
        }

        if (programs.Count == 0)
        {
            programs.AddRange(BenchPrograms.TimedPrograms());
        }

        Console.WriteLine($"safe-point polls: {pairs} alternating pairs per program, {(tiered ? "tiered" : "collectible, fully optimised")} code");
        Console.WriteLine($"{"program",-10} {"cpu_with",9} {"cpu_without",11} {"cpu_ratio",9} {"cpu_spread",13} {"wall_ratio",10} {"wall_spread",13} {"best_ratio",10}");
        var status = 0;
        foreach (var program in programs)
        {
            var path = BenchPrograms.PathOf(program);
            // A first pair unmeasured: it compiles HlSharp's own code, and checks both print the same.
            var (_, _, withOutput) = Time(path, polls: true, tiered);
            var (_, _, withoutOutput) = Time(path, polls: false, tiered);
            if (withOutput != withoutOutput)
            {
                Console.WriteLine($"{program,-10} DIFFERENT OUTPUT with and without polls");
                status = 1;
                continue;
            }

            var cpuWith = new List<double>();
            var cpuWithout = new List<double>();
            var cpuRatios = new List<double>();
            var wallRatios = new List<double>();
            for (var pair = 0; pair < pairs; pair++)
            {
                var pollsFirst = pair % 2 == 0;
                var first = Time(path, polls: pollsFirst, tiered);
                var second = Time(path, polls: !pollsFirst, tiered);
                var (with, without) = pollsFirst ? (first, second) : (second, first);
                cpuWith.Add(with.Cpu);
                cpuWithout.Add(without.Cpu);
                cpuRatios.Add(with.Cpu / without.Cpu);
                wallRatios.Add(with.Wall / without.Wall);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{program,-10} {Median(cpuWith),9:F0} {Median(cpuWithout),11:F0} {Median(cpuRatios),9:F3} {Quantile(cpuRatios, 0.25),6:F3}-{Quantile(cpuRatios, 0.75):F3} {Median(wallRatios),10:F3} {Quantile(wallRatios, 0.25),6:F3}-{Quantile(wallRatios, 0.75):F3} {cpuWith.Min() / cpuWithout.Min(),10:F3}"));
        }

        return status;
    }

    private static (double Cpu, double Wall, string Output) Time(string path, bool polls, bool tiered)
    {
        using var output = new MemoryStream();
        var options = new HlVmOptions
        {
            StandardOutput = output,
            CollectibleCode = !tiered,
            RunEventLoop = true,
            SafePointPolls = polls,
        };
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        using (var vm = HlVm.LoadFile(path, options))
        {
            vm.RunEntry();
        }

        watch.Stop();
        process.Refresh();
        return ((process.TotalProcessorTime - cpu).TotalMilliseconds, watch.Elapsed.TotalMilliseconds, System.Text.Encoding.UTF8.GetString(output.ToArray()));
    }

    private static double Median(List<double> values) => Quantile(values, 0.5);

    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }
}
