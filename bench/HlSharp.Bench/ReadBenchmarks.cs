using BenchmarkDotNet.Attributes;
using HlSharp.Bytecode;

namespace HlSharp.Bench;

/// <summary>
/// How long reading a bytecode file takes. <see cref="ReadAllBytes"/> is the baseline, so the Ratio
/// column says how many times slower decoding is than merely loading the file; MB/s is computed
/// from the file's size.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class ReadBenchmarks
{
    private string _path = "";
    private byte[] _bytes = [];

    /// <summary>Which program to read (see <see cref="BenchPrograms"/>).</summary>
    [ParamsSource(nameof(Programs))]
    public string Program { get; set; } = BenchPrograms.Large;

    /// <summary>The programs available on this machine.</summary>
    public static IEnumerable<string> Programs => BenchPrograms.Names();

    /// <summary>Compiles the program if needed and loads its bytes once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _path = BenchPrograms.PathOf(Program);
        _bytes = File.ReadAllBytes(_path);
    }

    /// <summary>Loading the file, for scale: the floor any reader of a file pays.</summary>
    [Benchmark(Baseline = true)]
    public byte[] ReadAllBytes() => File.ReadAllBytes(_path);

    /// <summary>Decoding bytes already in memory into an <see cref="HlCode"/>.</summary>
    [Benchmark]
    public HlCode Read() => HlCode.Read(_bytes);

    /// <summary>Loading and decoding: what <c>hlsharp</c> and a host pay to open a program.</summary>
    [Benchmark]
    public HlCode ReadFile() => HlCode.ReadFile(_path);
}
