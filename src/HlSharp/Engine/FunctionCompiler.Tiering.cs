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
/// optimised at once anyway.
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>The most operations a function may have and still count as small.</summary>
    private const int SmallFunctionOps = 10;

    private void ChooseTier()
    {
        var flags = InliningFlags();
        // A program written for ReadyToRun leaves the choice to crossgen2, which compiles every
        // method optimised but skips the ones marked for aggressive optimisation (the JIT would
        // compile those at run time). A marked loop would run at full speed at once, but the Haxe
        // unit suite, thousands of functions with loops that run once, then took 2.2 s from the
        // run cache instead of 0.86 s.
        if (_m.Writer is not { ForReadyToRun: true } && (_f.Ops.Length <= SmallFunctionOps || CallsItself()))
        {
            flags |= MethodImplAttributes.AggressiveOptimization;
        }

        if (flags != 0)
        {
            _method.SetImplementationFlags(flags);
        }
    }

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
