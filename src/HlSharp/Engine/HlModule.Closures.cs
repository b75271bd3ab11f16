using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Closures made at run time rather than by compiled code: var-args closures
/// (<c>Reflect.makeVarArgs</c>), closures bound by natives, and wrappers that let a closure be
/// called through a function type whose arguments or result are stored differently (HashLink's
/// <c>hl_make_fun_wrapper</c>, used when a dynamic is cast to a function type).
/// </summary>
internal sealed partial class HlModule
{
    /// <summary>
    /// The function index of a closure made by <c>Reflect.makeVarArgs</c> (HashLink's
    /// <c>make_var_args</c>): no function has it; the closure's bound value is the callback that
    /// receives the arguments as one <c>NativeArray&lt;Dynamic&gt;</c>, so only dynamic calls (and
    /// wrappers, which call dynamically) reach it.
    /// </summary>
    public const int VarArgsFunction = -1;

    private readonly ConcurrentDictionary<HlRuntimeType, HlRuntimeType> _boundClosureTypes = new();
    private readonly Dictionary<string, int> _wrapperSlots = new(StringComparer.Ordinal);
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

        return new HlClosure(target, WrapperSlot(target), new FunWrapper(this, inner, target), true);
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

    /// <summary>
    /// The slot of the wrapper method for a function type's storage signature, emitted on first
    /// use. Wrapper slots come after the program's functions, in room the slot table keeps for
    /// them (<see cref="ModuleStorage"/>: compiled code holds the table's address, so it cannot
    /// be reallocated); they are taken under the compile lock, the only place slots are written.
    /// </summary>
    private int WrapperSlot(HlRuntimeType target)
    {
        var parameters = target.Arguments.Select(a => StorageTypes.OfArgument(a.Kind)).ToArray();
        var ret = target.Return!.Storage;
        var key = string.Join(",", parameters.Select(p => p.Name)) + "->" + ret.Name;
        lock (_compileLock)
        {
            if (_wrapperSlots.TryGetValue(key, out var known))
            {
                return known;
            }

            var slot = Storage.SlotCount;
            if (slot == _slots.Length)
            {
                throw new HlLoadException($"more function wrappers than the {slot - Code.FunctionIndexCount} the program's function types allow for");
            }

            var method = EmitWrapper(parameters, ret, _wrapperSlots.Count);
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
            Volatile.Write(ref _slots[slot], method.MethodHandle.GetFunctionPointer());
            Storage.SlotCount = slot + 1;
            _wrapperSlots[key] = slot;
            return slot;
        }
    }

    /// <summary>Emits <c>R wrapper(object state, P1 a1, ...)</c>: boxes the arguments, calls <see cref="CallWrapped"/>, converts the result.</summary>
    private MethodInfo EmitWrapper(Type[] parameters, Type ret, int number)
    {
        var type = DefineType($"hl.$wrapper{number}", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var method = type.DefineMethod("Invoke", MethodAttributes.Public | MethodAttributes.Static, ret, [typeof(object), .. parameters]);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_I4, parameters.Length);
        il.Emit(OpCodes.Newarr, typeof(object));
        for (var i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldarg, i + 1);
            if (parameters[i].IsValueType)
            {
                il.Emit(OpCodes.Box, parameters[i]);
            }

            il.Emit(OpCodes.Stelem_Ref);
        }

        il.Emit(OpCodes.Call, typeof(HlModule).GetMethod(nameof(CallWrapped), BindingFlags.Public | BindingFlags.Static)!);
        if (ret == typeof(void))
        {
            il.Emit(OpCodes.Pop);
        }
        else if (ret != typeof(object))
        {
            il.Emit(OpCodes.Call, typeof(RuntimeOps).GetMethod(
                ret == typeof(int) ? nameof(RuntimeOps.DynToInt)
                : ret == typeof(long) ? nameof(RuntimeOps.DynToLong)
                : ret == typeof(float) ? nameof(RuntimeOps.DynToFloat)
                : ret == typeof(double) ? nameof(RuntimeOps.DynToDouble)
                : nameof(RuntimeOps.DynToBool))!);
        }

        il.Emit(OpCodes.Ret);
        return type.CreateType().GetMethod("Invoke")!;
    }

    /// <summary>The body of every wrapper: calls the wrapped closure dynamically and casts the result to the wrapper's result type.</summary>
    public static object? CallWrapped(object state, object?[] args)
    {
        var w = (FunWrapper)state;
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = StorageTypes.Box(w.Type.Arguments[i].Kind, args[i]);
        }

        var result = w.Module.CallDynamic(w.Target, args);
        var ret = w.Type.Return!;
        return StorageTypes.IsPointer(ret.Kind) ? w.Module.DynCast(result, ret) : result;
    }

    private static HlRuntimeType SyntheticFunction(HlRuntimeType[] arguments, HlRuntimeType ret)
    {
        var type = HlRuntimeType.Synthetic(HlTypeKind.Fun);
        type.Arguments = arguments;
        type.Return = ret;
        return type;
    }

    /// <summary>The bound value of a wrapper closure: the closure it calls, and the type it is called through.</summary>
    internal sealed record FunWrapper(HlModule Module, HlClosure Target, HlRuntimeType Type);
}
