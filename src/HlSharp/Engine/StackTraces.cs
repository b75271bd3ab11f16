using System.Diagnostics;
using HlSharp.Bytecode;

namespace HlSharp.Engine;

/// <summary>
/// Recovers Haxe call stacks from .NET ones. Each compiled function records the IL offset where
/// each operation starts; a .NET frame's IL offset then names the operation, and the bytecode's
/// debug information its <c>file:line</c>. Nothing is tracked while code runs: the cost is paid
/// only when a stack is asked for.
/// </summary>
internal static class StackTraces
{
    public static void Record(HlModule module, int functionIndex, int[] ilOffsets) => module.OpOffsets[functionIndex] = ilOffsets;

    /// <summary>The Haxe frames of an exception's stack, innermost first.</summary>
    public static IReadOnlyList<HlStackFrame> Capture(HlModule module, Exception exception) => Frames(module, new StackTrace(exception, false));

    /// <summary>The Haxe frames of the current thread's stack, innermost first.</summary>
    public static IReadOnlyList<HlStackFrame> Current(HlModule module) => Frames(module, new StackTrace(1, false));

    private static List<HlStackFrame> Frames(HlModule module, StackTrace trace)
    {
        var frames = new List<HlStackFrame>();
        foreach (var frame in trace.GetFrames())
        {
            if (frame.GetMethod() is not { } method || module.FunctionOf(method) is not { } function)
            {
                continue;
            }

            frames.Add(Describe(module.Code, function, OpIndex(module, function.Index, frame.GetILOffset())));
        }

        return frames;
    }

    private static int OpIndex(HlModule module, int functionIndex, int ilOffset)
    {
        if (ilOffset < 0 || !module.OpOffsets.TryGetValue(functionIndex, out var offsets))
        {
            return -1;
        }

        var index = Array.BinarySearch(offsets, ilOffset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        // The recorded offset of a call is where its operation starts; a frame's offset points
        // into it, so the operation is the last one starting at or before that offset.
        return Math.Clamp(index, 0, offsets.Length - 1);
    }

    private static HlStackFrame Describe(HlCode code, HlFunction function, int op)
    {
        if (op < 0 || function.Debug.IsDefaultOrEmpty || op >= function.Debug.Length)
        {
            return new HlStackFrame(function.Name, null, 0);
        }

        var position = function.Debug[op];
        var file = position.FileIndex >= 0 && position.FileIndex < code.DebugFiles.Length ? code.DebugFiles[position.FileIndex] : null;
        return new HlStackFrame(function.Name, file, position.Line);
    }
}
