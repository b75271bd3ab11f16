namespace HlSharp.Bytecode;

/// <summary>The kind of a HashLink type, with the numbering the bytecode uses (HashLink's <c>hl.h</c>).</summary>
#pragma warning disable CA1720 // kind names follow HashLink's
public enum HlTypeKind : byte
{
    /// <summary>No value.</summary>
    Void = 0,
    /// <summary>Unsigned 8-bit integer.</summary>
    UI8 = 1,
    /// <summary>Unsigned 16-bit integer.</summary>
    UI16 = 2,
    /// <summary>Signed 32-bit integer.</summary>
    I32 = 3,
    /// <summary>Signed 64-bit integer.</summary>
    I64 = 4,
    /// <summary>32-bit float.</summary>
    F32 = 5,
    /// <summary>64-bit float.</summary>
    F64 = 6,
    /// <summary>Boolean.</summary>
    Bool = 7,
    /// <summary>Raw memory (<c>hl.Bytes</c>).</summary>
    Bytes = 8,
    /// <summary>Any value, boxed with its type.</summary>
    Dyn = 9,
    /// <summary>A function or closure.</summary>
    Fun = 10,
    /// <summary>A class instance.</summary>
    Obj = 11,
    /// <summary>A native array (<c>hl.NativeArray</c>).</summary>
    Array = 12,
    /// <summary>A runtime type value.</summary>
    Type = 13,
    /// <summary>A reference to a register or field (<c>hl.Ref</c>).</summary>
    Ref = 14,
    /// <summary>A structural view over objects with the named fields.</summary>
    Virtual = 15,
    /// <summary>An anonymous object with fields added at run time.</summary>
    DynObj = 16,
    /// <summary>A native handle, opaque to Haxe.</summary>
    Abstract = 17,
    /// <summary>An enum value.</summary>
    Enum = 18,
    /// <summary>A nullable basic value (<c>Null&lt;T&gt;</c>).</summary>
    Null = 19,
    /// <summary>A method type (first argument is the receiver).</summary>
    Method = 20,
    /// <summary>A class laid out inline (<c>@:struct</c>).</summary>
    Struct = 21,
    /// <summary>A struct stored inline in its container (<c>hl.Packed</c>).</summary>
    Packed = 22,
    /// <summary>A 64-bit unique identifier.</summary>
    Guid = 23,
}
#pragma warning restore CA1720
