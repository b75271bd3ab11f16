using BenchmarkDotNet.Attributes;

namespace HlSharp.Bench;

/// <summary>
/// What Haxe's threading primitives cost on HlSharp (<c>bench/programs/threads/</c>): an
/// uncontended <c>sys.thread.Mutex</c> acquire/release pair, beside a C# <c>lock</c> on an object
/// (the baseline), with deadlock detection off and on; and messages through an hlsharp
/// <c>Channel</c> from one producer to one consumer thread, bounded (capacity 64) and unbounded.
/// Times are per pair and per message.
/// </summary>
[MemoryDiagnoser]
public class ThreadingBenchmarks
{
    private const int Pairs = 10_000;
    private const int Messages = 100_000;

    private readonly object _gate = new();
    private HlVm _vm = null!;
    private Func<int, int> _mutexPairs = null!;
    private Func<int, int, int> _channelMessages = null!;

    /// <summary>Whether the VM detects deadlocks (<see cref="HlVmOptions.DetectDeadlocks"/>).</summary>
    [Params(false, true)]
    public bool DetectDeadlocks { get; set; }

    /// <summary>Compiles the program if needed, loads it and looks the functions up once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _vm = HlVm.LoadFile(BenchPrograms.PathOf(BenchPrograms.Threads), new HlVmOptions { DetectDeadlocks = DetectDeadlocks });
        _vm.RunEntry();
        _mutexPairs = _vm.GetFunction<Func<int, int>>("Threads", "mutexPairs");
        _channelMessages = _vm.GetFunction<Func<int, int, int>>("Threads", "channelMessages");
    }

    /// <summary>Releases the VM.</summary>
    [GlobalCleanup]
    public void Cleanup() => _vm.Dispose();

    /// <summary>The baseline: a C# <c>lock</c> taken and released.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public int CSharpLockPair()
    {
        for (var i = 0; i < Pairs; i++)
        {
            lock (_gate)
            {
            }
        }

        return Pairs;
    }

    /// <summary>Haxe's <c>sys.thread.Mutex</c> acquired and released by one thread.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public int HaxeMutexPair() => _mutexPairs(Pairs);

    /// <summary>One message through a channel of capacity 64, one producer and one consumer.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public int ChannelMessageBounded() => _channelMessages(Messages, 64);

    /// <summary>One message through an unbounded channel, one producer and one consumer.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public int ChannelMessageUnbounded() => _channelMessages(Messages, 0);
}
