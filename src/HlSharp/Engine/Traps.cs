using System.Runtime.ExceptionServices;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>What a compiled trap's handler does with what it caught.</summary>
internal static class Traps
{
    /// <summary>
    /// Turns whatever was thrown inside a trap into the Haxe value the handler receives, and
    /// records the exception's Haxe stack. Exits, stops, cancelled host calls and faults of the VM itself are not catchable.
    /// </summary>
    public static object? CatchValue(HlModule module, Exception exception)
    {
        if (exception is HaxeExit or VmDisposedStop or HaxeCallCanceledException)
        {
            ExceptionDispatchInfo.Throw(exception);
        }

        var state = module.Runtime.Thread;
        state.ExceptionStack = exception is HaxeThrow { PreservedStack: { } kept } ? kept : StackTraces.Capture(module, exception);
        return module.Runtime.ValueOf(exception);
    }
}
