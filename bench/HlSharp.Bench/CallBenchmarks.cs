using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace HlSharp.Bench;

/// <summary>
/// What one call inside compiled Haxe code costs, by kind (<c>bench/programs/calls/</c>): each
/// benchmark runs a Haxe loop of <see cref="Calls"/> calls of one kind to a callee that adds a
/// constant, so the time per operation is a call plus an add and a loop step. The baseline is the
/// same loop in C# calling a method that is never inlined, which is what a call costs in .NET.
/// Times are per call; the loop is entered once per invocation from the host.
/// </summary>
[MemoryDiagnoser]
public class CallBenchmarks
{
    private const int Calls = 1000;

    private HlVm _vm = null!;
    private Func<int, int> _static = null!;
    private Func<int, int> _instance = null!;
    private Func<int, int> _override = null!;
    private Func<int, int> _closure = null!;
    private Func<int, double> _native = null!;

    /// <summary>Compiles the program if needed, loads and runs it, looks the loops up and runs each once (so all is compiled).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _vm = HlVm.LoadFile(BenchPrograms.PathOf(BenchPrograms.Calls));
        _vm.RunEntry();
        _static = _vm.GetFunction<Func<int, int>>("Main", "staticCalls");
        _instance = _vm.GetFunction<Func<int, int>>("Main", "instanceCalls");
        _override = _vm.GetFunction<Func<int, int>>("Main", "overrideCalls");
        _closure = _vm.GetFunction<Func<int, int>>("Main", "closureCalls");
        _native = _vm.GetFunction<Func<int, double>>("Main", "nativeCalls");

        // The same answers as C# would give, or the loops do not make the calls they claim to.
        Check(_static(Calls), Calls, "static");
        Check(_instance(Calls), Calls, "instance");
        Check(_override(Calls), 3 * Calls, "override");
        Check(_closure(Calls), Calls, "closure");
        Check(_native(Calls) == CSharpNative() ? 1 : 0, 1, "native");
    }

    /// <summary>Disposes the VM.</summary>
    [GlobalCleanup]
    public void Cleanup() => _vm.Dispose();

    /// <summary>A C# loop calling a static method that is never inlined.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public int CSharpStatic()
    {
        var k = 0;
        for (var i = 0; i < Calls; i++)
        {
            k = Next(k);
        }

        return k;
    }

    /// <summary>A static call (<c>Call1</c>): the callee's slot, then <c>calli</c>.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int Static() => _static(Calls);

    /// <summary>An instance method nobody overrides, which Haxe calls directly (<c>Call2</c> with the receiver).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int Instance() => _instance(Calls);

    /// <summary>An overridden method through the base class (<c>CallMethod</c>): the receiver's method table, then the slot.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int Override() => _override(Calls);

    /// <summary>A local function that captures a variable (<c>CallClosure</c> with a bound value).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int Closure() => _closure(Calls);

    /// <summary>A standard native, <c>Math.sqrt</c>, through its adapter.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public double Native() => _native(Calls);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Next(int k) => k + 1;

    private static double CSharpNative()
    {
        var x = 0.0;
        for (var i = 0; i < Calls; i++)
        {
            x = Math.Sqrt(x + 4.0);
        }

        return x;
    }

    private static void Check(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{what}: hlsharp gave {actual}, C# {expected}");
        }
    }
}
