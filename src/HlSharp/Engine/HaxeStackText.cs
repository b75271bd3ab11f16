using HlSharp.Runtime;

namespace HlSharp.Engine;

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
