using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

internal sealed partial class FunctionCompiler
{
    /// <summary>Run-time types and references to registers.</summary>
    private bool EmitTypeAndRefOp(HlOp op)
    {
        switch (op.Opcode)
        {
            case HlOpcode.Type:
                LoadTypeIndex(_map.Type(op.P2));
                Store(op.P1);
                break;
            case HlOpcode.GetType:
                LoadDynamics();
                Load(op.P2);
                EmitBox(RegStorage(op.P2), RegType(op.P2).Kind);
                CallDynamics(nameof(HlRuntime.TypeOfValue));
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

                EmitTakeCell(op.P2, cell);
                Store(op.P1);
                break;
            case HlOpcode.Unref:
            {
                // Through Value, not the cell: the reference may be to an array element.
                var storage = RegStorage(op.P1);
                var cellType = typeof(HlRef<>).MakeGenericType(storage);
                Load(op.P2);
                _il.Emit(OpCodes.Castclass, cellType);
                _il.Emit(OpCodes.Call, HelperMethods.RefTarget(cellType));
                _il.Emit(OpCodes.Ldobj, storage);
                Store(op.P1);
                break;
            }

            case HlOpcode.Setref:
            {
                var storage = RegStorage(op.P2);
                var cellType = typeof(HlRef<>).MakeGenericType(storage);
                Load(op.P1);
                _il.Emit(OpCodes.Castclass, cellType);
                _il.Emit(OpCodes.Call, HelperMethods.RefTarget(cellType));
                Load(op.P2);
                _il.Emit(OpCodes.Stobj, storage);
                break;
            }

            case HlOpcode.RefData:
                EmitRefData(op);
                break;
            case HlOpcode.RefOffset:
            {
                var cellType = typeof(HlRef<>).MakeGenericType(RefElementStorage(op.P1));
                Load(op.P2);
                _il.Emit(OpCodes.Castclass, cellType);
                Load(op.P3);
                _il.Emit(OpCodes.Call, HelperMethods.Get(cellType, nameof(HlRef<int>.Offset)));
                Store(op.P1);
                break;
            }
            default:
                return false;
        }

        return true;
    }

    /// <summary>A reference to a native array's first element: <c>NativeArray.getRef()</c>, which Haxe 4.3's atomics use.</summary>
    private void EmitRefData(HlOp op)
    {
        var cellType = typeof(HlRef<>).MakeGenericType(RefElementStorage(op.P1));
        Load(op.P2);
        _il.Emit(OpCodes.Call, HelperMethods.Get(cellType, nameof(HlRef<int>.FirstElementOf)));
        Store(op.P1);
    }

    /// <summary>The storage of what a reference register points to.</summary>
    private Type RefElementStorage(int register) => RegType(register) is HlWrapperType { Kind: HlTypeKind.Ref } reference
        ? StorageTypes.Of(reference.Inner)
        : throw Error($"register {register} is {RegType(register).Kind}, not a reference");

    /// <summary>Enum values: construction, index and fields.</summary>
    private bool EmitEnumOp(HlOp op)
    {
        switch (op.Opcode)
        {
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
                    Boxing.Emit(_il, RegStorage(op.P3));
                }

                _il.Emit(OpCodes.Stelem_Ref);
                break;
            default:
                return false;
        }

        return true;
    }
}
