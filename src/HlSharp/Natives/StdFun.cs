using HlSharp.Engine;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>Closures taken apart, rebuilt, compared and called with an argument array (HashLink's <c>std/fun.c</c>).</summary>
internal static class StdFun
{
    [HlNative("std", "no_closure")]
    public static object? NoClosure(HlModule m, object? value)
    {
        if (value is not HlClosure closure)
        {
            return value;
        }

        var c = HlModule.Unwrap(closure);
        if (!c.HasValue || c.FunctionIndex == HlModule.VarArgsFunction)
        {
            return c;
        }

        return new HlClosure(m.FunctionType(c.FunctionIndex), c.FunctionIndex, null, false);
    }

    [HlNative("std", "make_closure")]
    public static object? MakeClosure(HlModule m, object? value, object? bound)
    {
        if (value is not HlClosure closure || HlModule.Unwrap(closure) is not { FunctionIndex: >= 0 } c)
        {
            return null;
        }

        // Binding replaces a bound value, so the function's full type decides what can be bound.
        var full = c.HasValue ? m.FunctionType(c.FunctionIndex) : c.Type;
        if (full.Arguments.Length == 0 || bound is null || !StdCast.SafeCast(m.TypeOfValue(bound), full.Arguments[0]))
        {
            return null;
        }

        return new HlClosure(m.BoundClosureType(full), c.FunctionIndex, bound, true);
    }

    [HlNative("std", "get_closure_value")]
    public static object? GetClosureValue(HlModule m, object? value)
    {
        if (value is not HlClosure closure || HlModule.Unwrap(closure) is not { HasValue: true, FunctionIndex: >= 0 } c)
        {
            return null;
        }

        var full = m.FunctionType(c.FunctionIndex);
        return full.Arguments.Length > 0 ? StorageTypes.Box(full.Arguments[0].Kind, c.BoundValue) : c.BoundValue;
    }

    [HlNative("std", "fun_compare")]
    public static bool FunCompare(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is not HlClosure x || b is not HlClosure y || x.FunctionIndex != y.FunctionIndex)
        {
            return false;
        }

        // HashLink compares the bound values' pointers; a bound number compares by value (it is the pointer there).
        return !x.HasValue || ReferenceEquals(x.BoundValue, y.BoundValue)
            || (x.BoundValue is ValueType && x.BoundValue.Equals(y.BoundValue));
    }

    [HlNative("std", "make_var_args")]
    public static object MakeVarArgs(HlModule m, HlClosure callback) => m.MakeVarArgs(callback);

    [HlNative("std", "call_method")]
    public static object? CallMethod(HlModule m, object? value, HlArray args)
    {
        if (value is not HlClosure closure)
        {
            throw value is null ? m.NullAccess() : m.MakeError($"Can't call {m.TypeOfValue(value)}");
        }

        var c = HlModule.Unwrap(closure);
        var values = (object?[])args.Data;
        if (c.FunctionIndex == HlModule.VarArgsFunction)
        {
            return m.CallDynamic(c.BoundValue, [args]);
        }

        if (c.HasValue)
        {
            // Reflect.callMethod unbinds first and passes the bound value as the first argument.
            throw m.MakeError("Can't call closure with value");
        }

        var need = c.Type.Arguments.Length;
        if (values.Length < need)
        {
            throw m.MakeError($"Missing arguments : {need} expected but {values.Length} passed");
        }

        // Extra arguments are ignored, as HashLink passes only as many as the function takes.
        return m.Invoke(c.FunctionIndex, values.Length == need ? values : values[..need]);
    }

    [HlNative("std", "is_prim_loaded")]
    public static bool IsPrimLoaded(HlModule m, object? value)
    {
        if (value is not HlClosure c || c.FunctionIndex < 0)
        {
            return false;
        }

        if (m.Code.GetFunction(c.FunctionIndex) is not null)
        {
            return true;
        }

        var native = m.Code.Natives.FirstOrDefault(n => n.Index == c.FunctionIndex);
        return native is not null && !m.Natives.Missing.Any(x => x == $"{native.Library}@{native.Name}" || x.StartsWith($"{native.Library}@{native.Name} ", StringComparison.Ordinal));
    }
}
