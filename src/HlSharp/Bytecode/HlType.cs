namespace HlSharp.Bytecode;

/// <summary>
/// A type of the bytecode. Types refer to each other directly (an object type's fields hold their
/// types, its super class is a type), so the graph can be cyclic; it never changes once read.
/// </summary>
public abstract class HlType
{
    private protected HlType(HlTypeKind kind, int index)
    {
        Kind = kind;
        Index = index;
    }

    /// <summary>The kind of the type.</summary>
    public HlTypeKind Kind { get; }

    /// <summary>The position of the type in <see cref="HlCode.Types"/>.</summary>
    public int Index { get; }

    /// <summary>True for the kinds held in a register by value: integers, floats and bool.</summary>
    public bool IsValueKind => Kind is HlTypeKind.UI8 or HlTypeKind.UI16 or HlTypeKind.I32 or HlTypeKind.I64
        or HlTypeKind.F32 or HlTypeKind.F64 or HlTypeKind.Bool;

    /// <summary>The type written as HashLink writes it in dumps and errors (for example <c>i32</c>, <c>String</c>, <c>null&lt;i32&gt;</c>).</summary>
    public override string ToString() => HlTypeNames.Describe(this);
}

/// <summary>A type whose kind says everything: the numbers, bool, bytes, dynamic, array, type, dynobj, guid.</summary>
public sealed class HlPrimitiveType : HlType
{
    internal HlPrimitiveType(HlTypeKind kind, int index)
        : base(kind, index)
    {
    }
}

/// <summary>The type of a function or method.</summary>
public sealed class HlFunctionType : HlType
{
    internal HlFunctionType(HlTypeKind kind, int index)
        : base(kind, index)
    {
    }

    /// <summary>The argument types (for a method, the receiver first).</summary>
    public IReadOnlyList<HlType> Arguments { get; internal set; } = [];

    /// <summary>The return type.</summary>
    public HlType ReturnType { get; internal set; } = null!;
}

/// <summary>A field of an object or virtual type.</summary>
/// <param name="Name">The field name.</param>
/// <param name="Type">The field type.</param>
public sealed record HlField(string Name, HlType Type);

/// <summary>A method of an object type, as its prototype lists it.</summary>
/// <param name="Name">The method name.</param>
/// <param name="FunctionIndex">The function implementing it.</param>
/// <param name="SlotIndex">Its slot in the method table, or -1 for a method that is never called virtually.</param>
public sealed record HlProto(string Name, int FunctionIndex, int SlotIndex);

/// <summary>A field of an object type bound to a function (a method closure stored in a field).</summary>
/// <param name="FieldIndex">The field (counted across the whole class hierarchy).</param>
/// <param name="FunctionIndex">The function bound to it.</param>
public sealed record HlBinding(int FieldIndex, int FunctionIndex);

/// <summary>A class (<see cref="HlTypeKind.Obj"/>) or a struct (<see cref="HlTypeKind.Struct"/>).</summary>
public sealed class HlObjectType : HlType
{
    internal HlObjectType(HlTypeKind kind, int index, string name)
        : base(kind, index) => Name = name;

    /// <summary>The class name, with its package (for example <c>haxe.ds.StringMap</c>).</summary>
    public string Name { get; }

    /// <summary>The super class, or null.</summary>
    public HlObjectType? Super { get; internal set; }

    /// <summary>The global holding the class value, or null when there is none.</summary>
    public int? GlobalIndex { get; internal set; }

    /// <summary>The fields this class declares (its super classes' fields come before them at run time).</summary>
    public IReadOnlyList<HlField> Fields { get; internal set; } = [];

    /// <summary>The methods this class declares or overrides.</summary>
    public IReadOnlyList<HlProto> Protos { get; internal set; } = [];

    /// <summary>Fields bound to functions.</summary>
    public IReadOnlyList<HlBinding> Bindings { get; internal set; } = [];
}

/// <summary>A virtual: a structural type listing fields.</summary>
public sealed class HlVirtualType : HlType
{
    internal HlVirtualType(int index)
        : base(HlTypeKind.Virtual, index)
    {
    }

    /// <summary>The fields of the virtual.</summary>
    public IReadOnlyList<HlField> Fields { get; internal set; } = [];
}

/// <summary>An abstract (native handle) type.</summary>
public sealed class HlAbstractType : HlType
{
    internal HlAbstractType(int index, string name)
        : base(HlTypeKind.Abstract, index) => Name = name;

    /// <summary>The abstract's name (for example <c>hl_fdesc</c>).</summary>
    public string Name { get; }
}

/// <summary>A constructor of an enum.</summary>
/// <param name="Name">The constructor name (for the enums Haxe uses to hold closure environments, whatever string the compiler put there, usually "String").</param>
/// <param name="Parameters">The types of its arguments.</param>
public sealed record HlEnumConstruct(string Name, IReadOnlyList<HlType> Parameters);

/// <summary>An enum type.</summary>
public sealed class HlEnumType : HlType
{
    internal HlEnumType(int index, string name)
        : base(HlTypeKind.Enum, index) => Name = name;

    /// <summary>The enum name, with its package.</summary>
    public string Name { get; }

    /// <summary>The global holding the enum value, or null when there is none.</summary>
    public int? GlobalIndex { get; internal set; }

    /// <summary>The constructors, in index order.</summary>
    public IReadOnlyList<HlEnumConstruct> Constructs { get; internal set; } = [];
}

/// <summary>A type that wraps one other type: <see cref="HlTypeKind.Ref"/>, <see cref="HlTypeKind.Null"/> and <see cref="HlTypeKind.Packed"/>.</summary>
public sealed class HlWrapperType : HlType
{
    internal HlWrapperType(HlTypeKind kind, int index)
        : base(kind, index)
    {
    }

    /// <summary>The wrapped type.</summary>
    public HlType Inner { get; internal set; } = null!;
}
