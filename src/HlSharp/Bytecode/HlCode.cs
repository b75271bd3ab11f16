using System.Collections.Immutable;

namespace HlSharp.Bytecode;

/// <summary>
/// A whole HashLink bytecode file, read and checked: the constant tables, the types, globals,
/// natives and functions, and the entry point. Immutable; loading it into a VM never changes it.
/// </summary>
public sealed class HlCode
{
    private readonly ImmutableArray<int> _bytesPositions;
    private readonly object?[] _functionsByIndex;

    internal HlCode(HlCodeParts parts)
    {
        Version = parts.Version;
        HasDebugInfo = parts.HasDebugInfo;
        Ints = parts.Ints;
        Floats = parts.Floats;
        Strings = parts.Strings;
        BytesData = parts.BytesData;
        _bytesPositions = parts.BytesPositions;
        DebugFiles = parts.DebugFiles;
        Types = parts.Types;
        Globals = parts.Globals;
        Natives = parts.Natives;
        Functions = parts.Functions;
        Constants = parts.Constants;
        EntryPoint = parts.EntryPoint;
        _functionsByIndex = parts.FunctionsByIndex;
    }

    /// <summary>The bytecode version (2 to 5; Haxe 4.2 writes 4).</summary>
    public int Version { get; }

    /// <summary>True when the file carries debug information (source files and lines).</summary>
    public bool HasDebugInfo { get; }

    /// <summary>Integer constants.</summary>
    public ImmutableArray<int> Ints { get; }

    /// <summary>Float constants.</summary>
    public ImmutableArray<double> Floats { get; }

    /// <summary>String constants.</summary>
    public ImmutableArray<string> Strings { get; }

    /// <summary>The raw block holding every bytes constant (version 5; empty before).</summary>
    public ReadOnlyMemory<byte> BytesData { get; }

    /// <summary>The number of bytes constants (version 5; zero before).</summary>
    public int BytesCount => _bytesPositions.Length;

    /// <summary>Source file names, indexed by <see cref="HlDebugPosition.FileIndex"/>.</summary>
    public ImmutableArray<string> DebugFiles { get; }

    /// <summary>All types, in bytecode order.</summary>
    public ImmutableArray<HlType> Types { get; }

    /// <summary>The type of each global.</summary>
    public ImmutableArray<HlType> Globals { get; }

    /// <summary>The natives the program calls.</summary>
    public ImmutableArray<HlNative> Natives { get; }

    /// <summary>The functions with bytecode bodies.</summary>
    public ImmutableArray<HlFunction> Functions { get; }

    /// <summary>Globals initialised from constants at load time.</summary>
    public ImmutableArray<HlConstant> Constants { get; }

    /// <summary>The function index of the entry point (static initialisation, then <c>main</c>).</summary>
    public int EntryPoint { get; }

    /// <summary>The number of function indices in use (functions plus natives).</summary>
    public int FunctionIndexCount => _functionsByIndex.Length;

    /// <summary>
    /// Returns the bytes constant at an index: from its start to the start of the next one (or the
    /// end of the block), so it includes the terminating zero HashLink stores after it.
    /// </summary>
    public ReadOnlyMemory<byte> GetBytes(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _bytesPositions.Length);
        var start = _bytesPositions[index];
        var end = index + 1 < _bytesPositions.Length ? _bytesPositions[index + 1] : BytesData.Length;
        return BytesData[start..Math.Max(start, end)];
    }

    /// <summary>Returns the function with the given function index, or null when the index names a native.</summary>
    public HlFunction? GetFunction(int functionIndex) => Lookup(functionIndex) as HlFunction;

    /// <summary>Returns the native with the given function index, or null when the index names a function.</summary>
    public HlNative? GetNative(int functionIndex) => Lookup(functionIndex) as HlNative;

    /// <summary>Returns a readable name for a function index: a function's <see cref="HlFunction.Name"/> or a native's <c>lib@name</c>.</summary>
    public string DescribeFunction(int functionIndex) => Lookup(functionIndex)?.ToString() ?? $"fun#{functionIndex}";

    /// <summary>Returns the type of the function or native with the given function index.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index names nothing.</exception>
    public HlFunctionType GetFunctionType(int functionIndex) => Lookup(functionIndex) switch
    {
        HlFunction f => f.Type,
        HlNative n => n.Type,
        _ => throw new ArgumentOutOfRangeException(nameof(functionIndex), functionIndex, "no function has this index"),
    };

    /// <summary>Reads bytecode from memory.</summary>
    /// <exception cref="HlFormatException">The bytes are not valid HashLink bytecode.</exception>
    public static HlCode Read(ReadOnlySpan<byte> data) => HlCodeReader.Read(data);

    /// <summary>Reads a bytecode file.</summary>
    /// <exception cref="HlFormatException">The file is not valid HashLink bytecode.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static HlCode ReadFile(string path) => Read(File.ReadAllBytes(path));

    /// <summary>The same program with one function body replaced (tests damage programs with it).</summary>
    internal HlCode WithFunction(HlFunction replacement)
    {
        var byIndex = (object?[])_functionsByIndex.Clone();
        byIndex[replacement.Index] = replacement;
        return new HlCode(new HlCodeParts
        {
            Version = Version,
            HasDebugInfo = HasDebugInfo,
            Ints = Ints,
            Floats = Floats,
            Strings = Strings,
            BytesData = BytesData,
            BytesPositions = _bytesPositions,
            DebugFiles = DebugFiles,
            Types = Types,
            Globals = Globals,
            Natives = Natives,
            Functions = [.. Functions.Select(f => f.Index == replacement.Index ? replacement : f)],
            Constants = Constants,
            EntryPoint = EntryPoint,
            FunctionsByIndex = byIndex,
        });
    }

    private object? Lookup(int functionIndex) =>
        (uint)functionIndex < (uint)_functionsByIndex.Length ? _functionsByIndex[functionIndex] : null;
}

/// <summary>What the reader collects before building an <see cref="HlCode"/>.</summary>
internal sealed class HlCodeParts
{
    public int Version { get; init; }
    public bool HasDebugInfo { get; init; }
    public ImmutableArray<int> Ints { get; set; } = [];
    public ImmutableArray<double> Floats { get; set; } = [];
    public ImmutableArray<string> Strings { get; set; } = [];
    public ReadOnlyMemory<byte> BytesData { get; set; }
    public ImmutableArray<int> BytesPositions { get; set; } = [];
    public ImmutableArray<string> DebugFiles { get; set; } = [];
    public ImmutableArray<HlType> Types { get; set; } = [];
    public ImmutableArray<HlType> Globals { get; set; } = [];
    public ImmutableArray<HlNative> Natives { get; set; } = [];
    public ImmutableArray<HlFunction> Functions { get; set; } = [];
    public ImmutableArray<HlConstant> Constants { get; set; } = [];
    public int EntryPoint { get; set; }
    public object?[] FunctionsByIndex { get; set; } = [];
}
