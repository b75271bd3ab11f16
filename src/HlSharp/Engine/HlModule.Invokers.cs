using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// The code the dynamic operations of <see cref="HlRuntime"/> ask the engine for
/// (<see cref="ICompiledCode"/>): callers of function indices with boxed arguments, and wrapper
/// methods that let a closure be called through a function type stored differently.
/// </summary>
internal sealed partial class HlModule : ICompiledCode
{
    // By function index (sized as the slots): a dictionary keyed by int was eleven methods to
    // JIT-compile at every start (no ReadyToRun code exists for it), as the first dynamic call
    // of nearly every program (its string conversion) makes an invoker.
    private readonly Func<object?[], object?>?[] _invokers;
    private readonly Dictionary<string, int> _wrapperSlots = new(StringComparer.Ordinal);

    /// <summary>
    /// A compiled caller of a function index taking its arguments in storage form: every dynamic
    /// call (closures called through Dynamic, <c>__cast</c>, <c>__compare</c>, <c>__string</c>,
    /// reflection) goes through one, and reflection's <c>MethodInfo.Invoke</c> cost ten times more.
    /// Where code cannot be generated (NativeAOT) it is that <see cref="ReflectionInvoker"/> all the same.
    /// </summary>
    public Func<object?[], object?> Invoker(int functionIndex)
    {
        if (Volatile.Read(ref _invokers[functionIndex]) is { } invoker)
        {
            return invoker;
        }

        var method = GetMethod(functionIndex);
        if (!DynamicCode.IsSupported)
        {
            invoker = ReflectionInvoker.Create(method);
            Volatile.Write(ref _invokers[functionIndex], invoker);
            return invoker;
        }

        var parameters = method.GetParameters();
        var dynamicMethod = new DynamicMethod(
            $"invoke{functionIndex}", typeof(object), [typeof(object?[])], typeof(HlModule).Module, skipVisibility: true);
        var il = dynamicMethod.GetILGenerator();
        for (var i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelem_Ref);
            if (parameters[i].ParameterType != typeof(object))
            {
                il.Emit(OpCodes.Unbox_Any, parameters[i].ParameterType);
            }
        }

        il.Emit(OpCodes.Call, method);
        if (method.ReturnType == typeof(void))
        {
            il.Emit(OpCodes.Ldnull);
        }
        else if (method.ReturnType.IsValueType)
        {
            Boxing.Emit(il, method.ReturnType);
        }

        il.Emit(OpCodes.Ret);
        invoker = dynamicMethod.CreateDelegate<Func<object?[], object?>>();
        Volatile.Write(ref _invokers[functionIndex], invoker);
        return invoker;
    }

    /// <inheritdoc/>
    public Func<object?, object?, object?>? ReferenceCaller2(int functionIndex)
    {
        if (!IsBytecodeFunction(functionIndex))
        {
            return null;
        }

        var method = GetMethod(functionIndex);
        var parameters = method.GetParameters();
        if (parameters is not [{ ParameterType: var a }, { ParameterType: var b }] || a != typeof(object) || b != typeof(object) || method.ReturnType != typeof(object))
        {
            return null;
        }

        if (!DynamicCode.IsSupported)
        {
            // NativeAOT: through the reflection-only invoker, as before there was this shortcut.
            var invoke = Invoker(functionIndex);
            return (x, y) => invoke([x, y]);
        }

        return method.CreateDelegate<Func<object?, object?, object?>>();
    }

    /// <summary>
    /// The slot of the wrapper method for a function type's storage signature, emitted on first
    /// use. Wrapper slots come after the program's functions, in room the slot table keeps for
    /// them (<see cref="ModuleStorage"/>: compiled code holds the table's address, so it cannot
    /// be reallocated); they are taken under the compile lock, the only place slots are written.
    /// </summary>
    public int WrapperSlot(HlRuntimeType target) =>
        WrapperSlot([.. target.Arguments.Select(a => StorageTypes.OfArgument(a.Kind))], target.Return!.Storage);

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Emits only for a bytecode load: a compiled program's wrappers are written out and found in the table")]
    private int WrapperSlot(Type[] parameters, Type ret)
    {
        var key = string.Join(",", parameters.Select(p => p.Name)) + "->" + ret.Name;
        lock (_compileLock)
        {
            if (_wrapperSlots.TryGetValue(key, out var known))
            {
                return known;
            }

            if (_compiledProgram is not null)
            {
                throw new InvalidOperationException($"the compiled program has no wrapper for the signature {key}");
            }

            var slot = Storage.SlotCount;
            if (slot == _slots.Length)
            {
                throw new HlLoadException($"more function wrappers than the {slot - Storage.FunctionCapacity} the program's function types allow for");
            }

            var method = EmitWrapper(parameters, ret, _wrapperSlots.Count);
            if (Writer is { } writer)
            {
                writer.AddWrapper(key, slot, (MethodBuilder)method);
            }
            else
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
                Volatile.Write(ref _slots[slot], method.MethodHandle.GetFunctionPointer());
            }

            Storage.SlotCount = slot + 1;
            _wrapperSlots[key] = slot;
            return slot;
        }
    }

    /// <summary>Emits <c>R wrapper(object state, P1 a1, ...)</c>: boxes the arguments, calls <see cref="HlRuntime.CallWrapped"/>, converts the result.</summary>
    [RequiresDynamicCode("Emits IL at run time; a precompiled program (hlsharp compile) has this code written out")]
    private MethodInfo EmitWrapper(Type[] parameters, Type ret, int number)
    {
        var type = Writer?.WrapperHome() ?? DefineType($"hl.$wrapper{number}", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var method = type.DefineMethod(Writer is null ? "Invoke" : $"w{number}", MethodAttributes.Public | MethodAttributes.Static, ret, [typeof(object), .. parameters]);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        BoxedArguments.Emit(il, parameters, firstArgument: 1);

        il.Emit(OpCodes.Call, typeof(HlRuntime).GetMethod(nameof(HlRuntime.CallWrapped), BindingFlags.Public | BindingFlags.Static)!);
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
        return Writer is null ? type.CreateType().GetMethod("Invoke")! : method;
    }
}
