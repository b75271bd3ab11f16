using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>Dynamic calls: a function index or closure called with dynamic arguments, converted to its parameter types.</summary>
internal sealed partial class HlRuntime
{
    /// <summary>Calls a function index with dynamic arguments, converting them to its parameter types.</summary>
    public object? Invoke(int functionIndex, object?[] args)
    {
        var type = FunctionType(functionIndex);
        if (args.Length != type.Arguments.Length)
        {
            throw MakeError($"Invalid number of arguments: {Code.DescribeFunction(functionIndex)} takes {type.Arguments.Length}, got {args.Length}");
        }

        var converted = new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            converted[i] = ToStorage(args[i], type.Arguments[i]);
        }

        var result = _compiled.Invoker(functionIndex)(converted);
        return StorageTypes.Box(type.Return!.Kind, result);
    }

    /// <summary>Calls a closure held in a dynamic (HashLink's <c>hl_dyn_call</c>).</summary>
    public object? CallDynamic(object? closure, object?[] args)
    {
        if (closure is not HlClosure c)
        {
            throw closure is null ? NullAccess() : MakeError($"Can't call {TypeOfValue(closure)}");
        }

        c = Unwrap(c);
        if (c.BoundValue is IHostFunction host)
        {
            return host.Call(args);
        }

        if (c.FunctionIndex == VarArgsFunction)
        {
            return CallDynamic(c.BoundValue, [new HlArray(BasicTypes.Dyn, args)]);
        }

        return c.HasValue ? Invoke(c.FunctionIndex, [c.BoundValue, .. args]) : Invoke(c.FunctionIndex, args);
    }

    /// <summary>Calls a method found by name hash on an object, or a closure stored in its field.</summary>
    public object? CallMethodByHash(object? obj, int hash, object?[] args)
    {
        if (obj is HlInstance o && o.Type.MethodsByHash.TryGetValue(hash, out var method))
        {
            return Invoke(method, [o, .. args]);
        }

        return CallDynamic(DynGetField(obj, hash), args);
    }
}
