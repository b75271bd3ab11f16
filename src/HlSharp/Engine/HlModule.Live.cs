using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// A function a hot reload added (docs/HOT-RELOAD.md section 5): it lives in a reserved slot past the
/// program's functions, so the loaded <see cref="HlCode"/> does not know it.
/// </summary>
/// <param name="LiveIndex">Its function index in the module (a reserved slot).</param>
/// <param name="Key">Its reload key (<c>Counter.scaled</c>, <c>Main.run (static)~0</c>, <c>native std@foo</c>), by which later reloads find it.</param>
/// <param name="Name">Its name in stack traces (<c>Counter.scaled</c>, <c>$Main.~run.0</c>).</param>
/// <param name="FieldName">The field name a null access on a call to it reports, if any.</param>
/// <param name="Owner">The class and field it implements, when it is a member.</param>
/// <param name="Type">Its function type, one of the module's run-time types.</param>
internal sealed record AddedFunction(int LiveIndex, string Key, string Name, string? FieldName, HlFunctionOwner? Owner, HlRuntimeType Type);

/// <summary>
/// The live tables: what the module runs is the program plus what reloads added (functions in
/// reserved slots, structural types in reserved type cells). Everything that can meet a function
/// or type index of new code asks here instead of <see cref="Code"/>, which only knows the program.
/// </summary>
internal sealed partial class HlModule : ICompiledCode
{
    private readonly AddedFunction?[] _added;
    private readonly Dictionary<string, int> _addedKeys = new(StringComparer.Ordinal);
    private readonly List<HlType> _addedTypeSources = [];
    private readonly Dictionary<string, int> _addedTypeKeys = new(StringComparer.Ordinal);
    private int _functionCount;

    /// <summary>How many function indices are in use: the program's, then those reloads added.</summary>
    public int FunctionCount => Volatile.Read(ref _functionCount);

    /// <summary>How many function indices there is room for (the program's, plus the hot-reload reserve).</summary>
    public int FunctionCapacity => Storage.FunctionCapacity;

    /// <summary>The functions reloads added, by reload key, so a later reload matches against them too.</summary>
    public IReadOnlyDictionary<string, int> AddedFunctionKeys => _addedKeys;

    /// <summary>The types reloads added, by the planner's type key, so a later reload matches against them too.</summary>
    public IReadOnlyDictionary<string, int> AddedTypeKeys => _addedTypeKeys;

    /// <summary>The bytecode type a live type index was built from (of the program, or of the version that added it).</summary>
    public HlType TypeSource(int typeIndex) =>
        typeIndex < Code.Types.Length ? Code.Types[typeIndex] : _addedTypeSources[typeIndex - Code.Types.Length];

    /// <summary>The function a reload added at this index, or null for one of the program's (or a free slot).</summary>
    public AddedFunction? Added(int functionIndex) =>
        functionIndex >= Code.FunctionIndexCount && functionIndex < FunctionCount ? Volatile.Read(ref _added[functionIndex - Code.FunctionIndexCount]) : null;

    /// <summary>The function type of a live function index (the program's or one a reload added).</summary>
    public HlRuntimeType FunctionType(int functionIndex) => Runtime.FunctionType(functionIndex);

    HlRuntimeType ICompiledCode.AddedFunctionType(int functionIndex) =>
        Added(functionIndex)?.Type ?? throw new ArgumentOutOfRangeException(nameof(functionIndex), functionIndex, "no function has this index");

    /// <summary>True when the index names a function with a body (not a native, not a wrapper slot).</summary>
    public bool IsBytecodeFunction(int functionIndex) =>
        functionIndex < Code.FunctionIndexCount ? functionIndex >= 0 && Code.GetFunction(functionIndex) is not null
        : Added(functionIndex) is { } added && !added.Key.StartsWith("native ", StringComparison.Ordinal) && Volatile.Read(ref _compiled[functionIndex]) is not null;

    /// <summary>A function's name as Haxe stack traces print it, or null for an index that is no function (a wrapper).</summary>
    public string? FunctionName(int functionIndex) =>
        (uint)functionIndex < (uint)Code.FunctionIndexCount ? Symbols.Name(functionIndex) : Added(functionIndex)?.Name;

    /// <summary>The field name a null access on a call to this function reports (<see cref="FunctionSymbols.FieldName"/>).</summary>
    public string? FunctionFieldName(int functionIndex) =>
        (uint)functionIndex < (uint)Code.FunctionIndexCount ? Symbols.FieldName(functionIndex) : Added(functionIndex)?.FieldName;

    /// <summary>Every member function of the live table with its owner, the program's first.</summary>
    public IEnumerable<(HlFunctionOwner Owner, int FunctionIndex)> MemberFunctions()
    {
        foreach (var f in Code.Functions)
        {
            if (f.Owner is { } owner)
            {
                yield return (owner, f.Index);
            }
        }

        for (var i = Code.FunctionIndexCount; i < FunctionCount; i++)
        {
            // Only those a reload published: one refused at compilation left an entry nobody reaches.
            if (Added(i) is { Owner: { } owner } added && _addedKeys.TryGetValue(added.Key, out var published) && published == i)
            {
                yield return (owner, i);
            }
        }
    }

    /// <summary>
    /// Records the entry of a function a reload is adding, in its reserved slot, before the reload
    /// compiles (the compiler reads the types of calls between new functions). Nothing calls it
    /// until the reload publishes its method, slot and key (<see cref="AddedFunctionKeys"/>); a
    /// reload refused at compilation leaves the entry unreachable, its key unrecorded.
    /// </summary>
    private void AddFunction(AddedFunction added)
    {
        Volatile.Write(ref _added[added.LiveIndex - Code.FunctionIndexCount], added);
        if (added.LiveIndex >= _functionCount)
        {
            Volatile.Write(ref _functionCount, added.LiveIndex + 1);
        }
    }

    /// <summary>
    /// Makes the run-time types a reload added reachable by index (cells for compiled code, the
    /// module's and the runtime's tables). Done before the reload compiles: no existing code names
    /// these indices, so if the compile fails they stay behind unreachable, like new global cells.
    /// </summary>
    private void AddTypes(IReadOnlyList<HlType> sources, IReadOnlyList<HlRuntimeType> types)
    {
        var first = Storage.AddTypes(types);
        if (first != Types.Length)
        {
            throw new InvalidOperationException($"type table out of step: {first} cells, {Types.Length} types");
        }

        _addedTypeSources.AddRange(sources);
        var all = (HlRuntimeType[])[.. Types, .. types];
        Types = all;
        Runtime.Types = all;
    }
}
