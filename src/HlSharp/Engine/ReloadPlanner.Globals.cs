using System.Globalization;
using System.Text;
using HlSharp.Bytecode;

namespace HlSharp.Engine;

internal sealed partial class ReloadPlanner
{
    private (int[] Map, List<(int, string)> Added) MapGlobals(int[] types)
    {
        // The program's globals, then those earlier reloads added (under the keys they were added with).
        var live = new Dictionary<string, int>(StringComparer.Ordinal);
        var liveNames = new GlobalNames(_live);
        for (var i = 0; i < _live.Globals.Length; i++)
        {
            live.TryAdd(liveNames.Key(i), i);
        }

        foreach (var (key, index) in _module.ReloadedGlobals)
        {
            live.TryAdd(key, index);
        }

        var map = new int[_next.Globals.Length];
        var added = new List<(int, string)>();
        var nextNames = new GlobalNames(_next);
        for (var i = 0; i < map.Length; i++)
        {
            var key = nextNames.Key(i);
            if (live.TryGetValue(key, out var found))
            {
                map[i] = found;
                continue;
            }

            if (types[_next.Globals[i].Index] < 0)
            {
                map[i] = -1;
                continue;
            }

            map[i] = _module.Storage.GlobalCount + added.Count;
            added.Add((i, key));
        }

        return (map, added);
    }

    /// <summary>Names each global by what it holds: a class or enum value, a constant (by its field values), or its type and rank among the rest.</summary>
    private sealed class GlobalNames
    {
        private readonly HlCode _code;
        private readonly Dictionary<int, string> _holders = [];
        private readonly Dictionary<int, HlConstant> _constants = [];

        public GlobalNames(HlCode code)
        {
            _code = code;
            foreach (var type in code.Types)
            {
                switch (type)
                {
                    case HlObjectType { GlobalIndex: { } g } o:
                        _holders.TryAdd(g, "class " + o.Name);
                        break;
                    case HlEnumType { GlobalIndex: { } e } en:
                        _holders.TryAdd(e, "enum " + en.Name);
                        break;
                }
            }

            foreach (var constant in code.Constants)
            {
                _constants.TryAdd(constant.GlobalIndex, constant);
            }
        }

        public string Key(int index)
        {
            if (_holders.TryGetValue(index, out var holder))
            {
                return holder;
            }

            var global = _code.Globals[index];
            if (_constants.TryGetValue(index, out var constant) && global is HlObjectType obj)
            {
                var b = new StringBuilder("constant ").Append(obj.Name).Append('{');
                for (var i = 0; i < constant.Fields.Length && i < obj.Fields.Count; i++)
                {
                    var value = constant.Fields[i];
                    b.Append(obj.Fields[i].Type.Kind switch
                    {
                        HlTypeKind.I32 => _code.Ints[value].ToString(CultureInfo.InvariantCulture),
                        HlTypeKind.F64 => _code.Floats[value].ToString("R", CultureInfo.InvariantCulture),
                        HlTypeKind.Bytes => _code.Strings[value],
                        HlTypeKind.Bool => value.ToString(CultureInfo.InvariantCulture),
                        _ => "g" + value.ToString(CultureInfo.InvariantCulture),
                    }).Append(';');
                }

                return b.Append('}').ToString();
            }

            // Neither: by type and rank (none seen in Haxe 4.2.5 output; see HOT-RELOAD.md).
            var rank = 0;
            for (var i = 0; i < index; i++)
            {
                rank += _code.Globals[i] == global ? 1 : 0;
            }

            return $"global {TypeKey(global, 0)} #{rank}";
        }
    }
}
