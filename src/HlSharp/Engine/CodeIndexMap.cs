namespace HlSharp.Engine;

/// <summary>
/// Where the indices a function's operations name (types, globals, functions and natives, string
/// and bytes constants) point in the running module. A function of the loaded bytecode names the
/// module's own tables, so its map is the identity; a function of a newer version of the program
/// (a hot reload) names that version's tables, whose indices differ as soon as anything was added
/// before them, and its map sends each to the module's entry of the same name
/// (<see cref="ReloadPlanner"/>). Int and float constants need no map: the compiler inlines them
/// from the function's own bytecode.
/// </summary>
internal sealed class CodeIndexMap
{
    private readonly int[]? _types;
    private readonly int[]? _globals;
    private readonly int[]? _functions;
    private readonly int[]? _strings;
    private readonly int[]? _bytes;

    private CodeIndexMap(int[]? types, int[]? globals, int[]? functions, int[]? strings, int[]? bytes)
    {
        _types = types;
        _globals = globals;
        _functions = functions;
        _strings = strings;
        _bytes = bytes;
    }

    /// <summary>The map of the loaded bytecode's own functions: every index is the module's.</summary>
    public static CodeIndexMap Identity { get; } = new(null, null, null, null, null);

    /// <summary>A map from another version's tables; each array holds the module's index for each of that version's.</summary>
    public static CodeIndexMap From(int[] types, int[] globals, int[] functions, int[] strings, int[] bytes) =>
        new(types, globals, functions, strings, bytes);

    public bool IsIdentity => _types is null;

    public int Type(int index) => _types is null ? index : _types[index];

    public int Global(int index) => _globals is null ? index : _globals[index];

    public int Function(int index) => _functions is null ? index : _functions[index];

    public int String(int index) => _strings is null ? index : _strings[index];

    /// <summary>A bytes constant of version 5 (before it, the operand is a string index: <see cref="String"/>).</summary>
    public int Bytes(int index) => _bytes is null ? index : _bytes[index];
}
