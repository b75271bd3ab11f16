using System.Diagnostics;
using System.Reflection;
using HlSharp.Bytecode;
using HlSharp.Runtime;

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

    /// <summary>
    /// The Haxe stack of an exception being caught, innermost first. HashLink records the whole
    /// stack when a value is thrown, so this is the frames the exception unwound (from the throw to
    /// the catching function) followed by the frames still below the catching function.
    /// </summary>
    public static IReadOnlyList<HlStackFrame> Capture(HlModule module, Exception exception)
    {
        var frames = Frames(module, new StackTrace(exception, false));
        var current = new StackTrace(1, false).GetFrames();
        var catching = Array.FindIndex(current, f => f.GetMethod() is { } m && module.FunctionOf(m) is not null);
        if (catching >= 0)
        {
            frames.AddRange(Frames(module, current.AsSpan(catching + 1)));
        }

        return frames;
    }

    private static List<HlStackFrame> Frames(HlModule module, StackTrace trace) => Frames(module, trace.GetFrames());

    private static List<HlStackFrame> Frames(HlModule module, ReadOnlySpan<StackFrame> trace)
    {
        // A runaway recursion is a hundred thousand frames of the same few call sites: describe
        // each distinct (method, IL offset) once.
        var frames = new List<HlStackFrame>(trace.Length);
        var described = new Dictionary<(MethodBase, int), HlStackFrame?>();
        foreach (var frame in trace)
        {
            if (frame.GetMethod() is not { } method)
            {
                continue;
            }

            var key = (method, frame.GetILOffset());
            if (!described.TryGetValue(key, out var haxe))
            {
                haxe = module.FunctionOf(method) is { } function ? Describe(module, function, OpIndex(module, function.Index, key.Item2)) : null;
                described[key] = haxe;
            }

            if (haxe is { } known)
            {
                frames.Add(known);
            }
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

    private static HlStackFrame Describe(HlModule module, HlFunction function, int op)
    {
        var code = module.Code;
        var name = module.Symbols.Name(function.Index);
        if (op < 0 || function.Debug.IsDefaultOrEmpty || op >= function.Debug.Length)
        {
            return new HlStackFrame(name, null, 0);
        }

        var position = function.Debug[op];
        var file = position.FileIndex >= 0 && position.FileIndex < code.DebugFiles.Length ? code.DebugFiles[position.FileIndex] : null;
        return new HlStackFrame(name, file, position.Line);
    }
}
