using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>Closures taken apart, rebuilt, compared and called with an argument array (HashLink's <c>std/fun.c</c>).</summary>
internal static class StdFun
{
    [HlNative("std", "no_closure")]
    public static object? NoClosure(NativeContext m, object? value)
    {
        if (value is not HlClosure closure)
        {
            return value;
        }

        var c = HlRuntime.Unwrap(closure);
        if (!c.HasValue || c.FunctionIndex == HlRuntime.VarArgsFunction)
        {
            return c;
        }

        return new HlClosure(m.Runtime.FunctionType(c.FunctionIndex), c.FunctionIndex, null, false);
    }

    [HlNative("std", "make_closure")]
    public static object? MakeClosure(NativeContext m, object? value, object? bound)
    {
        if (value is not HlClosure closure || HlRuntime.Unwrap(closure) is not { FunctionIndex: >= 0 } c)
        {
            return null;
        }

        // Binding replaces a bound value, so the function's full type decides what can be bound.
        var full = c.HasValue ? m.Runtime.FunctionType(c.FunctionIndex) : c.Type;
        if (full.Arguments.Length == 0 || bound is null || !StdCast.SafeCast(m.Runtime.TypeOfValue(bound), full.Arguments[0]))
        {
            return null;
        }

        return new HlClosure(m.Runtime.BoundClosureType(full), c.FunctionIndex, bound, true);
    }

    [HlNative("std", "get_closure_value")]
    public static object? GetClosureValue(NativeContext m, object? value)
    {
        if (value is not HlClosure closure || HlRuntime.Unwrap(closure) is not { HasValue: true, FunctionIndex: >= 0 } c)
        {
            return null;
        }

        var full = m.Runtime.FunctionType(c.FunctionIndex);
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
    public static object MakeVarArgs(NativeContext m, HlClosure callback) => m.Runtime.MakeVarArgs(callback);

    [HlNative("std", "call_method")]
    public static object? CallMethod(NativeContext m, object? value, HlArray args)
    {
        if (value is not HlClosure closure)
        {
            throw value is null ? m.Runtime.NullAccess() : m.Runtime.MakeError($"Can't call {m.Runtime.TypeOfValue(value)}");
        }

        var c = HlRuntime.Unwrap(closure);
        var values = (object?[])args.Data;
        if (c.FunctionIndex == HlRuntime.VarArgsFunction)
        {
            return m.Runtime.CallDynamic(c.BoundValue, [args]);
        }

        if (c.HasValue)
        {
            // Reflect.callMethod unbinds first and passes the bound value as the first argument.
            throw m.Runtime.MakeError("Can't call closure with value");
        }

        var need = c.Type.Arguments.Length;
        if (values.Length < need)
        {
            throw m.Runtime.MakeError($"Missing arguments : {need} expected but {values.Length} passed");
        }

        // Extra arguments are ignored, as HashLink passes only as many as the function takes.
        return m.Runtime.Invoke(c.FunctionIndex, values.Length == need ? values : values[..need]);
    }

    [HlNative("std", "is_prim_loaded")]
    public static bool IsPrimLoaded(NativeContext m, object? value)
    {
        if (value is not HlClosure c || c.FunctionIndex < 0)
        {
            return false;
        }

        if (m.IsBytecodeFunction(c.FunctionIndex))
        {
            return true;
        }

        var native = m.Code.Natives.FirstOrDefault(n => n.Index == c.FunctionIndex);
        return native is not null && !m.MissingNatives.Any(x => x == $"{native.Library}@{native.Name}" || x.StartsWith($"{native.Library}@{native.Name} ", StringComparison.Ordinal));
    }
}
