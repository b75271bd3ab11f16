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
            default:
                return false;
        }

        return true;
    }

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
                    _il.Emit(OpCodes.Box, RegStorage(op.P3));
                }

                _il.Emit(OpCodes.Stelem_Ref);
                break;
            default:
                return false;
        }

        return true;
    }
}
