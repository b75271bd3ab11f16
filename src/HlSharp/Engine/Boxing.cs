using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>Emits the boxing of a value type as compiled code does it everywhere: a bool takes one of the shared boxes (<see cref="BoxedBools"/>).</summary>
internal static class Boxing
{
    private static readonly MethodInfo BoxBool = typeof(BoxedBools).GetMethod(nameof(BoxedBools.Box))!;

    /// <summary>Emits <c>box <paramref name="valueType"/></c>, or the call that gives a shared boolean.</summary>
    public static void Emit(ILGenerator il, Type valueType)
    {
        if (valueType == typeof(bool))
        {
            il.Emit(OpCodes.Call, BoxBool);
        }
        else
        {
            il.Emit(OpCodes.Box, valueType);
        }
    }
}
