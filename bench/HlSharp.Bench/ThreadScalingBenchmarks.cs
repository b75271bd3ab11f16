using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace HlSharp.Bench;

/// <summary>
/// Whether Haxe threads scale (<c>bench/programs/scaling/</c>): the same allocation-heavy Haxe
/// work on one host thread, and twice that work split over two host threads running at once.
/// With a collector that lets threads allocate in parallel, the Ratio column of
/// <see cref="TwoThreadsTwiceTheWork"/> stays near 1 on a machine with two free cores (the goal is
/// 1.2 at most); HashLink, whose collector stops every thread, measures 7.8. Both cases start their
/// threads the same way, so the ratio compares work, not thread creation. Each runs under both of
/// .NET's collectors: the workstation one (the default of a console app) collects the youngest
/// generation on one thread while every thread waits, the server one on a thread per core.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CollectorJobs))]
public class ThreadScalingBenchmarks
{
    /// <summary>Rounds of <c>Work.allocate</c> per thread: a few hundred milliseconds of work, 360 MB allocated.</summary>
    private const int Rounds = 200_000;

    private HlVm _vm = null!;
    private Func<int, int> _allocate = null!;

    /// <summary>Compiles the program if needed, loads it and looks the work up once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _vm = HlVm.LoadFile(BenchPrograms.PathOf(BenchPrograms.Scaling));
        _vm.RunEntry();
        _allocate = _vm.GetFunction<Func<int, int>>("Work", "allocate");
        _ = _allocate(1000);
    }

    /// <summary>Disposes the VM.</summary>
    [GlobalCleanup]
    public void Cleanup() => _vm.Dispose();

    /// <summary>The work once, on one registered host thread.</summary>
    [Benchmark(Baseline = true)]
    public int OneThread() => Run(threads: 1);

    /// <summary>The work twice, on two registered host threads at once.</summary>
    [Benchmark]
    public int TwoThreadsTwiceTheWork() => Run(threads: 2);

    private int Run(int threads)
    {
        var results = new int[threads];
        var workers = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            var slot = i;
            workers[i] = new Thread(() =>
            {
                using (_vm.EnterThread())
                {
                    results[slot] = _allocate(Rounds);
                }
            });
            workers[i].Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        return results.Sum();
    }

    /// <summary>A short run under each collector; ratios compare cases within one job.</summary>
    private sealed class CollectorJobs : ManualConfig
    {
        public CollectorJobs()
        {
            AddJob(Job.ShortRun.WithGcServer(false).WithId("WorkstationGC"));
            AddJob(Job.ShortRun.WithGcServer(true).WithId("ServerGC"));
        }
    }
}
