using HlSharp.Engine;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// Checked casts of dynamic values (HashLink's <c>std/cast.c</c>). Only <c>value_cast</c> lives here
/// for now: arrays of objects call it whenever they are written through a dynamic view (sorting does).
/// </summary>
internal static class StdCast
{
    [HlNative("std", "value_cast")]
    public static object? ValueCast(HlModule m, object? value, HlRuntimeType type)
    {
        // HlSharp's virtuals are the objects themselves (HashLink wraps them), so an object or
        // anonymous structure is already a value of any virtual type.
        if (type.Kind == Bytecode.HlTypeKind.Dyn || value is null || StdCore.TypeSafeCast(m.TypeOfValue(value), type)
            || (type.Kind == Bytecode.HlTypeKind.Virtual && value is HlDynObj or HlObject))
        {
            return value;
        }

        throw m.MakeError($"Can't cast {m.TypeOfValue(value).TypeString()} to {type.TypeString()}");
    }
}
