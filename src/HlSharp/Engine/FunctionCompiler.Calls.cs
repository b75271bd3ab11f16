using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

// The runtime's object base, not the public view of the same name in the enclosing HlSharp namespace.

internal sealed partial class FunctionCompiler
{
    private void EmitStaticCall(int dst, int functionIndex, ImmutableArray<int> args)
    {
        var type = _code.GetFunctionType(functionIndex);
        if (CallsItselfDirectly(functionIndex))
        {
            PushArguments(args, SourceType(type).Arguments);
            _il.Emit(OpCodes.Call, _method);
            StoreResult(dst, StorageTypes.Of(type.ReturnType));
            return;
        }

        if (DirectTarget(functionIndex) is { } direct)
        {
            PushArguments(args, SourceType(type).Arguments);
            _il.Emit(OpCodes.Call, direct);
            StoreResult(dst, StorageTypes.Of(type.ReturnType));
            return;
        }

        var target = StoreSlotAddress(() => LoadSlotAddress(_map.Function(functionIndex)));
        PushArguments(args, SourceType(type).Arguments);
        _il.Emit(OpCodes.Ldloc, target);
        EmitCalli(type.Arguments.Select(StorageTypes.OfArgument), StorageTypes.Of(type.ReturnType));
        StoreResult(dst, StorageTypes.Of(type.ReturnType));
    }

    /// <summary>
    /// Whether a call to <paramref name="functionIndex"/> may be a plain <c>call</c> of the method
    /// being compiled: it is a call of this function from itself, and nothing can ever put another
    /// body in its slot. Only a hot reload rewrites a function's slot (natives are not compiled
    /// here), so without one the body that runs is the body it calls. It saves recursion the slot's
    /// load and test on every call.
    /// </summary>
    private bool CallsItselfDirectly(int functionIndex) =>
        !_m.HotReload && _map.IsIdentity && Dropped is null && functionIndex == _f.Index;

    /// <summary>
    /// The method a call of <paramref name="functionIndex"/> may name directly (<see cref="HlModule.DirectCallTarget"/>),
    /// or null when it goes through the slot; never while compiling a reload's code.
    /// </summary>
    private MethodInfo? DirectTarget(int functionIndex) =>
        _map.IsIdentity && Dropped is null ? _m.DirectCallTarget(functionIndex) : null;

    /// <summary>
    /// A method call on a class instance whose slot no subclass overrides, as a plain call of the
    /// one function it can reach. The receiver is tested first, as reading its method table did:
    /// a null receiver is a <see cref="NullReferenceException"/> ("Null access") thrown by this
    /// frame at this operation, not a null <c>this</c> in the callee.
    /// </summary>
    private bool TryEmitDevirtualizedCall(int dst, HlRuntimeType receiver, int slot, int declared, HlRuntimeType type, IReadOnlyList<int> args)
    {
        if (_m.FixedMethodTarget(receiver, slot) != declared || DirectTarget(declared) is not { } direct)
        {
            return false;
        }

        var present = _il.DefineLabel();
        Load(args[0]);
        _il.Emit(OpCodes.Brtrue, present);
        _il.Emit(OpCodes.Ldnull);
        _il.Emit(OpCodes.Throw);
        _il.MarkLabel(present);
        PushArguments(args, type.Arguments);
        _il.Emit(OpCodes.Call, direct);
        StoreResult(dst, type.Return!.Storage);
        return true;
    }

    private void EmitMethodCall(int dst, int slotOrField, IReadOnlyList<int> args)
    {
        var receiver = RegRt(args[0]);
        if (receiver.Kind is HlTypeKind.Obj or HlTypeKind.Struct)
        {
            // A reload may have given an added method another slot than the new version's (CodeIndexMap.ProtoSlot).
            var slot = _map.ProtoSlot(_map.Type(_f.Registers[args[0]].Index), slotOrField);
            var declared = FindProtoBySlot(receiver, slot)
                ?? throw Error($"{receiver.Name} has no method in slot {slotOrField}");
            // The receiver's type is the module's, so is the method it finds: read its signature there.
            var type = _m.FunctionType(declared);
            if (TryEmitDevirtualizedCall(dst, receiver, slot, declared, type, args))
            {
                return;
            }

            var index = Scratch(typeof(int));
            Load(args[0]);
            EmitCastToInstance(args[0], typeof(HlInstance));
            _il.Emit(OpCodes.Ldfld, typeof(HlInstance).GetField(nameof(HlInstance.Type))!);
            _il.Emit(OpCodes.Call, typeof(HlRuntimeType).GetProperty(nameof(HlRuntimeType.VTable))!.GetMethod!);
            _il.Emit(OpCodes.Ldc_I4, slot);
            _il.Emit(OpCodes.Ldelem_I4);
            _il.Emit(OpCodes.Stloc, index);
            var target = StoreSlotAddress(() => LoadSlotAddress(() => _il.Emit(OpCodes.Ldloc, index)));
            PushArguments(args, type.Arguments);
            _il.Emit(OpCodes.Ldloc, target);
            EmitCalli(type.Arguments.Select(a => StorageTypes.OfArgument(a.Kind)), type.Return!.Storage);
            StoreResult(dst, type.Return!.Storage);
            return;
        }

        if (receiver.Kind == HlTypeKind.Virtual && (uint)slotOrField < (uint)receiver.Fields.Length)
        {
            // A method of a structural type: found by name on whatever object is behind it.
            EmitVirtualMethodCall(dst, receiver.Fields[slotOrField], args);
            return;
        }

        throw Error($"method call on a value of type {receiver}");
    }

    private void EmitClosureCall(int dst, int closureRegister, ImmutableArray<int> args)
    {
        var closureType = RegRt(closureRegister);
        if (closureType.Kind != HlTypeKind.Fun)
        {
            LoadDynamics();
            Load(closureRegister);
            EmitConvert(RegStorage(closureRegister), typeof(object));
            PushBoxedArray(args);
            CallDynamics(nameof(HlRuntime.CallDynamic));
            EmitCastFromDynamic(dst);
            Store(dst);
            return;
        }

        var parameters = closureType.Arguments.Select(a => StorageTypes.OfArgument(a.Kind)).ToArray();
        var ret = closureType.Return!.Storage;
        var closure = _il.DeclareLocal(typeof(HlClosure));
        Load(closureRegister);
        _il.Emit(OpCodes.Castclass, typeof(HlClosure));
        _il.Emit(OpCodes.Stloc, closure);
        var target = StoreSlotAddress(() => LoadClosureSlot(closure));
        EmitCalliWithOptionalSelf(
            () =>
            {
                _il.Emit(OpCodes.Ldloc, closure);
                _il.Emit(OpCodes.Ldfld, typeof(HlClosure).GetField(nameof(HlClosure.HasValue))!);
            },
            () =>
            {
                _il.Emit(OpCodes.Ldloc, closure);
                _il.Emit(OpCodes.Ldfld, typeof(HlClosure).GetField(nameof(HlClosure.BoundValue))!);
            },
            args,
            closureType.Arguments,
            target,
            parameters,
            ret);
        StoreResult(dst, ret);
    }

    /// <summary>
    /// Calls the entry address in <paramref name="target"/> with <paramref name="args"/>, preceded
    /// by a first argument (what <paramref name="pushSelf"/> pushes) when the bool
    /// <paramref name="pushHasSelf"/> pushes is true: a bound closure's value, or a method's
    /// receiver. The result, of storage <paramref name="ret"/>, is left on the stack.
    /// </summary>
    private void EmitCalliWithOptionalSelf(Action pushHasSelf, Action pushSelf, IReadOnlyList<int> args, HlRuntimeType[] argumentTypes, LocalBuilder target, Type[] parameters, Type ret)
    {
        var withoutSelf = _il.DefineLabel();
        var joined = _il.DefineLabel();
        pushHasSelf();
        _il.Emit(OpCodes.Brfalse, withoutSelf);

        pushSelf();
        PushArguments(args, argumentTypes);
        _il.Emit(OpCodes.Ldloc, target);
        EmitCalli([typeof(object), .. parameters], ret);
        _il.Emit(OpCodes.Br, joined);

        _il.MarkLabel(withoutSelf);
        PushArguments(args, argumentTypes);
        _il.Emit(OpCodes.Ldloc, target);
        EmitCalli(parameters, ret);

        _il.MarkLabel(joined);
    }

    private void LoadClosureSlot(LocalBuilder closure) => LoadSlotAddress(() =>
    {
        _il.Emit(OpCodes.Ldloc, closure);
        _il.Emit(OpCodes.Ldfld, typeof(HlClosure).GetField(nameof(HlClosure.FunctionIndex))!);
    });

    private void EmitVirtualClosure(HlOp op)
    {
        var receiver = RegRt(op.P2);
        if (receiver.Kind is HlTypeKind.Obj or HlTypeKind.Struct)
        {
            LoadType(RegRt(op.P1));
            Load(op.P2);
            EmitCastToInstance(op.P2, typeof(HlInstance));
            _il.Emit(OpCodes.Ldfld, typeof(HlInstance).GetField(nameof(HlInstance.Type))!);
            _il.Emit(OpCodes.Call, typeof(HlRuntimeType).GetProperty(nameof(HlRuntimeType.VTable))!.GetMethod!);
            _il.Emit(OpCodes.Ldc_I4, _map.ProtoSlot(_map.Type(_f.Registers[op.P2].Index), op.P3));
            _il.Emit(OpCodes.Ldelem_I4);
            Load(op.P2);
            _il.Emit(OpCodes.Ldc_I4_1);
            _il.Emit(OpCodes.Newobj, typeof(HlClosure).GetConstructors()[0]);
            Store(op.P1);
            return;
        }

        if (receiver.Kind == HlTypeKind.Virtual && (uint)op.P3 < (uint)receiver.Fields.Length)
        {
            LoadDynamics();
            Load(op.P2);
            _il.Emit(OpCodes.Ldc_I4, receiver.Fields[op.P3].Hash);
            CallDynamics(nameof(HlRuntime.DynGetField));
            EmitCastFromDynamic(op.P1);
            Store(op.P1);
            return;
        }

        throw Error($"method closure on a value of type {receiver}");
    }

    /// <summary>
    /// The function a method-table slot holds for the receiver's static type: the nearest
    /// declaration from that type up (as the method table is built). Read from the table as this
    /// compile sees it, so a method a reload is adding is found before the table is published.
    /// </summary>
    private int? FindProtoBySlot(HlRuntimeType type, int slot)
    {
        var table = _map.VTableOf(type);
        return (uint)slot < (uint)table.Length && table[slot] >= 0 ? table[slot] : null;
    }

    private void PushArguments(IReadOnlyList<int> args, HlRuntimeType[] parameters)
    {
        if (args.Count != parameters.Length)
        {
            throw Error($"call passes {args.Count} arguments to a function of {parameters.Length}");
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            PushArgument(args[i], parameters[i]);
        }
    }

    private void PushArgument(int r, HlRuntimeType parameter)
    {
        if (parameter.Kind == HlTypeKind.Void)
        {
            // Whatever the register holds, a void parameter receives null (see StorageTypes.OfArgument).
            _il.Emit(OpCodes.Ldnull);
            return;
        }

        Load(r);
        EmitConvert(RegStorage(r), parameter.Storage, parameter);
    }

    /// <summary>Pushes an <c>object?[]</c> holding the registers' values boxed as dynamics.</summary>
    private void PushBoxedArray(IReadOnlyList<int> registers)
    {
        _il.Emit(OpCodes.Ldc_I4, registers.Count);
        _il.Emit(OpCodes.Newarr, typeof(object));
        for (var i = 0; i < registers.Count; i++)
        {
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Ldc_I4, i);
            Load(registers[i]);
            EmitBox(RegStorage(registers[i]), RegType(registers[i]).Kind);
            _il.Emit(OpCodes.Stelem_Ref);
        }
    }

    /// <summary>
    /// Runs <paramref name="loadSlot"/> and keeps the address in a local. Call sites resolve the
    /// callee before they push arguments, while the evaluation stack is empty: code in collectible
    /// assemblies is fully optimised at once (no tier 0), and there only a call whose arguments
    /// start at an empty stack inside its operation maps back to that operation in stack traces.
    /// </summary>
    private LocalBuilder StoreSlotAddress(Action loadSlot)
    {
        var target = Scratch(typeof(nint));
        loadSlot();
        _il.Emit(OpCodes.Stloc, target);
        return target;
    }

    /// <summary>Pushes the entry address of a known function (its slot's address is a constant), compiling it on first use.</summary>
    private void LoadSlotAddress(int functionIndex) => LoadSlotAddress(() => _il.Emit(OpCodes.Ldc_I4, functionIndex), functionIndex);

    /// <summary>Pushes the entry address of the function whose index <paramref name="pushIndex"/> pushes, compiling it on first use.</summary>
    private void LoadSlotAddress(Action pushIndex, int constantIndex = -1)
    {
        var ready = _il.DefineLabel();
        if (constantIndex >= 0)
        {
            _m.Emitter.EmitLoadSlot(_il, constantIndex);
            if (_m.Emitter.IsSlotBound(constantIndex))
            {
                // Compiled already (or bound before any code runs), and a slot is never emptied
                // again (compiling and hot reloads write only entry addresses): the test could only ever pass.
                return;
            }
        }
        else
        {
            pushIndex();
            _m.Emitter.EmitLoadSlotAt(_il);
        }

        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Brtrue, ready);
        _il.Emit(OpCodes.Pop);
        LoadModule();
        pushIndex();
        CallModule(nameof(HlModule.EnsureCompiled));
        _il.MarkLabel(ready);
    }

    private void EmitCalli(IEnumerable<Type> parameters, Type ret) =>
        _il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, ret, [.. parameters], null);

    private void StoreResult(int dst, Type returned)
    {
        if (returned == typeof(void))
        {
            return;
        }

        if (RegStorage(dst) == typeof(void))
        {
            _il.Emit(OpCodes.Pop);
            return;
        }

        EmitConvert(returned, dst);
        Store(dst);
    }

    /// <summary>Calls and closures.</summary>
    private bool EmitCallOp(HlOp op)
    {
        switch (op.Opcode)
        {
            case >= HlOpcode.Call0 and <= HlOpcode.CallN:
                EmitStaticCall(op.P1, op.P2, op.GetCallArguments());
                break;
            case HlOpcode.CallMethod:
                EmitMethodCall(op.P1, op.P2, op.Extra);
                break;
            case HlOpcode.CallThis:
                EmitMethodCall(op.P1, op.P2, [0, .. op.Extra]);
                break;
            case HlOpcode.CallClosure:
                EmitClosureCall(op.P1, op.P2, op.Extra);
                break;
            case HlOpcode.StaticClosure:
                LoadDynamics();
                _il.Emit(OpCodes.Ldc_I4, _map.Function(op.P2));
                CallDynamics(nameof(HlRuntime.GetStaticClosure));
                Store(op.P1);
                break;
            case HlOpcode.InstanceClosure:
                LoadType(RegRt(op.P1));
                _il.Emit(OpCodes.Ldc_I4, _map.Function(op.P2));
                Load(op.P3);
                EmitConvert(RegStorage(op.P3), typeof(object));
                _il.Emit(OpCodes.Ldc_I4_1);
                _il.Emit(OpCodes.Newobj, typeof(HlClosure).GetConstructors()[0]);
                Store(op.P1);
                break;
            case HlOpcode.VirtualClosure:
                EmitVirtualClosure(op);
                break;
            default:
                return false;
        }

        return true;
    }
}
