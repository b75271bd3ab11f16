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
    private readonly int[]?[]? _fields;
    private readonly IReadOnlyDictionary<Runtime.HlRuntimeType, Runtime.HlRuntimeField[]>? _fieldLists;

    private CodeIndexMap(int[]? types, int[]? globals, int[]? functions, int[]? strings, int[]? bytes,
        int[]?[]? fields = null, IReadOnlyDictionary<Runtime.HlRuntimeType, Runtime.HlRuntimeField[]>? fieldLists = null)
    {
        _fields = fields;
        _fieldLists = fieldLists;
        _types = types;
        _globals = globals;
        _functions = functions;
        _strings = strings;
        _bytes = bytes;
    }

    /// <summary>The map of the loaded bytecode's own functions: every index is the module's.</summary>
    public static CodeIndexMap Identity { get; } = new(null, null, null, null, null);

    /// <summary>
    /// A map from another version's tables; each array holds the module's index for each of that
    /// version's, and <paramref name="fields"/>, per type of that version (null entries: the same
    /// indices), the live index of each of its fields (<see cref="Field"/>); <paramref name="fieldLists"/>
    /// holds the field lists the reload gives live classes, which code compiled before they are
    /// published already uses (<see cref="FieldsOf"/>).
    /// </summary>
    public static CodeIndexMap From(int[] types, int[] globals, int[] functions, int[] strings, int[] bytes,
        int[]?[]? fields = null, IReadOnlyDictionary<Runtime.HlRuntimeType, Runtime.HlRuntimeField[]>? fieldLists = null) =>
        new(types, globals, functions, strings, bytes, fields, fieldLists);

    /// <summary>The fields of a live class as this map's version sees them: with the fields its reload adds, published or not yet.</summary>
    public Runtime.HlRuntimeField[] FieldsOf(Runtime.HlRuntimeType type) =>
        _fieldLists is not null && _fieldLists.TryGetValue(type, out var list) && list.Length > type.Fields.Length ? list : type.Fields;

    public bool IsIdentity => _types is null;

    public int Type(int index) => _types is null ? index : _types[index];

    public int Global(int index) => _globals is null ? index : _globals[index];

    /// <summary>
    /// The live index of field <paramref name="fieldIndex"/> of type <paramref name="typeIndex"/> (both
    /// of this map's version) in the module's type <see cref="Type"/>(<paramref name="typeIndex"/>).
    /// A field added before others (or to a super class) shifts the later indices of the new version;
    /// live indices never move, and fields a reload added come after the loaded ones.
    /// </summary>
    public int Field(int typeIndex, int fieldIndex) =>
        _fields is not null && (uint)typeIndex < (uint)_fields.Length && _fields[typeIndex] is { } map ? map[fieldIndex] : fieldIndex;

    public int Function(int index) => _functions is null ? index : _functions[index];

    public int String(int index) => _strings is null ? index : _strings[index];

    /// <summary>
    /// Method-table slots that moved: (the module's class type index, the new version's slot) to
    /// the module's slot. A method a reload adds gets a slot above every vtable of its class's
    /// hierarchy, so it can differ from the slot the compiler gave it. Set by the planner; null
    /// when no slot moved.
    /// </summary>
    public IReadOnlyDictionary<(int Type, int Slot), int>? ProtoSlots { get; set; }

    /// <summary>
    /// The method tables classes will have once the reload is published (added methods, new
    /// overrides), for code compiled before then; null when the reload changes none.
    /// </summary>
    public IReadOnlyDictionary<HlSharp.Runtime.HlRuntimeType, int[]>? VTables { get; set; }

    /// <summary>The module's slot for a method-table slot of the new version, on a receiver of the module's type <paramref name="typeIndex"/>.</summary>
    public int ProtoSlot(int typeIndex, int slot) =>
        ProtoSlots is { } slots && slots.TryGetValue((typeIndex, slot), out var live) ? live : slot;

    /// <summary>A class's method table as code compiled with this map sees it.</summary>
    public int[] VTableOf(HlSharp.Runtime.HlRuntimeType type) =>
        VTables is { } tables && tables.TryGetValue(type, out var table) ? table : type.VTable;

    /// <summary>A bytes constant of version 5 (before it, the operand is a string index: <see cref="String"/>).</summary>
    public int Bytes(int index) => _bytes is null ? index : _bytes[index];
}
