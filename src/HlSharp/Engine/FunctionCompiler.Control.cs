using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

internal sealed partial class FunctionCompiler
{
    /// <summary>Jumps, traps, returns, throws and null checks.</summary>
    private bool EmitControlOp(HlOp op)
    {
        switch (op.Opcode)
        {
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
                    EmitConvert(RegStorage(op.P1), _returnType, SourceType(_f.Type.ReturnType));
                }

                Return();
                break;
            case HlOpcode.Throw:
            case HlOpcode.Rethrow:
                LoadDynamics();
                Load(op.P1);
                EmitConvert(RegStorage(op.P1), typeof(object));
                _il.Emit(op.Opcode == HlOpcode.Throw ? OpCodes.Ldc_I4_0 : OpCodes.Ldc_I4_1);
                CallDynamics(nameof(HlRuntime.MakeThrow));
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
                LoadDynamics();
                if (NullCheckedMember(op.P1) is { } member)
                {
                    _il.Emit(OpCodes.Ldstr, member);
                    CallDynamics(nameof(HlRuntime.NullFieldAccess));
                }
                else
                {
                    CallDynamics(nameof(HlRuntime.NullAccess));
                }

                _il.Emit(OpCodes.Throw);
                _il.MarkLabel(ok);
                break;
            }
            default:
                return false;
        }

        return true;
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
            return _m.FunctionFieldName(_map.Function(op.P2));
        }

        return null;
    }

    /// <summary>Compiles an operation HlSharp cannot run into a clear run-time error, so the rest of the function still works.</summary>
    private void EmitUnsupported(HlOpcode opcode)
    {
        LoadDynamics();
        _il.Emit(OpCodes.Ldstr, $"operation {opcode} is not supported by HlSharp (in {_f.Name})");
        CallDynamics(nameof(HlRuntime.MakeError));
        _il.Emit(OpCodes.Throw);
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
