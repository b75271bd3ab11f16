using HlSharp.Bytecode;

namespace HlSharp.Engine;

internal sealed partial class ReloadPlanner
{
    private (int[] Map, List<string> Added) MapStrings()
    {
        var live = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _module.StringCount; i++)
        {
            live.TryAdd(_module.StringText(i), i);
        }

        var added = new List<string>();
        var map = new int[_next.Strings.Length];
        for (var i = 0; i < map.Length; i++)
        {
            var text = _next.Strings[i];
            if (!live.TryGetValue(text, out var index))
            {
                index = _module.StringCount + added.Count;
                live[text] = index;
                added.Add(text);
            }

            map[i] = index;
        }

        return (map, added);
    }

    private int[] MapBytes()
    {
        var map = new int[_next.BytesCount];
        for (var i = 0; i < map.Length; i++)
        {
            var found = -1;
            for (var j = 0; j < _live.BytesCount && found < 0; j++)
            {
                found = _live.GetBytes(j).Span.SequenceEqual(_next.GetBytes(i).Span) ? j : -1;
            }

            map[i] = found;
            if (found < 0)
            {
                _refused.Add(new ReloadRefusal($"bytes constant {i}", null, "new (not supported yet)"));
            }
        }

        return map;
    }
}
