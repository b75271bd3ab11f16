using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Typed delegates straight to a closure's compiled method, for natives that call one closure
/// many times with unboxed values (sorting): the dynamic call path boxes every argument.
/// </summary>
internal static class ClosureDelegates
{
    /// <summary>
    /// A comparator calling the closure's compiled method directly when its signature is exactly
    /// <c>(T, T) -> i32</c> (after the bound value, if any); null otherwise, and for wrapper
    /// closures (a closure cast to another function type), which have no bytecode function.
    /// </summary>
    public static Func<T, T, int>? Comparer<T>(HlModule module, HlClosure closure)
    {
        if (closure.FunctionIndex < 0 || !module.IsBytecodeFunction(closure.FunctionIndex))
        {
            return null;
        }

        var method = module.GetMethod(closure.FunctionIndex);
        var parameters = method.GetParameters().Select(p => p.ParameterType).ToArray();
        if (method.ReturnType != typeof(int))
        {
            return null;
        }

        if (!closure.HasValue && parameters is [var a, var b] && a == typeof(T) && b == typeof(T))
        {
            return method.CreateDelegate<Func<T, T, int>>();
        }

        if (closure.HasValue && parameters is [var self, var a2, var b2] && self == typeof(object) && a2 == typeof(T) && b2 == typeof(T))
        {
            var bound = method.CreateDelegate<Func<object?, T, T, int>>();
            var value = closure.BoundValue;
            return (x, y) => bound(value, x, y);
        }

        return null;
    }
}
