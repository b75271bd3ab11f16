using System.Reflection.Emit;

namespace HlSharp.Engine;

/// <summary>
/// Safe points: every function entry and every backward jump polls the VM's stop flag, so a
/// <c>Sys.exit</c> on another thread or a <see cref="HlVm.Dispose"/> ends every Haxe thread soon,
/// even one in a loop that calls nothing. The fast path is one load from a constant address (no
/// static, no handle) and a branch not taken.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private void EmitBackEdgePoll(int target)
    {
        if (target <= _opIndex)
        {
            EmitSafePoint();
        }
    }

    /// <summary>Emits <c>if (*flag != 0) throw module.StopException();</c>; it leaves the evaluation stack as it was.</summary>
    private void EmitSafePoint()
    {
        var go = _il.DefineLabel();
        _il.Emit(OpCodes.Ldc_I8, (long)_m.Vm.Stop.FlagAddress);
        _il.Emit(OpCodes.Conv_I);
        // Volatile, so the JIT cannot hoist the load out of a loop that stores nothing.
        _il.Emit(OpCodes.Volatile);
        _il.Emit(OpCodes.Ldind_I4);
        _il.Emit(OpCodes.Brfalse, go);
        // The cold path ends in `throw`, which tells the JIT it is rare (collectible code gets no
        // profile-guided layout, see DynamicCodeArena), so it is moved out of the hot path.
        LoadModule();
        CallModule(nameof(HlModule.StopException));
        _il.Emit(OpCodes.Throw);
        _il.MarkLabel(go);
    }
}
