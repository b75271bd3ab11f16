using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace HlSharp.Bench;

/// <summary>
/// What a host pays to reach into a loaded program (<c>bench/programs/embedding/</c>): typed and
/// by-name calls, strings across the boundary, instance and static field reads. Each category
/// has a plain C# delegate doing the same work as its baseline, so the Ratio column says how many
/// times slower the trip through <see cref="HlVm"/> is than a call that never leaves .NET. Times
/// and allocations are per call.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EmbeddingBenchmarks
{
    private const string Add = "add";
    private const string Echo = "echo";
    private const string Concat = "concat";
    private const string Field = "field";
    private const string Static = "static";

    // Calls per invocation (the Op of ns/op): a plain delegate call is about a nanosecond, below
    // what one call per invocation can tell from BenchmarkDotNet's own overhead.
    private const int Calls = 16;

    private HlVm _vm = null!;
    private Func<int, int, int> _hlAdd = null!;
    private Func<string, string> _hlEcho = null!;
    private Func<string, string> _hlGreet = null!;
    private HlObject _hlPoint = null!;
    private HlClass _hlGame = null!;

    private Func<int, int, int> _csAdd = null!;
    private Func<string, string> _csEcho = null!;
    private Func<string, string> _csGreet = null!;
    private Func<int> _csField = null!;
    private Func<int> _csStatic = null!;
    private CsPoint _csPoint = null!;

    private int _a = 1;
    private int _b = 2;
    private string _name = "Ada";

    /// <summary>Compiles the program if needed, loads and runs it, and looks everything up once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _vm = HlVm.LoadFile(BenchPrograms.PathOf(BenchPrograms.Embedding));
        _vm.RunEntry();
        _hlAdd = _vm.GetFunction<Func<int, int, int>>("Game", "add");
        _hlEcho = _vm.GetFunction<Func<string, string>>("Game", "echo");
        _hlGreet = _vm.GetFunction<Func<string, string>>("Game", "greet");
        _hlPoint = _vm.New("Point", 3, 4);
        _hlGame = _vm.GetClass("Game");

        _csPoint = new CsPoint(3, 4);
        // Not inlined: without that, dynamic PGO devirtualises the delegate, inlines its body and the
        // baseline measures nothing (0.0 ns, no ratio); with it, a baseline is one real call.
        _csAdd = [MethodImpl(MethodImplOptions.NoInlining)] static (a, b) => a + b;
        _csEcho = [MethodImpl(MethodImplOptions.NoInlining)] static (s) => s;
        _csGreet = [MethodImpl(MethodImplOptions.NoInlining)] static (s) => "hi " + s;
        _csField = [MethodImpl(MethodImplOptions.NoInlining)] () => _csPoint.X;
        _csStatic = [MethodImpl(MethodImplOptions.NoInlining)] static () => CsGame.Score;

        // The same answers both ways, or the comparison means nothing.
        Check(_hlAdd(_a, _b), _csAdd(_a, _b), Add);
        Check(CallStaticAdd(), AddChain(_csAdd), "CallStatic");
        Check(_hlEcho(_name), _csEcho(_name), Echo);
        Check(_hlGreet(_name), _csGreet(_name), Concat);
        Check(_hlPoint.Get<int>("x"), _csField(), Field);
        Check(_hlGame.Get<int>("score"), _csStatic(), Static);
    }

    /// <summary>Disposes the VM.</summary>
    [GlobalCleanup]
    public void Cleanup() => _vm.Dispose();

    /// <summary>A C# delegate adding two ints.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory(Add)]
    public int CSharpAdd() => AddChain(_csAdd);

    /// <summary><c>Game.add</c> through a typed delegate from <see cref="HlVm.GetFunction{TDelegate}"/>.</summary>
    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Add)]
    public int GetFunctionAdd() => AddChain(_hlAdd);

    /// <summary><c>Game.add</c> by name through <see cref="HlVm.CallStatic{T}"/>, the untyped lane.</summary>
    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Add)]
    public int CallStaticAdd()
    {
        var acc = _a;
        for (var i = 0; i < Calls; i++)
        {
            acc = _vm.CallStatic<int>("Game", "add", acc, _b);
        }

        return acc;
    }

    /// <summary>A C# delegate returning its string argument.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory(Echo)]
    public string CSharpEcho() => EchoChain(_csEcho);

    /// <summary><c>Game.echo</c>, which returns its argument: a string in and a string out.</summary>
    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Echo)]
    public string GetFunctionEcho() => EchoChain(_hlEcho);

    /// <summary>A C# delegate returning <c>"hi " + s</c>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory(Concat)]
    public int CSharpConcat() => ConcatLoop(_csGreet);

    /// <summary><c>Game.greet</c>, which returns <c>"hi " + s</c>.</summary>
    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Concat)]
    public int GetFunctionConcat() => ConcatLoop(_hlGreet);

    /// <summary>A C# delegate reading an int field of an object.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory(Field)]
    public int CSharpField()
    {
        var f = _csField;
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += f();
        }

        return sum;
    }

    /// <summary><c>Point.x</c> through <see cref="HlObject.Get{T}"/>.</summary>
    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Field)]
    public int HlObjectGet()
    {
        var point = _hlPoint;
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += point.Get<int>("x");
        }

        return sum;
    }

    /// <summary>A C# delegate reading a static int field.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory(Static)]
    public int CSharpStatic()
    {
        var f = _csStatic;
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += f();
        }

        return sum;
    }

    /// <summary><c>Game.score</c> through <see cref="HlClass.Get{T}"/>.</summary>
    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Static)]
    public int HlClassGet()
    {
        var game = _hlGame;
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += game.Get<int>("score");
        }

        return sum;
    }

    // Each call's result is the next one's argument, so no call can be skipped or overlapped.
    private int AddChain(Func<int, int, int> add)
    {
        var acc = _a;
        for (var i = 0; i < Calls; i++)
        {
            acc = add(acc, _b);
        }

        return acc;
    }

    private string EchoChain(Func<string, string> echo)
    {
        var s = _name;
        for (var i = 0; i < Calls; i++)
        {
            s = echo(s);
        }

        return s;
    }

    // Chaining would grow the string ("hi hi hi Ada"), so every call gets the same argument.
    private int ConcatLoop(Func<string, string> greet)
    {
        var length = 0;
        for (var i = 0; i < Calls; i++)
        {
            length += greet(_name).Length;
        }

        return length;
    }

    private static void Check<T>(T hl, T cs, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(hl, cs))
        {
            throw new InvalidOperationException($"{what}: HlSharp gave {hl}, C# gave {cs}");
        }
    }

    private sealed class CsPoint(int x, int y)
    {
        public int X = x;
        public int Y = y;
    }

    private static class CsGame
    {
        public static int Score = 42;
    }
}
