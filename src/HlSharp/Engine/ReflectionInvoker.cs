using System.Reflection;

namespace HlSharp.Engine;

/// <summary>
/// The reflection-only form of <see cref="HlModule.Invoker"/>, for runtimes that cannot generate
/// code (NativeAOT): <c>MethodBase.Invoke</c>
/// with the arguments checked as the emitted <c>unbox.any</c> checks them. Reflection alone would
/// widen a boxed byte to an int parameter and pass a null as a value type's default, which the
/// emitted invoker refuses; the two forms must give the same results.
/// </summary>
internal static class ReflectionInvoker
{
    public static Func<object?[], object?> Create(MethodInfo method)
    {
        var parameters = method.GetParameters().Select(p => p.ParameterType).ToArray();
        return args =>
        {
            var converted = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                converted[i] = Unboxed(parameters[i], args[i]);
            }

            // DoNotWrapExceptions: a Haxe throw or a fault leaves as itself, as it does through the emitted call.
            return method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, converted, null);
        };
    }

    /// <summary>What <c>unbox.any</c> to <paramref name="type"/> does (nothing for <see cref="object"/>, as the emitted invoker emits nothing).</summary>
    private static object? Unboxed(Type type, object? value)
    {
        if (type == typeof(object) || type.IsInstanceOfType(value))
        {
            return value;
        }

        if (value is null)
        {
            if (type.IsValueType)
            {
                // unbox.any of null to a value type is a null access: the same exception, raised the same way.
                _ = value!.GetType();
            }

            return null;
        }

        throw new InvalidCastException($"Unable to cast object of type '{value.GetType().FullName}' to type '{type.FullName}'.");
    }
}
