namespace HlSharp;

/// <summary>
/// A Haxe exception that no Haxe code caught: carries the thrown Haxe value, its text as
/// <c>Std.string</c> gives it, and the Haxe call stack at the throw (one <c>function(file:line)</c> entry per frame).
/// A host exception thrown inside a host callback that Haxe called arrives as <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class HlHaxeException : HlException
{
    private string? _report;

    internal HlHaxeException(object? value, string valueText, IReadOnlyList<string> haxeStack, Exception? inner = null)
        : base(valueText, inner)
    {
        Value = value;
        ValueText = valueText;
        HaxeStack = haxeStack;
    }

    /// <summary>The thrown Haxe value (a HlSharp runtime value; use <see cref="ValueText"/> to read it).</summary>
    public object? Value { get; }

    /// <summary>The thrown value as Haxe's <c>Std.string</c> prints it.</summary>
    public string ValueText { get; }

    /// <summary>
    /// The Haxe call stack at the throw, innermost first, each frame as HashLink's uncaught report
    /// prints it after <c>Called from </c>: for example <c>$Main.main(Main.hx:4)</c>, or the bare
    /// function name when the bytecode has no position for it.
    /// </summary>
    public IReadOnlyList<string> HaxeStack { get; }

    /// <summary>
    /// What HashLink prints for this exception when nothing catches it: <c>Uncaught exception: value</c>,
    /// then <c>Called from frame</c> per Haxe frame, each line ending in <c>\n</c>. A stack deeper than 100
    /// frames shows its 50 innermost and 50 outermost frames with a line counting the frames left out.
    /// </summary>
    public string UncaughtReport => _report ??= Engine.UncaughtReport.Format(ValueText, HaxeStack);
}
