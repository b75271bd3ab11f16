using System.Runtime.InteropServices;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// The raw stack natives Haxe 4.3 binds for <c>haxe.NativeStackTrace</c> (HashLink 1.12 and
/// later, HashLink's <c>std/error.c</c>). A stack is an array of symbols, one per Haxe frame,
/// innermost first; each call is made twice, once with no array to learn the count and once with
/// an array that long to fill. A symbol is the frame itself, boxed, where HashLink keeps a code
/// address: <c>resolve_symbol</c> turns it into the <c>Class.method(file:line)</c> text that
/// <c>haxe.CallStack</c> parses.
/// </summary>
internal static class StdStacks
{
    [HlNative("std", "exception_stack_raw")]
    public static int ExceptionStackRaw(NativeContext m, HlArray? into) => Fill(m.ExceptionStack, into);

    [HlNative("std", "call_stack_raw")]
    public static int CallStackRaw(NativeContext m, HlArray? into) => Fill(m.CallStack(), into);

    /// <summary>
    /// Writes the symbol's text into <paramref name="buffer"/> as UCS-2 with a terminating zero,
    /// cut to what fits in the buffer and in the length given, stores the characters written in
    /// <paramref name="length"/> and returns the buffer; null for anything that is not a symbol.
    /// </summary>
    [HlNative("std", "resolve_symbol")]
    public static HlBytes? ResolveSymbol(object? symbol, HlBytes? buffer, HlRef<int>? length)
    {
        if (symbol is not HlStackFrame frame || buffer is null || length is null)
        {
            return null;
        }

        var text = frame.Format();
        var room = Math.Min(length.Value, (buffer.Array.Length - buffer.Offset) / 2 - 1);
        if (room < 0)
        {
            return null;
        }

        var written = Math.Min(text.Length, room);
        var chars = MemoryMarshal.Cast<byte, char>(buffer.AsSpan(0, (written + 1) * 2));
        text.AsSpan(0, written).CopyTo(chars);
        chars[written] = '\0';
        length.Value = written;
        return buffer;
    }

    private static int Fill(IReadOnlyList<HlStackFrame> frames, HlArray? into)
    {
        if (into is null)
        {
            return frames.Count;
        }

        // The array was made from the count of a first call; the stack asked for again may differ
        // by the frame making the calls, so fill what both have.
        var slots = (object?[])into.Data;
        var count = Math.Min(frames.Count, slots.Length);
        for (var i = 0; i < count; i++)
        {
            slots[i] = frames[i];
        }

        return count;
    }
}
