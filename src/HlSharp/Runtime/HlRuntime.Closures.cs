using System.Collections.Concurrent;
using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>
/// Closures made at run time rather than by compiled code: var-args closures
/// (<c>Reflect.makeVarArgs</c>), closures bound by natives, and wrappers that let a closure be
/// called through a function type whose arguments or result are stored differently (HashLink's
/// <c>hl_make_fun_wrapper</c>, used when a dynamic is cast to a function type).
/// </summary>
internal sealed partial class HlRuntime
{
    /// <summary>
    /// The function index of a closure made by <c>Reflect.makeVarArgs</c> (HashLink's
    /// <c>make_var_args</c>): no function has it; the closure's bound value is the callback that
    /// receives the arguments as one <c>NativeArray&lt;Dynamic&gt;</c>, so only dynamic calls (and
    /// wrappers, which call dynamically) reach it.
    /// </summary>
    public const int VarArgsFunction = -1;

    private readonly ConcurrentDictionary<HlRuntimeType, HlRuntimeType> _boundClosureTypes = new();
    private HlRuntimeType? _varArgsType;

    /// <summary>Wraps a <c>NativeArray&lt;Dynamic&gt; -> Dynamic</c> callback into a closure that takes any arguments.</summary>
    public HlClosure MakeVarArgs(HlClosure callback) => new(_varArgsType ??= SyntheticFunction([], BasicTypes.Dyn), VarArgsFunction, callback, true);

    /// <summary>
    /// The type a closure has once its first argument is bound (HashLink's closure type of a
    /// function type): the program's own function type with those arguments when it declares one,
    /// so type comparisons and printing agree with compiled code.
    /// </summary>
    public HlRuntimeType BoundClosureType(HlRuntimeType full)
    {
        if (full.Arguments.Length == 0)
        {
            return full;
        }

        return _boundClosureTypes.GetOrAdd(full, f =>
        {
            var args = f.Arguments.AsSpan(1);
            foreach (var t in Types)
            {
                if (t.Kind == HlTypeKind.Fun && ReferenceEquals(t.Return, f.Return) && t.Arguments.AsSpan().SequenceEqual(args))
                {
                    return t;
                }
            }

            return SyntheticFunction([.. args], f.Return!);
        });
    }

    /// <summary>The closure a wrapper calls, or the closure itself.</summary>
    public static HlClosure Unwrap(HlClosure closure) => closure.BoundValue is FunWrapper w ? w.Target : closure;

    /// <summary>
    /// Makes a closure callable through <paramref name="target"/>: the closure itself when its
    /// arguments and result are stored as the target's are, otherwise a wrapper that converts them.
    /// Null when the argument counts differ (HashLink refuses the cast then).
    /// </summary>
    private HlClosure? AdaptClosure(HlClosure closure, HlRuntimeType target)
    {
        var inner = Unwrap(closure);
        var varArgs = inner.FunctionIndex == VarArgsFunction;
        if (!varArgs)
        {
            var type = inner.Type;
            if (type.Arguments.Length != target.Arguments.Length)
            {
                return null;
            }

            if (SameStorage(type, target))
            {
                return inner;
            }
        }

        return new HlClosure(target, _compiled.WrapperSlot(target), new FunWrapper(this, inner, target), true);
    }

    private static bool SameStorage(HlRuntimeType a, HlRuntimeType b)
    {
        if (a.Return!.Storage != b.Return!.Storage)
        {
            return false;
        }

        for (var i = 0; i < a.Arguments.Length; i++)
        {
            if (a.Arguments[i].Storage != b.Arguments[i].Storage)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The body of every wrapper: calls the wrapped closure dynamically and casts the result to the wrapper's result type.</summary>
    public static object? CallWrapped(object state, object?[] args)
    {
        if (state is IHostFunction host)
        {
            return host.Call(args);
        }

        var w = (FunWrapper)state;
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = StorageTypes.Box(w.Type.Arguments[i].Kind, args[i]);
        }

        var result = w.Runtime.CallDynamic(w.Target, args);
        var ret = w.Type.Return!;
        return StorageTypes.IsPointer(ret.Kind) ? w.Runtime.DynCast(result, ret) : result;
    }

    private static HlRuntimeType SyntheticFunction(HlRuntimeType[] arguments, HlRuntimeType ret)
    {
        var type = HlRuntimeType.Synthetic(HlTypeKind.Fun);
        type.Arguments = arguments;
        type.Return = ret;
        return type;
    }

    /// <summary>
    /// A closure over a host function (a C# delegate the host passed as a Haxe function): called
    /// through a wrapper slot of its function type, with the host function as the bound value.
    /// </summary>
    public HlClosure MakeHostClosure(HlRuntimeType functionType, IHostFunction host) =>
        new(functionType, _compiled.WrapperSlot(functionType), host, true);

    /// <summary>The bound value of a wrapper closure: the closure it calls, and the type it is called through.</summary>
    internal sealed record FunWrapper(HlRuntime Runtime, HlClosure Target, HlRuntimeType Type);
}

/// <summary>A host function Haxe code can call as a closure (<see cref="HlRuntime.MakeHostClosure"/>); the façade converts its arguments and result.</summary>
internal interface IHostFunction
{
    /// <summary>Calls the host function with arguments in storage or dynamic form; returns the result as a dynamic (null for Void).</summary>
    object? Call(object?[] args);
}
