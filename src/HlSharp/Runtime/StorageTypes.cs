using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>
/// Maps HashLink types to the .NET types that hold them in registers, fields and arguments.
/// Numbers and bool keep their own types (ui8 and ui16 widen to <see cref="int"/> like HashLink's
/// registers); every pointer kind is an <see cref="object"/> reference, so values pass between
/// functions as HashLink passes pointers, and typed access casts where it needs a class.
/// </summary>
internal static class StorageTypes
{
    public static Type Of(HlType type) => Of(type.Kind);

    public static Type Of(HlTypeKind kind) => kind switch
    {
        HlTypeKind.Void => typeof(void),
        HlTypeKind.UI8 or HlTypeKind.UI16 or HlTypeKind.I32 => typeof(int),
        HlTypeKind.I64 => typeof(long),
        HlTypeKind.F32 => typeof(float),
        HlTypeKind.F64 => typeof(double),
        HlTypeKind.Bool => typeof(bool),
        _ => typeof(object),
    };

    /// <summary>
    /// The .NET type of a parameter of this kind. Haxe allows <c>void</c> arguments (an explicit
    /// <c>arg:Void</c>, or a <c>T-&gt;Void</c> callback instantiated with <c>T = Void</c>); .NET has no
    /// void parameters, so such an argument is passed as a null object.
    /// </summary>
    public static Type OfArgument(HlType type) => OfArgument(type.Kind);

    /// <inheritdoc cref="OfArgument(HlType)"/>
    public static Type OfArgument(HlTypeKind kind) => kind == HlTypeKind.Void ? typeof(object) : Of(kind);

    /// <summary>The .NET element type of a native array or typed memory access of this kind.</summary>
    public static Type ElementOf(HlTypeKind kind) => kind switch
    {
        HlTypeKind.UI8 => typeof(byte),
        HlTypeKind.UI16 => typeof(ushort),
        _ => Of(kind),
    };

    /// <summary>The boxed form of a value of this kind held in a dynamic (<c>ui8</c> boxes as <see cref="byte"/>, so its type survives).</summary>
    public static object? Box(HlTypeKind kind, object? storage) => kind switch
    {
        HlTypeKind.UI8 when storage is int i => (byte)i,
        HlTypeKind.UI16 when storage is int i => (ushort)i,
        _ => storage,
    };

    public static bool IsPointer(HlTypeKind kind) => Of(kind) == typeof(object);
}
