using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

internal sealed partial class FunctionCompiler
{
    private void EmitOp(HlOp op)
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
                _il.Emit(OpCodes.Ldc_I4, op.P2);
                CallModule(nameof(HlModule.GetBytes));
                Store(op.P1);
                break;
            case HlOpcode.String:
                LoadModule();
                _il.Emit(OpCodes.Ldc_I4, op.P2);
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
                LoadModule();
                _il.Emit(OpCodes.Ldc_I4, op.P2);
                CallModule(nameof(HlModule.GetStaticClosure));
                Store(op.P1);
                break;
            case HlOpcode.InstanceClosure:
                LoadType(RegRt(op.P1));
                _il.Emit(OpCodes.Ldc_I4, op.P2);
                Load(op.P3);
                EmitConvert(RegStorage(op.P3), typeof(object));
                _il.Emit(OpCodes.Ldc_I4_1);
                _il.Emit(OpCodes.Newobj, typeof(HlClosure).GetConstructors()[0]);
                Store(op.P1);
                break;
            case HlOpcode.VirtualClosure:
                EmitVirtualClosure(op);
                break;
            case HlOpcode.GetGlobal:
                _m.Storage.EmitLoadGlobal(_il, op.P2);
                EmitConvert(StorageTypes.Of(_code.Globals[op.P2]), op.P1);
                Store(op.P1);
                break;
            case HlOpcode.SetGlobal:
                Load(op.P2);
                EmitConvert(RegStorage(op.P2), StorageTypes.Of(_code.Globals[op.P1]), _m.Types[_code.Globals[op.P1].Index]);
                _m.Storage.EmitStoreGlobal(_il, op.P1, Scratch(StorageTypes.Of(_code.Globals[op.P1])));
                break;
            case HlOpcode.Field:
                EmitGetField(op.P1, op.P2, op.P3);
                break;
            case HlOpcode.SetField:
                EmitSetField(op.P1, op.P2, op.P3);
                break;
            case HlOpcode.GetThis:
                EmitGetField(op.P1, 0, op.P2);
                break;
            case HlOpcode.SetThis:
                EmitSetField(0, op.P1, op.P2);
                break;
            case HlOpcode.DynGet:
                LoadModule();
                Load(op.P2);
                EmitConvert(RegStorage(op.P2), typeof(object));
                _il.Emit(OpCodes.Ldc_I4, _m.Hashes.Hash(_code.Strings[op.P3]));
                CallModule(nameof(HlModule.DynGetField));
                EmitCastFromDynamic(op.P1);
                Store(op.P1);
                break;
            case HlOpcode.DynSet:
                LoadModule();
                Load(op.P1);
                EmitConvert(RegStorage(op.P1), typeof(object));
                _il.Emit(OpCodes.Ldc_I4, _m.Hashes.Hash(_code.Strings[op.P2]));
                Load(op.P3);
                EmitBox(RegStorage(op.P3), RegType(op.P3).Kind);
                CallModule(nameof(HlModule.DynSetField));
                break;
            case HlOpcode.JTrue:
            case HlOpcode.JNotNull:
                Load(op.P1);
                BranchIf(OpCodes.Brtrue, JumpTarget(op.P2));
                break;
            case HlOpcode.JFalse:
            case HlOpcode.JNull:
                Load(op.P1);
                BranchIf(OpCodes.Brfalse, JumpTarget(op.P2));
                break;
            case >= HlOpcode.JSLt and <= HlOpcode.JNotEq:
                EmitCompareJump(op);
                break;
            case HlOpcode.JAlways:
                Branch(JumpTarget(op.P1));
                break;
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
                LoadModule();
                Load(op.P2);
                EmitConvert(RegStorage(op.P2), typeof(object));
                LoadType(RegRt(op.P1));
                CallModule(nameof(HlModule.ToVirtual));
                Store(op.P1);
                break;
            case HlOpcode.Label:
            case HlOpcode.Nop:
            case HlOpcode.Prefetch:
            case HlOpcode.EndTrap:
                // EndTrap: the protected region is the span up to the handler (see FindTraps).
                break;
            case HlOpcode.Trap:
                break;
            case HlOpcode.Ret:
                if (_returnType != typeof(void))
                {
                    Load(op.P1);
                    EmitConvert(RegStorage(op.P1), _returnType, _m.Types[_f.Type.ReturnType.Index]);
                }

                Return();
                break;
            case HlOpcode.Throw:
            case HlOpcode.Rethrow:
                LoadModule();
                Load(op.P1);
                EmitConvert(RegStorage(op.P1), typeof(object));
                _il.Emit(op.Opcode == HlOpcode.Throw ? OpCodes.Ldc_I4_0 : OpCodes.Ldc_I4_1);
                CallModule(nameof(HlModule.MakeThrow));
                _il.Emit(OpCodes.Throw);
                break;
            case HlOpcode.Switch:
                EmitSwitch(op);
                break;
            case HlOpcode.NullCheck:
            {
                var ok = _il.DefineLabel();
                Load(op.P1);
                _il.Emit(OpCodes.Brtrue, ok);
                LoadModule();
                if (NullCheckedMember(op.P1) is { } member)
                {
                    _il.Emit(OpCodes.Ldstr, member);
                    CallModule(nameof(HlModule.NullFieldAccess));
                }
                else
                {
                    CallModule(nameof(HlModule.NullAccess));
                }

                _il.Emit(OpCodes.Throw);
                _il.MarkLabel(ok);
                break;
            }

            case HlOpcode.GetI8:
            case HlOpcode.GetI16:
            case HlOpcode.GetMem:
                EmitMemoryGet(op);
                break;
            case HlOpcode.SetI8:
            case HlOpcode.SetI16:
            case HlOpcode.SetMem:
                EmitMemorySet(op);
                break;
            case HlOpcode.GetArray:
                EmitArrayGet(op);
                break;
            case HlOpcode.SetArray:
                EmitArraySet(op);
                break;
            case HlOpcode.New:
                EmitNew(op.P1);
                break;
            case HlOpcode.ArraySize:
                Load(op.P2);
                _il.Emit(OpCodes.Castclass, typeof(HlArray));
                _il.Emit(OpCodes.Call, typeof(HlArray).GetProperty(nameof(HlArray.Length))!.GetMethod!);
                Store(op.P1);
                break;
            case HlOpcode.Type:
                LoadTypeIndex(op.P2);
                Store(op.P1);
                break;
            case HlOpcode.GetType:
                LoadModule();
                Load(op.P2);
                EmitBox(RegStorage(op.P2), RegType(op.P2).Kind);
                CallModule(nameof(HlModule.TypeOfValue));
                Store(op.P1);
                break;
            case HlOpcode.GetTID:
                Load(op.P2);
                _il.Emit(OpCodes.Castclass, typeof(HlRuntimeType));
                _il.Emit(OpCodes.Call, typeof(HlRuntimeType).GetProperty(nameof(HlRuntimeType.Kind))!.GetMethod!);
                Store(op.P1);
                break;
            case HlOpcode.Ref:
                if (_cells[op.P2] is not { } cell)
                {
                    throw Error($"reference to register {op.P2}, which holds no value");
                }

                _il.Emit(OpCodes.Ldloc, cell);
                Store(op.P1);
                break;
            case HlOpcode.Unref:
            {
                var cellType = typeof(HlRef<>).MakeGenericType(RegStorage(op.P1));
                Load(op.P2);
                _il.Emit(OpCodes.Castclass, cellType);
                _il.Emit(OpCodes.Ldfld, HelperMethods.CellValue(cellType));
                Store(op.P1);
                break;
            }

            case HlOpcode.Setref:
            {
                var cellType = typeof(HlRef<>).MakeGenericType(RegStorage(op.P2));
                Load(op.P1);
                _il.Emit(OpCodes.Castclass, cellType);
                Load(op.P2);
                _il.Emit(OpCodes.Stfld, HelperMethods.CellValue(cellType));
                break;
            }

            case HlOpcode.MakeEnum:
                EmitMakeEnum(op.P1, op.P2, op.Extra);
                break;
            case HlOpcode.EnumAlloc:
                EmitMakeEnum(op.P1, op.P2, null);
                break;
            case HlOpcode.EnumIndex:
                Load(op.P2);
                _il.Emit(OpCodes.Castclass, typeof(HlEnumValue));
                _il.Emit(OpCodes.Ldfld, typeof(HlEnumValue).GetField(nameof(HlEnumValue.Index))!);
                Store(op.P1);
                break;
            case HlOpcode.EnumField:
                Load(op.P2);
                _il.Emit(OpCodes.Castclass, typeof(HlEnumValue));
                _il.Emit(OpCodes.Ldfld, typeof(HlEnumValue).GetField(nameof(HlEnumValue.Args))!);
                _il.Emit(OpCodes.Ldc_I4, op.Extra[0]);
                _il.Emit(OpCodes.Ldelem_Ref);
                EmitUnboxStorage(RegStorage(op.P1));
                Store(op.P1);
                break;
            case HlOpcode.SetEnumField:
                Load(op.P1);
                _il.Emit(OpCodes.Castclass, typeof(HlEnumValue));
                _il.Emit(OpCodes.Ldfld, typeof(HlEnumValue).GetField(nameof(HlEnumValue.Args))!);
                _il.Emit(OpCodes.Ldc_I4, op.P2);
                Load(op.P3);
                if (RegStorage(op.P3) != typeof(object))
                {
                    _il.Emit(OpCodes.Box, RegStorage(op.P3));
                }

                _il.Emit(OpCodes.Stelem_Ref);
                break;
            default:
                EmitUnsupported(op.Opcode);
                break;
        }
    }

    /// <summary>
    /// The member a null check guards, which HashLink's JIT names in its error: the field read or
    /// written, or the function called with the checked value first, by the next operation that is
    /// not a constant or arithmetic.
    /// </summary>
    private string? NullCheckedMember(int register)
    {
        var ops = _f.Ops;
        var next = _opIndex + 1;
        while (next < ops.Length - 1 && ops[next].Opcode is >= HlOpcode.Int and <= HlOpcode.Decr)
        {
            next++;
        }

        if (next >= ops.Length)
        {
            return null;
        }

        var op = ops[next];
        if ((op.Opcode == HlOpcode.Field && op.P2 == register) || (op.Opcode == HlOpcode.SetField && op.P1 == register))
        {
            var type = RegType(register);
            var index = op.Opcode == HlOpcode.Field ? op.P3 : op.P2;
            return HlMembers.Field(type, index)?.Name;
        }

        if (op.Opcode is >= HlOpcode.Call1 and <= HlOpcode.CallN && op.GetCallArguments() is { Length: > 0 } args && args[0] == register
            && _code.GetFunction(op.P2) is not null)
        {
            return _m.Symbols.FieldName(op.P2);
        }

        return null;
    }

    /// <summary>Compiles an operation HlSharp cannot run into a clear run-time error, so the rest of the function still works.</summary>
    private void EmitUnsupported(HlOpcode opcode)
    {
        LoadModule();
        _il.Emit(OpCodes.Ldstr, $"operation {opcode} is not supported by HlSharp (in {_f.Name})");
        CallModule(nameof(HlModule.MakeError));
        _il.Emit(OpCodes.Throw);
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

        var value = Scratch(typeof(object));
        _il.Emit(OpCodes.Stloc, value);
        LoadModule();
        _il.Emit(OpCodes.Ldloc, value);
        LoadType(target);
        CallModule(nameof(HlModule.DynCast));
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

    private void EmitSwitch(HlOp op)
    {
        var targets = op.Extra.Select(JumpTarget).ToArray();
        var direct = targets.Select(t => Leaves(t) ? _il.DefineLabel() : _labels[t]).ToArray();
        var next = _il.DefineLabel();
        Load(op.P1);
        _il.Emit(OpCodes.Switch, direct);
        _il.Emit(OpCodes.Br, next);
        for (var i = 0; i < targets.Length; i++)
        {
            if (direct[i] != _labels[targets[i]])
            {
                _il.MarkLabel(direct[i]);
                _il.Emit(OpCodes.Leave, _labels[targets[i]]);
            }
        }

        _il.MarkLabel(next);
    }
}
