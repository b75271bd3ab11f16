using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Closure wrappers (HashLink's <c>hl_make_fun_wrapper</c>). Compiled code calls a closure with the
/// signature of its static type, so a closure cast to a function type whose argument or return
/// storage differs (<c>Int->Int</c> used as <c>Int->Float</c>, or as <c>Dynamic->Dynamic</c>) must
/// not be called directly: it is wrapped in a closure of the target type whose function boxes the
/// arguments, calls the original dynamically and converts the result. Wrapper functions get slots
/// after the program's own functions, one per target type.
/// </summary>
internal sealed partial class HlModule
{
    private readonly Dictionary<HlRuntimeType, int> _wrapperSlots = new(ReferenceEqualityComparer.Instance);
    private readonly List<MethodInfo> _wrapperMethods = [];

    /// <summary>True when a function index is one of the synthetic wrapper slots.</summary>
    public bool IsWrapper(int functionIndex) => functionIndex >= Code.FunctionIndexCount;

    /// <summary>The storage types a closure's function takes (without its bound value) and returns.</summary>
    private (Type[] Args, Type Ret) ClosureSignature(HlClosure c)
    {
        if (IsWrapper(c.FunctionIndex))
        {
            return ([.. c.Type.Arguments.Select(a => a.Storage)], c.Type.Return!.Storage);
        }

        var type = FunctionType(c.FunctionIndex);
        return ([.. type.Arguments.Skip(c.HasValue ? 1 : 0).Select(a => a.Storage)], type.Return!.Storage);
    }

    /// <summary>A closure usable as <paramref name="target"/>: itself when the signatures agree, else a wrapper, or null when the argument counts differ.</summary>
    public HlClosure? AdaptClosure(HlClosure closure, HlRuntimeType target)
    {
        var (args, ret) = ClosureSignature(closure);
        var wanted = target.Arguments.Select(a => a.Storage).ToArray();
        if (args.SequenceEqual(wanted) && ret == target.Return!.Storage)
        {
            return closure;
        }

        if (args.Length != wanted.Length)
        {
            return null;
        }

        var inner = closure.BoundValue is HlClosure wrapped && IsWrapper(closure.FunctionIndex) ? wrapped : closure;
        return new HlClosure(target, WrapperSlot(target), inner, true);
    }

    /// <summary>Calls the closure a wrapper holds, with dynamic arguments.</summary>
    public object? CallWrapped(HlClosure wrapper, object?[] args)
    {
        var result = CallDynamic(wrapper.BoundValue, args);
        return wrapper.Type.Return!.Kind == HlTypeKind.Void ? null : ToDynamicOf(result, wrapper.Type.Return);
    }

    private object? ToDynamicOf(object? value, HlRuntimeType type) =>
        StorageTypes.Box(type.Kind, ToStorage(value, type));

    private int WrapperSlot(HlRuntimeType target)
    {
        lock (_compileLock)
        {
            if (_wrapperSlots.TryGetValue(target, out var known))
            {
                return known;
            }

            var method = EmitWrapper(target, Code.FunctionIndexCount + _wrapperMethods.Count);
            _wrapperMethods.Add(method);
            var index = Code.FunctionIndexCount + _wrapperMethods.Count - 1;

            // Grow the slot and method tables; compiled code reads the slot array from its static
            // field on every call, so publishing the new array is enough.
            var slots = new nint[index + 1];
            Array.Copy(_slots, slots, _slots.Length);
            slots[index] = method.MethodHandle.GetFunctionPointer();
            var compiled = new MethodInfo?[index + 1];
            Array.Copy(_compiled, compiled, _compiled.Length);
            compiled[index] = method;
            _compiled = compiled;
            _slots = slots;
            SlotsField.SetValue(null, slots);
            _wrapperSlots[target] = index;
            return index;
        }
    }

    private MethodInfo EmitWrapper(HlRuntimeType target, int index)
    {
        var parameters = target.Arguments.Select(a => a.Storage).ToArray();
        var ret = target.Return!.Storage;
        var builder = ModuleBuilder.DefineType($"wrap{index}", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var method = builder.DefineMethod("Invoke", MethodAttributes.Public | MethodAttributes.Static, ret, [typeof(object), .. parameters]);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldsfld, ModuleField);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, typeof(HlClosure));
        il.Emit(OpCodes.Ldc_I4, parameters.Length);
        il.Emit(OpCodes.Newarr, typeof(object));
        for (var i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldarg, i + 1);
            switch (target.Arguments[i].Kind)
            {
                case HlTypeKind.UI8:
                    il.Emit(OpCodes.Conv_U1);
                    il.Emit(OpCodes.Box, typeof(byte));
                    break;
                case HlTypeKind.UI16:
                    il.Emit(OpCodes.Conv_U2);
                    il.Emit(OpCodes.Box, typeof(ushort));
                    break;
                default:
                    if (parameters[i] != typeof(object))
                    {
                        il.Emit(OpCodes.Box, parameters[i]);
                    }

                    break;
            }

            il.Emit(OpCodes.Stelem_Ref);
        }

        il.Emit(OpCodes.Callvirt, typeof(HlModule).GetMethod(nameof(CallWrappedByClosure))!);
        if (ret == typeof(void))
        {
            il.Emit(OpCodes.Pop);
        }
        else if (ret != typeof(object))
        {
            il.Emit(OpCodes.Call, typeof(RuntimeOps).GetMethod(
                ret == typeof(int) ? nameof(RuntimeOps.DynToInt)
                : ret == typeof(long) ? nameof(RuntimeOps.DynToLong)
                : ret == typeof(double) ? nameof(RuntimeOps.DynToDouble)
                : ret == typeof(float) ? nameof(RuntimeOps.DynToFloat)
                : nameof(RuntimeOps.DynToBool))!);
        }
        else
        {
            var result = il.DeclareLocal(typeof(object));
            il.Emit(OpCodes.Stloc, result);
            il.Emit(OpCodes.Ldsfld, ModuleField);
            il.Emit(OpCodes.Ldloc, result);
            il.Emit(OpCodes.Ldsfld, TypesField);
            il.Emit(OpCodes.Ldc_I4, Array.IndexOf(Types, target.Return));
            il.Emit(OpCodes.Ldelem_Ref);
            il.Emit(OpCodes.Callvirt, typeof(HlModule).GetMethod(nameof(DynCast))!);
        }

        il.Emit(OpCodes.Ret);
        return builder.CreateType().GetMethod("Invoke")!;
    }

    /// <summary>The body of every wrapper: calls the wrapped closure with the boxed arguments.</summary>
    public object? CallWrappedByClosure(HlClosure inner, object?[] args) => CallDynamic(inner, args);
}
