using System.Reflection.Emit;
using HlSharp.Bytecode;

namespace HlSharp.Engine;

/// <summary>
/// Safe points: function entries and loop heads (targets of backward jumps), so a <c>Sys.exit</c>
/// on another thread, a <see cref="HlVm.Dispose"/> or a cancelled host call reaches every Haxe
/// thread soon, even one in a loop that calls nothing. A function entry's poll is its stack check
/// (<see cref="EmitStackGuard"/>), whose limit a raised attention poisons; a loop head's is one
/// load of the VM's attention flag from a constant address (no static, no handle) and a branch
/// not taken, emitted with the evaluation stack empty (a poll between a jump's operands and the
/// jump made the JIT spill them). Slow paths, calls, are written after the method's return; the
/// JIT still lays blocks out as it sees fit. What the polls cost: <c>bench/HlSharp.Bench -- polls</c>.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private readonly List<(Label Cold, Label Back)> _coldSafePoints = [];
    private (Label Cold, Label Back, LocalBuilder Probe)? _coldStackGuard;
    private List<int>[]? _predecessors;
    private Dictionary<int, bool>? _loopHeads;

    /// <summary>The flag's address in a local, loaded once at entry, when the emitter would load it from a static at every poll.</summary>
    private LocalBuilder? _stopFlag;

    /// <summary>
    /// Every function starts with <c>if (!(OwnerLow &lt; &amp;probe &amp;&amp; &amp;probe &lt; OwnerTop)
    /// &amp;&amp; &amp;probe &lt;= StackGuard.Limit) StackGuard.Arrive(&amp;probe, module);</c>: the check
    /// that turns deep Haxe recursion into a catchable <c>Stack overflow</c> rather than a
    /// process-killing overflow, and the entry's safe-point poll, against limits that a stop
    /// poisons (<see cref="StackGuard"/>). In line, the probe is compared with the owner thread's
    /// range, two plain statics; anything outside it, another thread or a poisoned range, goes to
    /// a block after the method's return (entries are in no trap) that compares with the
    /// thread-static limit before it calls the slow path.
    /// </summary>
    private void EmitStackGuard()
    {
        var probe = _il.DeclareLocal(typeof(nint));
        var cold = _il.DefineLabel();
        var back = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloca, probe);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Call, typeof(StackGuard).GetProperty(nameof(StackGuard.OwnerLow))!.GetMethod!);
        _il.Emit(OpCodes.Ble_Un, cold);
        _il.Emit(OpCodes.Ldloca, probe);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Call, typeof(StackGuard).GetProperty(nameof(StackGuard.OwnerTop))!.GetMethod!);
        _il.Emit(OpCodes.Bge_Un, cold);
        _il.MarkLabel(back);
        _coldStackGuard = (cold, back, probe);
    }

    /// <summary>The slow path of <see cref="EmitStackGuard"/>, after the method's return.</summary>
    private void EmitColdStackGuard()
    {
        if (_coldStackGuard is null)
        {
            return; // a leaf has no guard
        }

        var (cold, back, probe) = _coldStackGuard.Value;
        _il.MarkLabel(cold);
        _il.Emit(OpCodes.Ldloca, probe);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Call, typeof(StackGuard).GetProperty(nameof(StackGuard.Limit))!.GetMethod!);
        _il.Emit(OpCodes.Bgt_Un, back);
        _il.Emit(OpCodes.Ldloca, probe);
        _il.Emit(OpCodes.Conv_U);
        if (_m.SafePointPolls)
        {
            LoadModule();
            _il.Emit(OpCodes.Call, typeof(StackGuard).GetMethod(nameof(StackGuard.Arrive))!);
        }
        else
        {
            _il.Emit(OpCodes.Call, typeof(StackGuard).GetMethod(nameof(StackGuard.Check))!);
        }

        _il.Emit(OpCodes.Br, back);
    }

    /// <summary>
    /// At the head of a loop (the target of a jump that goes backwards), polls, once per time
    /// round; called with the evaluation stack empty. At the head rather than at the back edge, the
    /// bottom of the loop stays a plain jump, which the JIT can turn into the loop's test (loop
    /// inversion). The load is volatile unless every loop closed there calls or stores.
    /// </summary>
    /// <summary>
    /// Loads the flag's address into a local at entry when the emitter reads it from a static
    /// (code written ahead of time) and the function has loops: the JIT cannot hoist that load out
    /// of a loop whose poll is a volatile read, and the local costs what a constant does.
    /// </summary>
    private void LoadStopFlagOnce()
    {
        _loopHeads ??= LoopHeads();
        if (_m.SafePointPolls && !_m.Emitter.StopFlagIsConstant && _loopHeads.Count > 0)
        {
            _stopFlag = _il.DeclareLocal(typeof(nint));
            _m.Emitter.EmitStopFlagAddress(_il);
            _il.Emit(OpCodes.Stloc, _stopFlag);
        }
    }

    private void EmitLoopHeadPoll()
    {
        _loopHeads ??= LoopHeads();
        if (_loopHeads.TryGetValue(_opIndex, out var mayBeHoisted))
        {
            EmitSafePoint(mayBeHoisted);
        }
    }

    /// <summary>The operations some later jump goes back to, each with whether a loop closed there may let the JIT hoist a plain load.</summary>
    private Dictionary<int, bool> LoopHeads()
    {
        var heads = new Dictionary<int, bool>();
        var ops = _f.Ops;
        for (var i = 0; i < ops.Length; i++)
        {
            foreach (var target in JumpTargets(ops[i], i))
            {
                if (target >= 0 && target <= i)
                {
                    var hoistable = !LoopCallsOrStores(target, i);
                    heads[target] = heads.GetValueOrDefault(target) || hoistable;
                }
            }
        }

        return heads;
    }

    /// <summary>
    /// Whether the loop closed by the jump at <paramref name="backEdge"/> to <paramref name="header"/>
    /// calls something or stores to memory on some path around it. Then the JIT cannot move the
    /// poll's load out of the loop (a call or a store may change what it reads), and a plain load
    /// is enough. A loop that does neither polls with a volatile load, which the JIT must repeat
    /// every time round. The loop is what can reach the back edge without passing its header
    /// (ops between the two that leave the loop, such as a <c>break</c>'s call, do not count).
    /// </summary>
    private bool LoopCallsOrStores(int header, int backEdge)
    {
        _predecessors ??= Predecessors();
        var seen = new HashSet<int> { backEdge };
        var pending = new Stack<int>();
        pending.Push(backEdge);
        while (pending.Count > 0)
        {
            var op = pending.Pop();
            if (CallsOrStores(_f.Ops[op].Opcode))
            {
                return true;
            }

            if (op == header)
            {
                continue;
            }

            foreach (var from in _predecessors[op])
            {
                if (from >= header && from <= backEdge && seen.Add(from))
                {
                    pending.Push(from);
                }
            }
        }

        return false;
    }

    /// <summary>Operations compiled to a call (of a Haxe function, a native or a runtime helper) or a store to memory.</summary>
    private static bool CallsOrStores(HlOpcode opcode) => opcode is
        (>= HlOpcode.Call0 and <= HlOpcode.CallClosure)
        or HlOpcode.SetGlobal or HlOpcode.SetField or HlOpcode.SetThis or HlOpcode.DynGet or HlOpcode.DynSet
        or (>= HlOpcode.SetI8 and <= HlOpcode.SetArray) or HlOpcode.Setref or HlOpcode.SetEnumField;

    /// <summary>For each operation, the operations that can pass control to it (a trap's body passes it to the handler).</summary>
    private List<int>[] Predecessors()
    {
        var ops = _f.Ops;
        var predecessors = new List<int>[ops.Length + 1];
        for (var i = 0; i < predecessors.Length; i++)
        {
            predecessors[i] = [];
        }

        for (var i = 0; i < ops.Length; i++)
        {
            if (ops[i].Opcode is not (HlOpcode.JAlways or HlOpcode.Ret or HlOpcode.Throw or HlOpcode.Rethrow))
            {
                predecessors[i + 1].Add(i);
            }

            foreach (var target in JumpTargets(ops[i], i))
            {
                if (target >= 0 && target <= ops.Length)
                {
                    predecessors[target].Add(i);
                }
            }
        }

        foreach (var trap in _traps)
        {
            for (var i = trap.TrapIndex + 1; i < trap.HandlerIndex; i++)
            {
                predecessors[trap.HandlerIndex].Add(i);
            }
        }

        return predecessors;
    }

    private static IEnumerable<int> JumpTargets(HlOp op, int index)
    {
        switch (op.Opcode)
        {
            case HlOpcode.JAlways:
                yield return HlOp.JumpTarget(index, op.P1);
                break;
            case HlOpcode.JTrue or HlOpcode.JFalse or HlOpcode.JNull or HlOpcode.JNotNull:
                yield return HlOp.JumpTarget(index, op.P2);
                break;
            case >= HlOpcode.JSLt and <= HlOpcode.JNotEq:
                yield return HlOp.JumpTarget(index, op.P3);
                break;
            case HlOpcode.Switch:
                foreach (var offset in op.Extra)
                {
                    yield return HlOp.JumpTarget(index, offset);
                }

                break;
        }
    }

    /// <summary>
    /// Emits <c>if (*flag != 0) module.AtSafePoint();</c> with an empty evaluation stack. The load
    /// is volatile where the JIT could otherwise hoist it out of a loop (<see cref="LoopCallsOrStores"/>).
    /// Outside traps the call goes to a block after the method's return that jumps back; a branch
    /// cannot leave or enter a protected region, so inside one the call stays in line.
    /// </summary>
    private void EmitSafePoint(bool mayBeHoisted)
    {
        if (!_m.SafePointPolls)
        {
            return;
        }

        if (_stopFlag is not null)
        {
            _il.Emit(OpCodes.Ldloc, _stopFlag);
        }
        else
        {
            _m.Emitter.EmitStopFlagAddress(_il);
        }
        if (mayBeHoisted)
        {
            _il.Emit(OpCodes.Volatile);
        }

        _il.Emit(OpCodes.Ldind_I4);
        var back = _il.DefineLabel();
        if (InsideAnyTrap)
        {
            _il.Emit(OpCodes.Brfalse, back);
            LoadModule();
            CallModule(nameof(HlModule.AtSafePoint));
        }
        else
        {
            var cold = _il.DefineLabel();
            _il.Emit(OpCodes.Brtrue, cold);
            _coldSafePoints.Add((cold, back));
        }

        _il.MarkLabel(back);
    }

    /// <summary>The slow paths of the polls outside traps, after the method's return: each calls <see cref="HlModule.AtSafePoint"/> and jumps back.</summary>
    private void EmitColdSafePoints()
    {
        EmitColdStackGuard();
        foreach (var (cold, back) in _coldSafePoints)
        {
            _il.MarkLabel(cold);
            LoadModule();
            CallModule(nameof(HlModule.AtSafePoint));
            _il.Emit(OpCodes.Br, back);
        }
    }
}
