namespace HlSharp.Runtime;

/// <summary>
/// A Haxe <c>throw</c> travelling through compiled code. Internal: traps catch it, and at the
/// host boundary an uncaught one becomes an <see cref="HlHaxeException"/>.
/// </summary>
internal sealed class HaxeThrow : Exception
{
    public HaxeThrow(object? value)
        : base("Haxe exception") => Value = value;

    public HaxeThrow(object? value, Exception inner)
        : base("Haxe exception", inner) => Value = value;

    /// <summary>The thrown Haxe value.</summary>
    public object? Value { get; }

    /// <summary>The Haxe stack of an earlier throw that <c>rethrow</c> keeps, as HashLink keeps it.</summary>
    public IReadOnlyList<HlStackFrame>? PreservedStack { get; set; }
}

/// <summary>Raised by <c>Sys.exit</c>: unwinds every Haxe frame (traps never catch it) up to the host.</summary>
internal sealed class HaxeExit(int code) : Exception($"Sys.exit({code})")
{
    public int Code { get; } = code;
}
