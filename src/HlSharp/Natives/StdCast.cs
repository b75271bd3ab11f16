using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Natives;

// The runtime's object base, not the public view of the same name in the enclosing HlSharp namespace.

/// <summary>Dynamic comparison, checked casts and arithmetic on dynamics (HashLink's <c>std/cast.c</c>).</summary>
internal static class StdCast
{
    [HlNative("std", "dyn_compare")]
    public static int DynCompare(NativeContext m, object? a, object? b) => m.Runtime.DynCompare(a, b);

    [HlNative("std", "value_cast")]
    public static object? ValueCast(NativeContext m, object? value, HlRuntimeType type)
    {
        // HlSharp's virtuals are the objects themselves (HashLink wraps them), so an object or
        // anonymous structure is already a value of any virtual type.
        if (type.Kind == HlTypeKind.Dyn || value is null || SafeCast(m.Runtime.TypeOfValue(value), type)
            || (type.Kind == HlTypeKind.Virtual && value is HlDynObj or HlInstance))
        {
            return value;
        }

        throw m.Runtime.MakeError($"Can't cast {m.Runtime.TypeOfValue(value)} to {type}");
    }

    [HlNative("std", "value_address")]
    public static long ValueAddress(object? value) =>
        value is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(value);

    /// <summary>HashLink's <c>hl_is_dynamic</c>: values of these kinds carry their own type at run time.</summary>
    public static bool IsDynamic(HlTypeKind kind) => kind is HlTypeKind.Dyn or HlTypeKind.Fun or HlTypeKind.Obj or HlTypeKind.Array
        or HlTypeKind.Virtual or HlTypeKind.DynObj or HlTypeKind.Enum or HlTypeKind.Null;

    /// <summary>
    /// HashLink's <c>hl_safe_cast</c>: a value of type <paramref name="from"/> can be used as
    /// <paramref name="to"/> without conversion (sub classes, a virtual's leading fields, function
    /// types whose arguments accept and whose result fits).
    /// </summary>
    public static bool SafeCast(HlRuntimeType from, HlRuntimeType to)
    {
        if (ReferenceEquals(from, to))
        {
            return true;
        }

        if (to.Kind == HlTypeKind.Dyn)
        {
            return IsDynamic(from.Kind);
        }

        if (from.Kind != to.Kind)
        {
            return false;
        }

        switch (from.Kind)
        {
            case HlTypeKind.Virtual:
                if (to.Fields.Length < from.Fields.Length)
                {
                    var prefix = true;
                    for (var i = 0; i < to.Fields.Length && prefix; i++)
                    {
                        prefix = from.Fields[i].Hash == to.Fields[i].Hash && TypeEquality.Same(from.Fields[i].Type, to.Fields[i].Type);
                    }

                    if (prefix)
                    {
                        return true;
                    }
                }

                break;
            case HlTypeKind.Obj:
            case HlTypeKind.Struct:
                for (var t = from; t is not null; t = t.Super)
                {
                    if (ReferenceEquals(t, to) || t.Name == to.Name)
                    {
                        return true;
                    }
                }

                return false;
            case HlTypeKind.Fun:
            case HlTypeKind.Method:
                if (from.Arguments.Length == to.Arguments.Length)
                {
                    if (!SafeCast(from.Return!, to.Return!))
                    {
                        return false;
                    }

                    for (var i = 0; i < from.Arguments.Length; i++)
                    {
                        var mine = from.Arguments[i];
                        var theirs = to.Arguments[i];
                        if (!SafeCast(theirs, mine) && (mine.Kind != HlTypeKind.Dyn || !IsDynamic(theirs.Kind)))
                        {
                            return false;
                        }
                    }

                    return true;
                }

                break;
            case HlTypeKind.Packed:
                return SafeCast(from.Inner!, to);
        }

        return TypeEquality.Same(from, to);
    }

    private enum DynOperator
    {
        Add,
        Sub,
        Mul,
        Mod,
        Div,
        Shl,
        Shr,
        UShr,
        And,
        Or,
        Xor,
    }
}
