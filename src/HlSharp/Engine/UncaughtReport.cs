using System.Globalization;
using System.Text;

namespace HlSharp.Engine;

/// <summary>
/// The report of an exception nothing caught, as HashLink prints it: <c>Uncaught exception: value</c>
/// then one <c>Called from</c> line per Haxe frame, innermost first. A runaway recursion has a
/// stack of a hundred thousand frames, so a stack deeper than <see cref="HeadFrames"/> +
/// <see cref="TailFrames"/> shows its innermost and outermost frames and one line counting the
/// frames left out between. (HashLink keeps only the 256 innermost frames of an exception.)
/// </summary>
internal static class UncaughtReport
{
    /// <summary>How many innermost frames a shortened report shows.</summary>
    public const int HeadFrames = 50;

    /// <summary>How many outermost frames a shortened report shows.</summary>
    public const int TailFrames = 50;

    public static string Format(string valueText, IReadOnlyList<string> frames)
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

/// <summary>A Haxe stack as the lines HashLink prints, formatted when read (a deep stack is rarely read whole).</summary>
internal sealed class HaxeStackText(IReadOnlyList<HlStackFrame> frames) : IReadOnlyList<string>
{
    public int Count => frames.Count;

    public string this[int index] => frames[index].Format();

    public IEnumerator<string> GetEnumerator()
    {
        foreach (var frame in frames)
        {
            yield return frame.Format();
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
