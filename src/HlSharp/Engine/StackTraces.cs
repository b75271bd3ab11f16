using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
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
    /// <summary>
    /// The Haxe stack of an exception being caught, innermost first. HashLink records the whole
    /// stack when a value is thrown, so this is the frames the exception unwound (from the throw to
    /// the catching function) followed by the frames still below the catching function.
    /// </summary>
    public static IReadOnlyList<HlStackFrame> Capture(HlModule module, Exception exception)
    {
        var frames = Frames(module, new StackTrace(exception, false));
        // No frame skipped: the JIT may inline this method, and the natives calling it, into the
        // Haxe function itself, which the first skipped frame would then be.
        var current = new StackTrace(false).GetFrames();
        var catching = Array.FindIndex(current, f => MethodOf(f) is { } m && module.BodyOf(m) is not null);
        if (catching >= 0)
        {
            frames.AddRange(Frames(module, current.AsSpan(catching + 1)));
        }

        return frames;
    }

    /// <summary>
    /// The Haxe frames of the calling thread's stack as it is now, innermost first: what HashLink's
    /// stack capture gives <c>haxe.CallStack.callStack()</c>. The native asking for it and the
    /// adapters between it and Haxe code are not Haxe frames, so the first frame is the Haxe
    /// function that called the native.
    /// </summary>
    /// <remarks>No frame is skipped (the frames of no Haxe function are left out anyway): a native
    /// called directly may be inlined, with this method, into the Haxe function that calls it.</remarks>
    public static IReadOnlyList<HlStackFrame> Current(HlModule module) => Frames(module, new StackTrace(false));

    /// <summary>
    /// The method of a frame, or null. Under NativeAOT a frame may have no method (its metadata
    /// was not kept), and such a frame is skipped as a frame of no Haxe function is: the code
    /// that owns Haxe functions is kept whole (the written assembly is rooted), so no Haxe frame is lost.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification =
        "A frame without metadata gives null, which every caller skips; Haxe functions live in assemblies the host roots.")]
    private static MethodBase? MethodOf(StackFrame frame) => frame.GetMethod();

    private static List<HlStackFrame> Frames(HlModule module, StackTrace trace) => Frames(module, trace.GetFrames());

    private static List<HlStackFrame> Frames(HlModule module, ReadOnlySpan<StackFrame> trace)
    {
        // A runaway recursion is a hundred thousand frames of the same few call sites: describe
        // each distinct (method, IL offset) once.
        var frames = new List<HlStackFrame>(trace.Length);
        var described = new Dictionary<(MethodBase, int), HlStackFrame?>();
        foreach (var frame in trace)
        {
            if (MethodOf(frame) is not { } method)
            {
                continue;
            }

            var key = (method, frame.GetILOffset());
            if (!described.TryGetValue(key, out var haxe))
            {
                haxe = module.BodyOf(method) is { } body ? Describe(module, body, OpIndex(body, key.Item2)) : null;
                described[key] = haxe;
            }

            if (haxe is { } known)
            {
                frames.Add(known);
            }
        }

        return frames;
    }

    private static int OpIndex(CompiledBody body, int ilOffset)
    {
        var offsets = body.IlOffsets;
        if (ilOffset < 0 || offsets.Length == 0)
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

    private static HlStackFrame Describe(HlModule module, CompiledBody body, int op)
    {
        // A reloaded body's debug lines and file names are those of the version it came from.
        var (function, code) = (body.Function, body.Source);
        var name = module.FunctionName(body.LiveIndex) ?? "fun$" + body.LiveIndex;
        if (op < 0 || function.Debug.IsDefaultOrEmpty || op >= function.Debug.Length)
        {
            return new HlStackFrame(name, null, 0);
        }

        var position = function.Debug[op];
        var file = position.FileIndex >= 0 && position.FileIndex < code.DebugFiles.Length ? code.DebugFiles[position.FileIndex] : null;
        return new HlStackFrame(name, file, position.Line);
    }
}
