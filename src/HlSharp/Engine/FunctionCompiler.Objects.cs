using System.Collections.Immutable;
using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

// The runtime's object base, not the public view of the same name in the enclosing HlSharp namespace.

internal sealed partial class FunctionCompiler
{
    /// <summary>
    /// The field <paramref name="fieldIndex"/> of register <paramref name="obj"/>'s type, the index
    /// taken through the map: in a newer version of the program (a hot reload), a field added to the
    /// class or a super class shifts the indices after it, while live indices never move.
    /// </summary>
    private HlRuntimeField ObjectField(int obj, int fieldIndex)
    {
        var type = RegRt(obj);
        var fields = type.Fields;
        if (type.Kind is HlTypeKind.Obj or HlTypeKind.Struct && !_map.IsIdentity)
        {
            fieldIndex = _map.Field(_f.Registers[obj].Index, fieldIndex);
            fields = _map.FieldsOf(type);
        }

        return (uint)fieldIndex < (uint)fields.Length ? fields[fieldIndex] : throw Error($"{type.Name} has no field {fieldIndex}");
    }

    /// <summary>
    /// Casts register <paramref name="obj"/>'s object (a class instance) to a .NET class it is
    /// known to derive from, <paramref name="declaring"/> or a subclass of it: the register's own
    /// class, whose check the JIT makes in line when the object is of exactly that class (a
    /// superclass, or the runtime's <see cref="HlInstance"/>, takes a helper that walks the
    /// hierarchy). A reload may swap classes, so then the cast is to <paramref name="declaring"/>.
    /// </summary>
    private void EmitCastToInstance(int obj, Type declaring)
    {
        var own = RegRt(obj).ClrType;
        _il.Emit(OpCodes.Castclass, own is not null && !_m.HotReload ? own : declaring);
    }

    private void EmitGetField(int dst, int obj, int fieldIndex)
    {
        var type = RegRt(obj);
        var field = ObjectField(obj, fieldIndex);
        if (field.IsAdded)
        {
            // A field a hot reload added: its value lives in the instance's Added array (AddedFields).
            var storage = StorageTypes.Of(field.Type.Kind);
            Load(obj);
            _il.Emit(OpCodes.Ldc_I4, field.AddedSlot);
            _il.Emit(OpCodes.Call, typeof(AddedFields).GetMethod(AddedFields.ReaderFor(storage))!);
            EmitConvert(storage, dst);
            Store(dst);
            return;
        }

        if (type.Kind is HlTypeKind.Obj or HlTypeKind.Struct)
        {
            Load(obj);
            EmitCastToInstance(obj, field.Field!.DeclaringType!);
            _il.Emit(OpCodes.Ldfld, field.Field);
            EmitConvert(field.Field.FieldType, dst);
            Store(dst);
            return;
        }

        if (type.Kind == HlTypeKind.Virtual)
        {
            EmitGetByName(dst, () => Load(obj), field.Hash);
            return;
        }

        throw Error($"field access on a value of type {type}");
    }

    private void EmitSetField(int obj, int fieldIndex, int src)
    {
        var type = RegRt(obj);
        var field = ObjectField(obj, fieldIndex);
        if (field.IsAdded)
        {
            var storage = StorageTypes.Of(field.Type.Kind);
            Load(obj);
            _il.Emit(OpCodes.Ldc_I4, field.AddedSlot);
            Load(src);
            EmitConvert(RegStorage(src), storage, field.Type);
            if (field.Type.Kind == HlTypeKind.UI8)
            {
                _il.Emit(OpCodes.Conv_U1);
            }
            else if (field.Type.Kind == HlTypeKind.UI16)
            {
                _il.Emit(OpCodes.Conv_U2);
            }

            if (storage.IsValueType)
            {
                Boxing.Emit(_il, storage);
            }

            _il.Emit(OpCodes.Call, typeof(AddedFields).GetMethod(nameof(AddedFields.Set))!);
            return;
        }

        if (type.Kind is HlTypeKind.Obj or HlTypeKind.Struct)
        {
            Load(obj);
            EmitCastToInstance(obj, field.Field!.DeclaringType!);
            Load(src);
            EmitConvert(RegStorage(src), field.Field.FieldType, field.Type);
            if (field.Type.Kind == HlTypeKind.UI8)
            {
                _il.Emit(OpCodes.Conv_U1);
            }
            else if (field.Type.Kind == HlTypeKind.UI16)
            {
                _il.Emit(OpCodes.Conv_U2);
            }

            _il.Emit(OpCodes.Stfld, field.Field);
            return;
        }

        if (type.Kind == HlTypeKind.Virtual)
        {
            EmitSetByName(() => Load(obj), field.Hash, src, field.Type.Kind == HlTypeKind.Null ? field.Type.Inner!.Kind : RegType(src).Kind);
            return;
        }

        throw Error($"field write on a value of type {type}");
    }

    private void EmitNew(int dst)
    {
        var type = RegRt(dst);
        switch (type.Kind)
        {
            case HlTypeKind.Obj:
            case HlTypeKind.Struct:
                _il.Emit(OpCodes.Newobj, type.ClrConstructor!);
                _il.Emit(OpCodes.Dup);
                LoadType(type);
                _il.Emit(OpCodes.Stfld, typeof(HlInstance).GetField(nameof(HlInstance.Type))!);
                if (type.Bindings.Length > 0)
                {
                    var obj = Scratch(typeof(object));
                    _il.Emit(OpCodes.Stloc, obj);
                    LoadDynamics();
                    _il.Emit(OpCodes.Ldloc, obj);
                    CallDynamics(nameof(HlRuntime.InitBindings));
                    _il.Emit(OpCodes.Ldloc, obj);
                }

                break;
            case HlTypeKind.Virtual:
                LoadDynamics();
                LoadType(type);
                CallDynamics(nameof(HlRuntime.NewVirtual));
                break;
            case HlTypeKind.DynObj:
                _il.Emit(OpCodes.Newobj, typeof(HlDynObj).GetConstructor(Type.EmptyTypes)!);
                break;
            default:
                throw Error($"cannot allocate a value of type {type}");
        }

        Store(dst);
    }

    private void EmitMakeEnum(int dst, int construct, ImmutableArray<int>? args)
    {
        var type = RegRt(dst);
        if (type.Kind != HlTypeKind.Enum || (uint)construct >= (uint)type.ConstructArgs.Length)
        {
            throw Error($"enum constructor {construct} of {type}");
        }

        var parameters = type.ConstructArgs[construct];
        if (args is { } given && given.Length != parameters.Length)
        {
            throw Error($"enum constructor {type.Constructs[construct].Name} takes {parameters.Length} arguments, not {given.Length}");
        }

        LoadType(type);
        _il.Emit(OpCodes.Ldc_I4, construct);
        _il.Emit(OpCodes.Ldc_I4, parameters.Length);
        _il.Emit(OpCodes.Newarr, typeof(object));
        for (var i = 0; i < parameters.Length; i++)
        {
            var storage = parameters[i].Storage;
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Ldc_I4, i);
            if (args is { } values)
            {
                Load(values[i]);
                EmitConvert(RegStorage(values[i]), storage, parameters[i]);
            }
            else
            {
                EmitDefault(storage);
            }

            if (storage != typeof(object))
            {
                Boxing.Emit(_il, storage);
            }

            _il.Emit(OpCodes.Stelem_Ref);
        }

        _il.Emit(OpCodes.Newobj, typeof(HlEnumValue).GetConstructors()[0]);
        Store(dst);
    }

    private void EmitMemoryGet(HlOp op)
    {
        Load(op.P2);
        _il.Emit(OpCodes.Castclass, typeof(HlBytes));
        Load(op.P3);
        CallRuntime("Get" + MemoryWidth(op.Opcode, op.P1));
        Store(op.P1);
    }

    private void EmitMemorySet(HlOp op)
    {
        Load(op.P1);
        _il.Emit(OpCodes.Castclass, typeof(HlBytes));
        Load(op.P2);
        Load(op.P3);
        CallRuntime("Set" + MemoryWidth(op.Opcode, op.P3));
    }

    /// <summary>
    /// The suffix of the <see cref="RuntimeOps"/> memory accessor for an operation: the 8- and
    /// 16-bit opcodes say their width; the others take it from the value register's type.
    /// </summary>
    private string MemoryWidth(HlOpcode opcode, int valueRegister)
    {
        if (opcode is HlOpcode.GetI8 or HlOpcode.SetI8)
        {
            return "U8";
        }

        if (opcode is HlOpcode.GetI16 or HlOpcode.SetI16)
        {
            return "U16";
        }

        return RegType(valueRegister).Kind switch
        {
            HlTypeKind.UI8 or HlTypeKind.Bool => "U8",
            HlTypeKind.UI16 => "U16",
            HlTypeKind.I32 => "I32",
            HlTypeKind.I64 => "I64",
            HlTypeKind.F32 => "F32",
            HlTypeKind.F64 => "F64",
            _ => throw Error($"memory access with a register of type {RegType(valueRegister)}"),
        };
    }

    private void EmitArrayGet(HlOp op)
    {
        var element = StorageTypes.ElementOf(RegType(op.P1).Kind);
        if (element == typeof(void))
        {
            return;
        }

        Load(op.P2);
        _il.Emit(OpCodes.Castclass, typeof(HlArray));
        _il.Emit(OpCodes.Ldfld, typeof(HlArray).GetField(nameof(HlArray.Data))!);
        _il.Emit(OpCodes.Castclass, element.MakeArrayType());
        Load(op.P3);
        _il.Emit(OpCodes.Ldelem, element);
        Store(op.P1);
    }

    private void EmitArraySet(HlOp op)
    {
        var element = StorageTypes.ElementOf(RegType(op.P3).Kind);
        Load(op.P1);
        _il.Emit(OpCodes.Castclass, typeof(HlArray));
        _il.Emit(OpCodes.Ldfld, typeof(HlArray).GetField(nameof(HlArray.Data))!);
        _il.Emit(OpCodes.Castclass, element.MakeArrayType());
        Load(op.P2);
        Load(op.P3);
        _il.Emit(OpCodes.Stelem, element);
    }

    private void EmitCompareJump(HlOp op)
    {
        var (a, b, target) = (op.P1, op.P2, JumpTarget(op.P3));
        var ka = RegType(a).Kind;
        var kb = RegType(b).Kind;
        if (ka is HlTypeKind.Dyn or HlTypeKind.Fun || kb is HlTypeKind.Dyn or HlTypeKind.Fun)
        {
            LoadDynamics();
            Load(a);
            EmitBox(RegStorage(a), ka);
            Load(b);
            EmitBox(RegStorage(b), kb);
            CallDynamics(nameof(HlRuntime.DynCompare));
            _il.Emit(OpCodes.Ldc_I4, (int)op.Opcode);
            CallRuntime(nameof(RuntimeOps.CompareResult));
            BranchIf(OpCodes.Brtrue, target);
            return;
        }

        var sa = RegStorage(a);
        if (sa == typeof(object))
        {
            EmitPointerCompareJump(op.Opcode, a, b, target);
            return;
        }

        var common = CommonStorage(sa, RegStorage(b));
        Load(a);
        EmitConvert(sa, common);
        Load(b);
        EmitConvert(RegStorage(b), common);
        var isFloat = common == typeof(double) || common == typeof(float);
        BranchIf(op.Opcode switch
        {
            HlOpcode.JSLt => OpCodes.Blt,
            HlOpcode.JSGte => OpCodes.Bge,
            HlOpcode.JSGt => OpCodes.Bgt,
            HlOpcode.JSLte => OpCodes.Ble,
            HlOpcode.JULt => OpCodes.Blt_Un,
            HlOpcode.JUGte => OpCodes.Bge_Un,
            HlOpcode.JNotLt => isFloat ? OpCodes.Bge_Un : OpCodes.Bge,
            HlOpcode.JNotGte => isFloat ? OpCodes.Blt_Un : OpCodes.Blt,
            HlOpcode.JEq => OpCodes.Beq,
            _ => OpCodes.Bne_Un,
        }, target);
    }

    private static Type CommonStorage(Type a, Type b) =>
        a == b ? a
        : a == typeof(double) || b == typeof(double) ? typeof(double)
        : a == typeof(float) || b == typeof(float) ? typeof(float)
        : a == typeof(long) || b == typeof(long) ? typeof(long)
        : typeof(int);

    private void EmitPointerCompareJump(HlOpcode opcode, int a, int b, int target)
    {
        var type = RegRt(a);
        var isEquality = opcode is HlOpcode.JEq or HlOpcode.JNotEq;
        if (type.Kind is HlTypeKind.Obj or HlTypeKind.Struct
            && type.MethodsByHash.TryGetValue(_m.Hashes.Hash("__compare"), out var compare))
        {
            EmitCompareWithMethod(opcode, a, b, target, compare);
            return;
        }

        string? helper = type.Kind switch
        {
            HlTypeKind.Type => nameof(RuntimeOps.SameType),
            HlTypeKind.Null => nameof(RuntimeOps.NullableEquals),
            HlTypeKind.Bytes => nameof(RuntimeOps.SamePointer),
            _ => null,
        };

        if (!isEquality)
        {
            // Ordered comparison of pointers: HashLink compares addresses; only bytes have a meaningful order.
            LoadDynamics();
            Load(a);
            Load(b);
            CallDynamics(nameof(HlRuntime.DynCompare));
            _il.Emit(OpCodes.Ldc_I4, (int)opcode);
            CallRuntime(nameof(RuntimeOps.CompareResult));
            BranchIf(OpCodes.Brtrue, target);
            return;
        }

        Load(a);
        Load(b);
        if (helper is null)
        {
            BranchIf(opcode == HlOpcode.JEq ? OpCodes.Beq : OpCodes.Bne_Un, target);
            return;
        }

        CallRuntime(helper);
        BranchIf(opcode == HlOpcode.JEq ? OpCodes.Brtrue : OpCodes.Brfalse, target);
    }

    /// <summary>Compares two instances of a class that defines <c>__compare</c> (String does), as HashLink's JIT does.</summary>
    private void EmitCompareWithMethod(HlOpcode opcode, int a, int b, int target, int compare)
    {
        var ta = _il.DeclareLocal(typeof(object));
        var tb = _il.DeclareLocal(typeof(object));
        Load(a);
        _il.Emit(OpCodes.Stloc, ta);
        Load(b);
        _il.Emit(OpCodes.Stloc, tb);
        var skip = _il.DefineLabel();
        void CallCompare()
        {
            var target = StoreSlotAddress(() => LoadSlotAddress(compare));
            _il.Emit(OpCodes.Ldloc, ta);
            _il.Emit(OpCodes.Ldloc, tb);
            _il.Emit(OpCodes.Ldloc, target);
            EmitCalli([typeof(object), typeof(object)], typeof(int));
        }

        switch (opcode)
        {
            case HlOpcode.JEq:
                _il.Emit(OpCodes.Ldloc, ta);
                _il.Emit(OpCodes.Ldloc, tb);
                BranchIf(OpCodes.Beq, target);
                _il.Emit(OpCodes.Ldloc, ta);
                _il.Emit(OpCodes.Brfalse, skip);
                _il.Emit(OpCodes.Ldloc, tb);
                _il.Emit(OpCodes.Brfalse, skip);
                CallCompare();
                BranchIf(OpCodes.Brfalse, target);
                break;
            case HlOpcode.JNotEq:
                _il.Emit(OpCodes.Ldloc, ta);
                _il.Emit(OpCodes.Ldloc, tb);
                _il.Emit(OpCodes.Beq, skip);
                _il.Emit(OpCodes.Ldloc, ta);
                BranchIf(OpCodes.Brfalse, target);
                _il.Emit(OpCodes.Ldloc, tb);
                BranchIf(OpCodes.Brfalse, target);
                CallCompare();
                BranchIf(OpCodes.Brtrue, target);
                break;
            default:
                _il.Emit(OpCodes.Ldloc, ta);
                _il.Emit(OpCodes.Brfalse, skip);
                _il.Emit(OpCodes.Ldloc, tb);
                _il.Emit(OpCodes.Brfalse, skip);
                CallCompare();
                _il.Emit(OpCodes.Ldc_I4_0);
                BranchIf(opcode switch
                {
                    HlOpcode.JSLt => OpCodes.Blt,
                    HlOpcode.JSGte => OpCodes.Bge,
                    HlOpcode.JSGt => OpCodes.Bgt,
                    HlOpcode.JSLte => OpCodes.Ble,
                    HlOpcode.JULt => OpCodes.Blt_Un,
                    HlOpcode.JUGte => OpCodes.Bge_Un,
                    HlOpcode.JNotLt => OpCodes.Bge,
                    _ => OpCodes.Blt,
                }, target);
                break;
        }

        _il.MarkLabel(skip);
    }

    /// <summary>Globals, object fields and dynamic fields.</summary>
    private bool EmitFieldOp(HlOp op)
    {
        switch (op.Opcode)
        {
            case HlOpcode.GetGlobal:
                _m.Emitter.EmitLoadGlobal(_il, _map.Global(op.P2));
                EmitConvert(StorageTypes.Of(_code.Globals[op.P2]), op.P1);
                Store(op.P1);
                break;
            case HlOpcode.SetGlobal:
                Load(op.P2);
                EmitConvert(RegStorage(op.P2), StorageTypes.Of(_code.Globals[op.P1]), SourceType(_code.Globals[op.P1]));
                _m.Emitter.EmitStoreGlobal(_il, _map.Global(op.P1), Scratch(StorageTypes.Of(_code.Globals[op.P1])));
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
                EmitGetByName(op.P1, () =>
                {
                    Load(op.P2);
                    EmitConvert(RegStorage(op.P2), typeof(object));
                }, _m.Hashes.Hash(_code.Strings[op.P3]));
                break;
            case HlOpcode.DynSet:
                EmitSetByName(() =>
                {
                    Load(op.P1);
                    EmitConvert(RegStorage(op.P1), typeof(object));
                }, _m.Hashes.Hash(_code.Strings[op.P2]), op.P3, RegType(op.P3).Kind);
                break;
            default:
                return false;
        }

        return true;
    }

    /// <summary>Bytes memory, native arrays and allocation.</summary>
    private bool EmitMemoryOp(HlOp op)
    {
        switch (op.Opcode)
        {
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
            default:
                return false;
        }

        return true;
    }
}
