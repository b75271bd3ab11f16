using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace HlSharp.Bench;

/// <summary>
/// A field read of each kind and a call of each kind through a virtual type
/// (<c>bench/programs/virtuals/</c>, issue 12 items 1 and 2): each benchmark is one host call of a
/// Haxe function whose loop does the access <see cref="Loop"/> times, so the figure is nanoseconds
/// per access (the loop's own add and compare included). The class field read is the baseline of
/// the reads: what a read by name costs next to a typed one. Every site here is monomorphic, the
/// case a per-site cache is for.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class VirtualAccessBenchmarks
{
    private const string Read = "read";
    private const string Call = "call";
    private const int Loop = 1000;

    private Func<int, int> _classField = null!;
    private Func<int, int> _anonField = null!;
    private Func<int, int> _instanceField = null!;
    private Func<int, int> _dynamicField = null!;
    private Func<int, int> _interfaceCall = null!;
    private Func<int, int> _anonCall = null!;
    private Func<int, int> _classToAnonCall = null!;
    private HlVm _vm = null!;

    /// <summary>Compiles the program if needed, runs its main and looks every function up once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _vm = HlVm.LoadFile(BenchPrograms.PathOf(BenchPrograms.Virtuals));
        _vm.RunEntry();
        Func<int, int> Get(string name) => _vm.GetFunction<Func<int, int>>("Main", name);
        _classField = Get("classField");
        _anonField = Get("anonField");
        _instanceField = Get("instanceField");
        _dynamicField = Get("dynamicField");
        _interfaceCall = Get("interfaceCall");
        _anonCall = Get("anonCall");
        _classToAnonCall = Get("classToAnonCall");

        // Every read sees x = 3; every call returns 3 + i: the same answer each way, or the comparison means nothing.
        foreach (var read in new[] { _classField, _anonField, _instanceField, _dynamicField })
        {
            Check(read(Loop), 3 * Loop);
        }

        foreach (var call in new[] { _interfaceCall, _anonCall, _classToAnonCall })
        {
            Check(call(Loop), (3 * Loop) + (Loop * (Loop - 1) / 2));
        }
    }

    /// <summary>Disposes the VM.</summary>
    [GlobalCleanup]
    public void Cleanup() => _vm.Dispose();

    /// <summary><c>c.x</c> on a class instance typed as its class: a typed field load.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Loop), BenchmarkCategory(Read)]
    public int ClassField() => _classField(Loop);

    /// <summary><c>p.x</c> on an anonymous structure through its typedef.</summary>
    [Benchmark(OperationsPerInvoke = Loop), BenchmarkCategory(Read)]
    public int VirtualOverAnon() => _anonField(Loop);

    /// <summary><c>p.x</c> on a class instance through a typedef.</summary>
    [Benchmark(OperationsPerInvoke = Loop), BenchmarkCategory(Read)]
    public int VirtualOverInstance() => _instanceField(Loop);

    /// <summary><c>d.x</c> on an anonymous structure held in a <c>Dynamic</c>.</summary>
    [Benchmark(OperationsPerInvoke = Loop), BenchmarkCategory(Read)]
    public int DynamicField() => _dynamicField(Loop);

    /// <summary><c>g.get(i)</c> on a class instance through an interface.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Loop), BenchmarkCategory(Call)]
    public int InterfaceCall() => _interfaceCall(Loop);

    /// <summary><c>g.get(i)</c> on an anonymous structure whose field holds a closure.</summary>
    [Benchmark(OperationsPerInvoke = Loop), BenchmarkCategory(Call)]
    public int AnonCall() => _anonCall(Loop);

    /// <summary><c>g.get(i)</c> on a class instance through a typedef (class to anonymous structure).</summary>
    [Benchmark(OperationsPerInvoke = Loop), BenchmarkCategory(Call)]
    public int ClassToAnonCall() => _classToAnonCall(Loop);

    private static void Check(int actual, int expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"a virtual access benchmark returned {actual}, expected {expected}");
        }
    }
}
