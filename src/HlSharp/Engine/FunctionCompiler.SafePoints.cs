using System.Reflection.Emit;
using HlSharp.Bytecode;

namespace HlSharp.Engine;

/// <summary>
/// Safe points: every function entry and every backward jump polls the VM's stop flag, so a
/// <c>Sys.exit</c> on another thread or a <see cref="HlVm.Dispose"/> ends every Haxe thread soon,
/// even one in a loop that calls nothing. The fast path is one load from a constant address (no
/// static, no handle) and a branch not taken.
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>
    /// Polls at entry unless the function is a leaf: one that calls no function and never jumps
    /// back runs a bounded number of operations, and whatever keeps calling it (a loop, a
    /// recursion, a caller that is not a leaf) polls, so skipping its poll cannot delay a stop for
    /// long. Small leaves (getters, string and array helpers) are among the hottest functions,
    /// and there the poll cost up to 8% (bench/programs/json).
    /// </summary>
    private void EmitEntryPoll()
    {
        if (!IsLeaf(_f))
        {
            EmitSafePoint();
        }
    }

    private static bool IsLeaf(HlFunction function)
    {
        var ops = function.Ops;
        for (var i = 0; i < ops.Length; i++)
        {
            var op = ops[i];
            var offset = op.Opcode switch
            {
                >= HlOpcode.Call0 and <= HlOpcode.CallClosure or HlOpcode.Label or HlOpcode.Switch => -1,
                HlOpcode.JAlways => op.P1,
                HlOpcode.JTrue or HlOpcode.JFalse or HlOpcode.JNull or HlOpcode.JNotNull => op.P2,
                >= HlOpcode.JSLt and <= HlOpcode.JNotEq => op.P3,
                _ => 0,
            };
            if (offset < 0)
            {
                return false;
            }
        }

        return true;
    }

    private void EmitBackEdgePoll(int target)
    {
        if (target <= _opIndex)
        {
            EmitSafePoint();
        }
    }

    /// <summary>Emits <c>if (*flag != 0) module.AtSafePoint();</c>; it leaves the evaluation stack as it was.</summary>
    private void EmitSafePoint()
    {
        var go = _il.DefineLabel();
        _il.Emit(OpCodes.Ldc_I8, (long)_m.Vm.Stop.FlagAddress);
        _il.Emit(OpCodes.Conv_I);
        // Volatile, so the JIT cannot hoist the load out of a loop that stores nothing.
        _il.Emit(OpCodes.Volatile);
        _il.Emit(OpCodes.Ldind_I4);
        _il.Emit(OpCodes.Brfalse, go);
        LoadModule();
        CallModule(nameof(HlModule.AtSafePoint));
        _il.MarkLabel(go);
    }
}
