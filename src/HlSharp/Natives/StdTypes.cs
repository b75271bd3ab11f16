using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>Type reflection natives (HashLink's <c>std/types.c</c>).</summary>
internal static class StdTypes
{
    [HlNative("std", "type_enum_fields")]
    public static HlArray EnumFields(NativeContext m, HlRuntimeType type) =>
        new(m.Runtime.BasicTypes.Of(HlTypeKind.Bytes), type.Constructs.Select(c => (object?)HlBytes.FromString(c.Name)).ToArray());

    [HlNative("std", "type_enum_values")]
    public static HlArray EnumValues(NativeContext m, HlRuntimeType type) =>
        new(m.Runtime.BasicTypes.Dyn, type.Constructs.Select((c, i) => c.Parameters.Count == 0 ? (object?)new HlEnumValue(type, i, []) : null).ToArray());

    [HlNative("std", "type_args_count")]
    public static int ArgsCount(HlRuntimeType type) => type.Kind is HlTypeKind.Fun or HlTypeKind.Method ? type.Arguments.Length : 0;

    [HlNative("std", "type_super")]
    public static HlRuntimeType TypeSuper(NativeContext m, HlRuntimeType type) => type.Super ?? m.Runtime.BasicTypes.Void;

    [HlNative("std", "type_get_global")]
    public static object? TypeGetGlobal(NativeContext m, HlRuntimeType type) => type.GlobalIndex >= 0 ? m.GetGlobal(type.GlobalIndex) : null;

    [HlNative("std", "ptr_compare")]
    public static int PtrCompare(object? a, object? b) => ReferenceEquals(a, b) ? 0
        : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(a) > System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(b) ? 1 : -1;

    [HlNative("std", "exception_stack")]
    public static HlArray ExceptionStack(NativeContext m) =>
        new(m.Runtime.BasicTypes.Of(HlTypeKind.Bytes), m.ExceptionStack.Select(f => (object?)HlBytes.FromString(f.Format())).ToArray());

    [HlNative("std", "set_error_handler")]
    public static void SetErrorHandler(HlClosure? handler)
    {
        // HashLink calls this handler for uncaught exceptions in threads; HlSharp reports them to the host instead.
        _ = handler;
    }

    [HlNative("std", "breakpoint")]
    public static void Breakpoint()
    {
        if (System.Diagnostics.Debugger.IsAttached)
        {
            System.Diagnostics.Debugger.Break();
        }
    }

    // ---- allocation, names and casts ----

    [HlNative("std", "type_set_global")]
    public static bool TypeSetGlobal(NativeContext m, HlRuntimeType type, object? value)
    {
        if (type.GlobalIndex < 0)
        {
            return false;
        }

        m.SetGlobal(type.GlobalIndex, value);
        return true;
    }

    [HlNative("std", "type_name")]
    public static HlBytes? TypeName(HlRuntimeType type) => type.Kind is HlTypeKind.Obj or HlTypeKind.Struct or HlTypeKind.Enum or HlTypeKind.Abstract
        ? HlBytes.FromString(type.Name)
        : null;

    [HlNative("std", "alloc_obj")]
    public static object AllocObj(NativeContext m, HlRuntimeType type) => type.Kind switch
    {
        HlTypeKind.Obj or HlTypeKind.Struct => m.Runtime.AllocateObject(type),
        HlTypeKind.Virtual => m.Runtime.NewVirtual(type),
        _ => new HlDynObj(),
    };

    [HlNative("std", "type_safe_cast")]
    public static bool TypeSafeCast(HlRuntimeType from, HlRuntimeType to) =>
        ReferenceEquals(from, to) || to.Kind == HlTypeKind.Dyn || (from.Kind is HlTypeKind.Obj or HlTypeKind.Struct && from.IsSubclassOf(to));
}
