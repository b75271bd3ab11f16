using System.Reflection;
using HlSharp.Bytecode;

namespace HlSharp.Engine;

/// <summary>
/// Which functions skip the .NET JIT's first tier (issue 12 item 4). Tiered code starts
/// unoptimised and is recompiled only after a quiet spell of 100 ms with no new first-tier
/// compiles, then 30 calls, then a background compile: a program that keeps compiling as it
/// starts, or runs on a loaded machine, runs its hot calls unoptimised for most of a short run.
/// A function that calls itself, or a small one, is compiled optimised at once
/// (<see cref="MethodImplAttributes.AggressiveOptimization"/>): recursion is hot as soon as it
/// runs, and small functions are what calls in loops reach, while optimising them costs little
/// more than the first tier (large run-once functions, such as static initialisation, keep it;
/// their loops move to optimised code on the stack). The bound is 10 operations: at 30 the Haxe
/// unit suite, thousands of functions that mostly run once, spent about 15% more CPU starting,
/// against about 5% at 10, for much the same gain on the Calls benchmarks. Collectible code is
/// optimised at once anyway. A program written for ReadyToRun marks small functions with loops
/// instead, which crossgen2 then leaves to the JIT (<see cref="ChooseTier"/>).
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>The most operations a function may have and still count as small.</summary>
    private const int SmallFunctionOps = 10;

    /// <summary>
    /// The largest function (in IL bytes) with a loop that a program written for ReadyToRun
    /// leaves to the JIT. Optimising costs about the IL's size: the Haxe unit suite, whose
    /// functions with loops that run hold 1.4 MB of IL, took 1.15 and 1.20 times as long from the
    /// run cache with this bound (two calls), 1.27 with 2,048 bytes and 1.58 with 4,096 (medians of
    /// 11 runs paired with the build before). In `tests/benchs`, 383 of the 405 such functions that
    /// run are within it.
    /// </summary>
    private const int JitLoopMaxIlBytes = 1024;

    private void ChooseTier()
    {
        var flags = InliningFlags();
        // A program written for ReadyToRun leaves the choice to crossgen2, which compiles every
        // method optimised but skips the ones marked for aggressive optimisation (the JIT compiles
        // those, optimised, on their first call). There a small function with a loop is marked:
        // ReadyToRun code has no on-stack replacement, so a function that runs once stays in it
        // for the whole loop, and that code reaches HlSharp's helpers by calls (crossgen2 cannot
        // inline across assemblies) and casts through helpers: a string scan ran 4 times slower
        // than compiled by the JIT. Larger functions keep their ReadyToRun code: marking every
        // loop took the Haxe unit suite, thousands of functions that mostly run once, from 0.86 s
        // to 2.2 s from the run cache.
        if (_m.Writer is { ForReadyToRun: true })
        {
            if (HasLoop() && _il.ILOffset <= JitLoopMaxIlBytes)
            {
                flags |= MethodImplAttributes.AggressiveOptimization;
            }
        }
        else if (_f.Ops.Length <= SmallFunctionOps || CallsItself())
        {
            flags |= MethodImplAttributes.AggressiveOptimization;
        }

        if (flags != 0)
        {
            _method.SetImplementationFlags(flags);
        }
    }

    /// <summary>Whether some jump goes backwards (the loop heads the safe points found).</summary>
    private bool HasLoop() => (_loopHeads ??= LoopHeads()).Count > 0;

    private bool CallsItself()
    {
        foreach (var op in _f.Ops)
        {
            if (op.Opcode is >= HlOpcode.Call0 and <= HlOpcode.CallN && op.P2 == _f.Index)
            {
                return true;
            }
        }

        return false;
    }
}
