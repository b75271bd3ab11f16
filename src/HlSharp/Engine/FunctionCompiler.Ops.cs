using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

internal sealed partial class FunctionCompiler
{
    /// <summary>Emits one operation: each family of opcodes has its own emitter, which says whether the opcode is one of its own.</summary>
    private void EmitOp(HlOp op)
    {
        if (_skipFrom >= 0 && _opIndex >= _skipFrom && _opIndex < _f.Ops.Length - 1)
        {
            // The event loop appended to the entry, which the host runs instead (EntryEventLoop).
            return;
        }

        if (Dropped is { } dropped && dropped[_opIndex])
        {
            return;
        }

        if (!(EmitValueOp(op) || EmitConversionOp(op) || EmitCallOp(op) || EmitFieldOp(op) || EmitControlOp(op)
            || EmitMemoryOp(op) || EmitTypeAndRefOp(op) || EmitEnumOp(op)))
        {
            EmitUnsupported(op.Opcode);
        }
    }

    /// <summary>Constants, moves and arithmetic.</summary>
    private bool EmitValueOp(HlOp op)
    {
        switch (op.Opcode)
        {
            case HlOpcode.Mov:
                Load(op.P2);
                EmitConvert(RegStorage(op.P2), op.P1);
                Store(op.P1);
                break;
            case HlOpcode.Int:
                _il.Emit(OpCodes.Ldc_I4, _code.Ints[op.P2]);
                EmitConvert(typeof(int), op.P1);
                Store(op.P1);
                break;
            case HlOpcode.Float:
                // HashLink loads a zero constant by clearing the register, so -0.0 becomes +0.0.
                _il.Emit(OpCodes.Ldc_R8, _code.Floats[op.P2] == 0 ? 0.0 : _code.Floats[op.P2]);
                EmitConvert(typeof(double), op.P1);
                Store(op.P1);
                break;
            case HlOpcode.Bool:
                _il.Emit(op.P2 != 0 ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
                Store(op.P1);
                break;
            case HlOpcode.Bytes:
                LoadModule();
                _il.Emit(OpCodes.Ldc_I4, _code.Version < 5 ? _map.String(op.P2) : _map.Bytes(op.P2));
                CallModule(nameof(HlModule.GetBytes));
                Store(op.P1);
                break;
            case HlOpcode.String:
                LoadModule();
                _il.Emit(OpCodes.Ldc_I4, _map.String(op.P2));
                CallModule(nameof(HlModule.GetString));
                Store(op.P1);
                break;
            case HlOpcode.Null:
                EmitDefault(RegStorage(op.P1));
                Store(op.P1);
                break;
            case >= HlOpcode.Add and <= HlOpcode.Xor:
                EmitBinary(op);
                break;
            case HlOpcode.Neg:
                if (RegStorage(op.P1) == typeof(double) || RegStorage(op.P1) == typeof(float))
                {
                    // HashLink negates floats as 0 - x, so -(0.0) is +0.0, not -0.0.
                    EmitDefault(RegStorage(op.P1));
                    Load(op.P2);
                    EmitConvert(RegStorage(op.P2), op.P1);
                    _il.Emit(OpCodes.Sub);
                }
                else
                {
                    Load(op.P2);
                    EmitConvert(RegStorage(op.P2), op.P1);
                    _il.Emit(OpCodes.Neg);
                }

                Store(op.P1);
                break;
            case HlOpcode.Not:
                Load(op.P2);
                _il.Emit(OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Ceq);
                Store(op.P1);
                break;
            case HlOpcode.Incr:
            case HlOpcode.Decr:
                Load(op.P1);
                EmitOne(RegStorage(op.P1));
                _il.Emit(op.Opcode == HlOpcode.Incr ? OpCodes.Add : OpCodes.Sub);
                Store(op.P1);
                break;
            default:
                return false;
        }

        return true;
    }

    /// <summary>Conversions between number types, dynamics and virtuals, and casts.</summary>
    private bool EmitConversionOp(HlOp op)
    {
        switch (op.Opcode)
        {
            case HlOpcode.ToDyn:
                Load(op.P2);
                EmitBox(RegStorage(op.P2), RegType(op.P2).Kind);
                Store(op.P1);
                break;
            case HlOpcode.ToSFloat:
                Load(op.P2);
                EmitConvert(RegStorage(op.P2), op.P1);
                Store(op.P1);
                break;
            case HlOpcode.ToUFloat:
                Load(op.P2);
                _il.Emit(OpCodes.Conv_U4);
                _il.Emit(OpCodes.Conv_R_Un);
                EmitConvert(typeof(double), op.P1);
                Store(op.P1);
                break;
            case HlOpcode.ToInt:
                Load(op.P2);
                EmitConvert(RegStorage(op.P2), op.P1);
                Store(op.P1);
                break;
            case HlOpcode.SafeCast:
                Load(op.P2);
                EmitBox(RegStorage(op.P2), RegType(op.P2).Kind);
                EmitCastFromDynamic(op.P1);
                Store(op.P1);
                break;
            case HlOpcode.UnsafeCast:
                Load(op.P2);
                if (RegStorage(op.P2) == typeof(object) && RegStorage(op.P1) != typeof(object))
                {
                    EmitCastFromDynamic(op.P1);
                }
                else
                {
                    EmitConvert(RegStorage(op.P2), op.P1);
                }

                Store(op.P1);
                break;
            case HlOpcode.ToVirtual:
                LoadDynamics();
                Load(op.P2);
                EmitConvert(RegStorage(op.P2), typeof(object));
                LoadType(RegRt(op.P1));
                CallDynamics(nameof(HlRuntime.ToVirtual));
                Store(op.P1);
                break;
            default:
                return false;
        }

        return true;
    }

    private void EmitDefault(Type storage)
    {
        if (storage == typeof(long))
        {
            _il.Emit(OpCodes.Ldc_I8, 0L);
        }
        else if (storage == typeof(double))
        {
            _il.Emit(OpCodes.Ldc_R8, 0.0);
        }
        else if (storage == typeof(float))
        {
            _il.Emit(OpCodes.Ldc_R4, 0f);
        }
        else if (storage == typeof(object))
        {
            _il.Emit(OpCodes.Ldnull);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_I4_0);
        }
    }

    private void EmitOne(Type storage)
    {
        if (storage == typeof(long))
        {
            _il.Emit(OpCodes.Ldc_I8, 1L);
        }
        else if (storage == typeof(double))
        {
            _il.Emit(OpCodes.Ldc_R8, 1.0);
        }
        else if (storage == typeof(float))
        {
            _il.Emit(OpCodes.Ldc_R4, 1f);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_I4_1);
        }
    }

    /// <summary>Unboxes an object that holds a value of exactly the storage type (enum arguments are boxed that way).</summary>
    private void EmitUnboxStorage(Type storage)
    {
        if (storage != typeof(object))
        {
            _il.Emit(OpCodes.Unbox_Any, storage);
        }
    }

    /// <summary>Converts a dynamic on the stack to register <paramref name="r"/>'s type with HashLink's checked cast.</summary>
    private void EmitCastFromDynamic(int r)
    {
        var storage = RegStorage(r);
        if (storage != typeof(object))
        {
            EmitConvert(typeof(object), storage);
            return;
        }

        var target = RegRt(r);
        if (target.Kind is HlTypeKind.Dyn)
        {
            return;
        }

        // An instance of the class itself (or a subclass: emitted classes derive as Haxe's do) is what
        // DynCast would return unchanged, so test that inline; a reload can swap classes, so not then.
        // The exact class first: the JIT makes GetType() == typeof(C) one compare, while isinst on a
        // class that is not sealed calls a helper that walks the hierarchy.
        var passed = _il.DefineLabel();
        var inline = target.Kind is HlTypeKind.Obj or HlTypeKind.Struct && target.ClrType is not null && !_m.HotReload;
        if (inline)
        {
            // Null too: DynCast returns it as it is.
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Brfalse, passed);
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Callvirt, typeof(object).GetMethod(nameof(GetType))!);
            _il.Emit(OpCodes.Ldtoken, target.ClrType!);
            _il.Emit(OpCodes.Call, typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle))!);
            _il.Emit(OpCodes.Call, typeof(Type).GetMethod("op_Equality")!);
            _il.Emit(OpCodes.Brtrue, passed);
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Isinst, target.ClrType!);
            _il.Emit(OpCodes.Brtrue, passed);
        }

        var value = Scratch(typeof(object));
        _il.Emit(OpCodes.Stloc, value);
        LoadDynamics();
        _il.Emit(OpCodes.Ldloc, value);
        LoadType(target);
        CallDynamics(nameof(HlRuntime.DynCast));
        _il.MarkLabel(passed);
    }

    private void EmitBinary(HlOp op)
    {
        var storage = RegStorage(op.P1);
        Load(op.P2);
        EmitConvert(RegStorage(op.P2), storage);
        Load(op.P3);
        EmitConvert(RegStorage(op.P3), storage);
        var isInt = storage == typeof(int);
        var isLong = storage == typeof(long);
        switch (op.Opcode)
        {
            case HlOpcode.Add: _il.Emit(OpCodes.Add); break;
            case HlOpcode.Sub: _il.Emit(OpCodes.Sub); break;
            case HlOpcode.Mul: _il.Emit(OpCodes.Mul); break;
            case HlOpcode.SDiv:
                if (isInt || isLong)
                {
                    CallRuntime(isInt ? nameof(RuntimeOps.SDiv32) : nameof(RuntimeOps.SDiv64));
                }
                else
                {
                    _il.Emit(OpCodes.Div);
                }

                break;
            case HlOpcode.UDiv: CallRuntime(isLong ? nameof(RuntimeOps.UDiv64) : nameof(RuntimeOps.UDiv32)); break;
            case HlOpcode.SMod:
                if (isInt || isLong)
                {
                    CallRuntime(isInt ? nameof(RuntimeOps.SMod32) : nameof(RuntimeOps.SMod64));
                }
                else
                {
                    _il.Emit(OpCodes.Rem);
                }

                break;
            case HlOpcode.UMod: CallRuntime(isLong ? nameof(RuntimeOps.UMod64) : nameof(RuntimeOps.UMod32)); break;
            case HlOpcode.Shl:
            case HlOpcode.SShr:
            case HlOpcode.UShr:
                // x86 masks the shift count; IL leaves large counts undefined, so mask explicitly.
                if (isLong)
                {
                    _il.Emit(OpCodes.Conv_I4);
                }

                _il.Emit(OpCodes.Ldc_I4, isLong ? 63 : 31);
                _il.Emit(OpCodes.And);
                _il.Emit(op.Opcode == HlOpcode.Shl ? OpCodes.Shl : op.Opcode == HlOpcode.SShr ? OpCodes.Shr : OpCodes.Shr_Un);
                break;
            case HlOpcode.And: _il.Emit(OpCodes.And); break;
            case HlOpcode.Or: _il.Emit(OpCodes.Or); break;
            case HlOpcode.Xor: _il.Emit(OpCodes.Xor); break;
        }

        Store(op.P1);
    }


}
