using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>A field of a class at run time: its hash, type and the .NET field that stores it.</summary>
internal sealed class HlRuntimeField
{
    public HlRuntimeField(string name, int hash, HlRuntimeType type)
    {
        Name = name;
        Hash = hash;
        Type = type;
    }

    public string Name { get; }

    public int Hash { get; }

    /// <summary>The field's type; set again only by a reload, for a field it adds whose type the same reload adds.</summary>
    public HlRuntimeType Type { get; set; }

    /// <summary>The .NET field (null for virtual fields, which have no fixed storage, and for fields a reload added).</summary>
    public FieldInfo? Field { get; set; }

    /// <summary>
    /// For a field a hot reload added to an existing class: its index in the instance's
    /// <see cref="HlReloadableInstance.Added"/> array, unique along the class hierarchy; -1 otherwise.
    /// </summary>
    public int AddedSlot { get; init; } = -1;

    /// <summary>True for a field a hot reload added (stored in <see cref="HlReloadableInstance.Added"/>).</summary>
    public bool IsAdded => AddedSlot >= 0;

    /// <summary>What compiles <see cref="Getter"/> and <see cref="Setter"/> (set with <see cref="Field"/>).</summary>
    public IFieldAccessorCompiler? Accessors { get; set; }

    /// <summary>Reads the field of an instance as a dynamic (compiled on first use).</summary>
    public Func<object, object?> Getter => _getter ??= CompilerOfAccessors().Getter(this);

    /// <summary>Writes a value already in the field's storage form (compiled on first use).</summary>
    public Action<object, object?> Setter => _setter ??= CompilerOfAccessors().Setter(this);

    /// <summary>A <c>Func&lt;object, S&gt;</c> reading the field in its .NET storage type <c>S</c>, unboxed (compiled on first use).</summary>
    public Delegate TypedGetter => _typedGetter ??= CompilerOfAccessors().TypedGetter(this);

    /// <summary>An <c>Action&lt;object, S&gt;</c> writing the field in its .NET storage type <c>S</c>, unboxed (compiled on first use).</summary>
    public Delegate TypedSetter => _typedSetter ??= CompilerOfAccessors().TypedSetter(this);

    private IFieldAccessorCompiler CompilerOfAccessors() => Accessors ?? throw new InvalidOperationException($"field {Name} has no storage");

    private Func<object, object?>? _getter;
    private Action<object, object?>? _setter;
    private Delegate? _typedGetter;
    private Delegate? _typedSetter;
}

/// <summary>
/// Compiles readers and writers of class fields for dynamic access. Only the engine compiles
/// code, so it implements this and hands it to every field it gives storage.
/// </summary>
internal interface IFieldAccessorCompiler
{
    /// <summary>A reader of the field that returns its value as a dynamic.</summary>
    Func<object, object?> Getter(HlRuntimeField field);

    /// <summary>A writer of a value already in the field's storage form.</summary>
    Action<object, object?> Setter(HlRuntimeField field);

    /// <summary>A reader of the field in its .NET storage type <c>S</c>: a <c>Func&lt;object, S&gt;</c>.</summary>
    Delegate TypedGetter(HlRuntimeField field);

    /// <summary>A writer of the field in its .NET storage type <c>S</c>: an <c>Action&lt;object, S&gt;</c>.</summary>
    Delegate TypedSetter(HlRuntimeField field);
}

/// <summary>
/// A type as the running program sees it. Every bytecode type gets one, and it is also the value a
/// <c>type</c> register holds. Class types carry their full field list (super fields first, as
/// field indices count them), their method table and the .NET class that stores their instances.
/// </summary>
internal sealed class HlRuntimeType
{
    private Dictionary<int, int>? _fieldIndexByHash;

    public HlRuntimeType(HlType source, string name)
    {
        Source = source;
        Kind = source.Kind;
        Name = name;
    }

    private HlRuntimeType(HlTypeKind kind, string name)
    {
        Source = null;
        Kind = kind;
        Name = name;
    }

    /// <summary>A type the runtime needs that the bytecode may not declare (for example <c>dyn</c> for boxing).</summary>
    public static HlRuntimeType Synthetic(HlTypeKind kind) => new(kind, HlTypeNames.PrimitiveName(kind));

    public HlType? Source { get; }

    public HlTypeKind Kind { get; }

    /// <summary>The class, enum or abstract name, or the primitive's name.</summary>
    public string Name { get; }

    /// <summary>The .NET type of a register of this type.</summary>
    public Type Storage => StorageTypes.Of(Kind);

    // ---- classes and structs ----

    public HlRuntimeType? Super { get; set; }

    /// <summary>The emitted .NET class of instances (its public parameterless constructor is what allocation calls).</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type? ClrType { get; set; }

    /// <summary>The parameterless constructor of <see cref="ClrType"/>, as compiled code calls it (null for a class compiled ahead of time, which nothing compiles against).</summary>
    public System.Reflection.ConstructorInfo? ClrConstructor { get; set; }

    /// <summary>
    /// Makes an empty instance of <see cref="ClrType"/> without reflection, when the loader of a
    /// precompiled program set one (a written <c>new</c>); null on the JIT path, where allocation
    /// falls back to <see cref="Activator.CreateInstance(Type)"/> on <see cref="ClrType"/>.
    /// </summary>
    public Func<HlInstance>? Factory { get; set; }

    /// <summary>
    /// All fields, super classes' first, then the fields hot reloads added (to this class or a super
    /// class), in the order they were added: live indices never move. Replaced whole, never mutated.
    /// </summary>
    public HlRuntimeField[] Fields
    {
        get => _fields;
        set
        {
            _fields = value;
            _fieldIndexByHash = null;
            VirtualTemplate = null;
        }
    }

    private HlRuntimeField[] _fields = [];

    /// <summary>A virtual type's: the fields its anonymous structures start with, made on the first (<see cref="HlRuntime.NewVirtual"/>).</summary>
    public DynFieldsTemplate? VirtualTemplate { get; set; }

    /// <summary>Method table: slot index to function index.</summary>
    public int[] VTable { get; set; } = [];

    /// <summary>
    /// Methods by name hash: function index (protos of this class and its super classes). A hot
    /// reload that adds methods replaces it whole (never mutates it), so a reader sees one table or the other.
    /// </summary>
    public Dictionary<int, int> MethodsByHash { get; set; } = [];

    /// <summary>This class's own methods as the module runs them: name, method-table slot (-1 when not virtual), function index; replaced whole by a reload that adds some.</summary>
    public (string Name, int Slot, int FunctionIndex)[] Protos { get; set; } = [];

    /// <summary>The global that holds the class (or enum) value, or -1.</summary>
    public int GlobalIndex { get; set; } = -1;

    /// <summary>On the root class of a hierarchy: how many added-field slots reloads gave out along it (<see cref="HlRuntimeField.AddedSlot"/>).</summary>
    public int AddedSlots { get; set; }

    /// <summary>Fields initialised with a function on allocation: (field, function index, bind the instance).</summary>
    public (HlRuntimeField Field, int FunctionIndex, bool BindInstance)[] Bindings { get; set; } = [];

    // ---- functions ----

    public HlRuntimeType[] Arguments { get; set; } = [];

    public HlRuntimeType? Return { get; set; }

    // ---- ref, null, packed ----

    public HlRuntimeType? Inner { get; set; }

    // ---- enums ----

    public HlEnumConstruct[] Constructs { get; set; } = [];

    public HlRuntimeType[][] ConstructArgs { get; set; } = [];

    /// <summary>Finds a field index by name hash, or -1.</summary>
    public int FindField(int hash)
    {
        _fieldIndexByHash ??= BuildFieldIndex();
        return _fieldIndexByHash.TryGetValue(hash, out var index) ? index : -1;
    }

    /// <summary>True when this class is <paramref name="other"/> or derives from it.</summary>
    public bool IsSubclassOf(HlRuntimeType other)
    {
        for (var t = this; t is not null; t = t.Super)
        {
            if (ReferenceEquals(t, other))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Source is null ? Name : Source.ToString();

    /// <summary>The type as HashLink writes it in messages and <c>Std.string</c> (its <c>hl_type_str</c>).</summary>
    public string TypeString()
    {
        var b = new System.Text.StringBuilder();
        AppendTypeString(b, []);
        return b.ToString();
    }

    private void AppendTypeString(System.Text.StringBuilder b, List<HlRuntimeType> parents)
    {
        string? simple = Kind switch
        {
            HlTypeKind.Void => "void",
            HlTypeKind.UI8 => "i8",
            HlTypeKind.UI16 => "i16",
            HlTypeKind.I32 => "i32",
            HlTypeKind.I64 => "i64",
            HlTypeKind.F32 => "f32",
            HlTypeKind.F64 => "f64",
            HlTypeKind.Bool => "bool",
            HlTypeKind.Bytes => "bytes",
            HlTypeKind.Dyn => "dynamic",
            HlTypeKind.Array => "array",
            HlTypeKind.Type => "type",
            HlTypeKind.DynObj => "dynobj",
            HlTypeKind.Guid => "guid",
            _ => null,
        };
        if (simple is not null)
        {
            b.Append(simple);
            return;
        }

        if (parents.Contains(this))
        {
            b.Append("<...>");
            return;
        }

        parents.Add(this);
        switch (Kind)
        {
            case HlTypeKind.Fun:
            case HlTypeKind.Method:
                b.Append('(');
                Return?.AppendTypeString(b, parents);
                b.Append(" (");
                for (var i = 0; i < Arguments.Length; i++)
                {
                    if (i > 0)
                    {
                        b.Append(',');
                    }

                    Arguments[i].AppendTypeString(b, parents);
                }

                b.Append("))");
                break;
            case HlTypeKind.Struct:
                b.Append('@').Append(Name);
                break;
            case HlTypeKind.Obj:
            case HlTypeKind.Abstract:
                b.Append(Name);
                break;
            case HlTypeKind.Ref:
            case HlTypeKind.Null:
            case HlTypeKind.Packed:
                b.Append(Kind == HlTypeKind.Ref ? "ref<" : Kind == HlTypeKind.Null ? "null<" : "packed<");
                Inner?.AppendTypeString(b, parents);
                b.Append('>');
                break;
            case HlTypeKind.Virtual:
                b.Append("virtual<");
                for (var i = 0; i < Fields.Length; i++)
                {
                    if (i > 0)
                    {
                        b.Append(',');
                    }

                    b.Append(Fields[i].Name).Append(':');
                    Fields[i].Type.AppendTypeString(b, parents);
                }

                b.Append('>');
                break;
            case HlTypeKind.Enum:
                b.Append("enum");
                if (!string.IsNullOrEmpty(Name))
                {
                    b.Append('<').Append(Name).Append('>');
                }

                break;
            default:
                b.Append("???");
                break;
        }

        parents.RemoveAt(parents.Count - 1);
    }

    private Dictionary<int, int> BuildFieldIndex()
    {
        var map = new Dictionary<int, int>(Fields.Length);
        for (var i = 0; i < Fields.Length; i++)
        {
            // A field redeclared lower in the hierarchy hides the super class's one.
            map[Fields[i].Hash] = i;
        }

        return map;
    }
}
