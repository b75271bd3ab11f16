using System.Globalization;
using System.Text;

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

    /// <summary>
    /// The thrown Haxe value as the host sees it: a <see cref="string"/> for a Haxe String (and
    /// for HashLink's own errors such as <c>Null access</c>), an <see cref="int"/>, <see cref="double"/> or
    /// <see cref="bool"/> for a number or bool, and a view for anything else (<c>HlObject</c>,
    /// <c>HlEnum</c>, <c>HlArray&lt;T&gt;</c>...). <see cref="ValueText"/> is its text as Haxe prints it.
    /// </summary>
    public object? Value { get; internal set; }

    /// <summary>The thrown value as Haxe's <c>Std.string</c> prints it.</summary>
    public string ValueText { get; }

    /// <summary>
    /// The Haxe call stack at the throw, innermost first, each frame as HashLink's uncaught report
    /// prints it after <c>Called from </c>: for example <c>$Main.main(Main.hx:4)</c>, or the bare
    /// function name when the bytecode has no position for it.
    /// </summary>
    public IReadOnlyList<string> HaxeStack { get; }

    /// <summary>
    /// The Haxe call stack as text, one frame a line, innermost first (<see cref="HaxeStack"/>
    /// joined), as <see cref="Exception.StackTrace"/> is the .NET one.
    /// </summary>
    public string HaxeStackTrace => string.Join('\n', HaxeStack);

    /// <summary>
    /// What HashLink prints for this exception when nothing catches it: <c>Uncaught exception: value</c>,
    /// then <c>Called from frame</c> per Haxe frame, each line ending in <c>\n</c>. A stack deeper than 100
    /// frames shows its 50 innermost and 50 outermost frames with a line counting the frames left out.
    /// </summary>
    public string UncaughtReport => _report ??= FormatReport(ValueText, HaxeStack);

    /// <summary>How many innermost frames a shortened report shows.</summary>
    internal const int HeadFrames = 50;

    /// <summary>How many outermost frames a shortened report shows.</summary>
    internal const int TailFrames = 50;

    /// <summary>
    /// The report of an exception nothing caught, as HashLink prints it: <c>Uncaught exception: value</c>
    /// then one <c>Called from</c> line per Haxe frame, innermost first. A runaway recursion has a
    /// stack of a hundred thousand frames, so a stack deeper than <see cref="HeadFrames"/> +
    /// <see cref="TailFrames"/> shows its innermost and outermost frames and one line counting the
    /// frames left out between. (HashLink keeps only the 256 innermost frames of an exception.)
    /// It lives here because every report, the host's and a Haxe thread's, is made from this type's parts.
    /// </summary>
    internal static string FormatReport(string valueText, IReadOnlyList<string> frames)
    {
        var report = new StringBuilder("Uncaught exception: ").Append(valueText).Append('\n');
        if (frames.Count <= HeadFrames + TailFrames)
        {
            AppendFrames(report, frames, 0, frames.Count);
            return report.ToString();
        }

        AppendFrames(report, frames, 0, HeadFrames);
        var omitted = frames.Count - HeadFrames - TailFrames;
        report.Append(CultureInfo.InvariantCulture, $"... {omitted} frames omitted ...\n");
        AppendFrames(report, frames, frames.Count - TailFrames, frames.Count);
        return report.ToString();
    }

    private static void AppendFrames(StringBuilder report, IReadOnlyList<string> frames, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            report.Append("Called from ").Append(frames[i]).Append('\n');
        }
    }
}
