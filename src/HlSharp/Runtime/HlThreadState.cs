namespace HlSharp.Runtime;

/// <summary>What one thread remembers between Haxe frames: the last exception's stack.</summary>
internal sealed class HlThreadState
{
    /// <summary>The Haxe stack of the exception most recently caught on this thread, innermost first.</summary>
    public IReadOnlyList<HlStackFrame> ExceptionStack { get; set; } = [];
}
