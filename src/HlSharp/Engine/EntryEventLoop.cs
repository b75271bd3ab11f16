using HlSharp.Bytecode;

namespace HlSharp.Engine;

/// <summary>
/// Finds the event loop the Haxe compiler appends to a program's entry. The entry function is
/// generated: the static initialisation of every class, the call to <c>main</c>, and, on threaded
/// targets (HashLink is one) when the program uses <c>sys.thread</c> (timers, <c>haxe.MainLoop</c>
/// and threads all do), a call to <c>sys.thread.Thread.processEvents()</c>, which
/// runs the main thread's <c>EventLoop</c> until nothing is left (<c>haxe.EntryPoint.run()</c>,
/// appended on targets without threads, does nothing on HashLink). So in Haxe 4.2.5's output the
/// entry ends with <c>Call0 main</c>, <c>Call0 Thread_Impl_.processEvents</c>, <c>Ret</c>.
/// <para>
/// When the host owns the loop, the compiler emits nothing for those trailing calls, and only
/// for them: static initialisation and <c>main</c> run as usual, and a <c>processEvents</c> the
/// program calls itself (anywhere else) still runs. Skipping the call rather than running the
/// entry's operations up to <c>main</c> keeps the entry one compiled function, as every other.
/// </para>
/// </summary>
internal static class EntryEventLoop
{
    /// <summary>The index of the first operation of the appended loop calls in the entry function, or -1 when it has none.</summary>
    public static int FirstSkippedOp(HlCode code)
    {
        if (code.GetFunction(code.EntryPoint) is not { } entry || entry.Ops.Length == 0 || entry.Ops[^1].Opcode != HlOpcode.Ret)
        {
            return -1;
        }

        var first = -1;
        for (var i = entry.Ops.Length - 2; i >= 0 && entry.Ops[i].Opcode == HlOpcode.Call0 && IsAppendedLoop(code, entry.Ops[i].P2); i--)
        {
            first = i;
        }

        return first;
    }

    private static bool IsAppendedLoop(HlCode code, int functionIndex) =>
        code.GetFunction(functionIndex)?.Owner is { IsStatic: true } owner
        && ((owner.TypeName == "sys.thread._Thread.Thread_Impl_" && owner.FieldName == "processEvents")
            || (owner.TypeName == "haxe.EntryPoint" && owner.FieldName == "run"));
}
