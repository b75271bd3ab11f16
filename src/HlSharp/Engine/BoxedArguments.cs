using System.Reflection.Emit;

namespace HlSharp.Engine;

/// <summary>Emitted code that gathers a method's arguments into an <c>object?[]</c>, boxing value types: the shape every untyped call takes.</summary>
internal static class BoxedArguments
{
    /// <summary>Pushes a new array holding arguments <paramref name="firstArgument"/> onwards, one per parameter type.</summary>
    public static void Emit(ILGenerator il, Type[] parameters, int firstArgument)
    {
        il.Emit(OpCodes.Ldc_I4, parameters.Length);
        il.Emit(OpCodes.Newarr, typeof(object));
        for (var i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldarg, i + firstArgument);
            if (parameters[i].IsValueType)
            {
                Boxing.Emit(il, parameters[i]);
            }

            il.Emit(OpCodes.Stelem_Ref);
        }
    }
}
