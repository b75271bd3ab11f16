using HlSharp.Bytecode;

namespace HlSharp.Engine;

internal sealed partial class ReloadPlanner
{
    private int[] MapTypes()
    {
        var liveKeys = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in _live.Types)
        {
            liveKeys.TryAdd(TypeKey(t, 0), t.Index);
        }

        var map = new int[_next.Types.Length];
        foreach (var t in _next.Types)
        {
            if (liveKeys.TryGetValue(TypeKey(t, 0), out var live))
            {
                map[t.Index] = live;
                continue;
            }

            map[t.Index] = -1;
            _refused.Add(t switch
            {
                HlObjectType o => new ReloadRefusal("class " + o.Name, null, "added (not supported yet)"),
                HlEnumType e => new ReloadRefusal("enum " + e.Name, null, "added (not supported yet)"),
                _ => new ReloadRefusal($"type {t}", null, "new (not supported yet)"),
            });
        }

        return map;
    }

    /// <summary>What a type is across versions: its name when it has one, else what it is made of.</summary>
    private static string TypeKey(HlType type, int depth)
    {
        if (depth > 8)
        {
            return "?";
        }

        return type switch
        {
            HlObjectType o => $"{o.Kind}:{o.Name}",
            // A closure's captured variables are an enum with no global (and no real name): it is what it holds.
            HlEnumType { GlobalIndex: null } e => $"enum:{e.Name}{{{string.Join("|", e.Constructs.Select(c => c.Name + "(" + string.Join(",", c.Parameters.Select(p => TypeKey(p, depth + 1))) + ")"))}}}",
            HlEnumType e => $"enum:{e.Name}",
            HlAbstractType a => $"abstract:{a.Name}",
            HlFunctionType f => $"{f.Kind}({string.Join(",", f.Arguments.Select(a => TypeKey(a, depth + 1)))}):{TypeKey(f.ReturnType, depth + 1)}",
            HlWrapperType w => $"{w.Kind}<{TypeKey(w.Inner, depth + 1)}>",
            HlVirtualType v => $"virtual{{{string.Join(",", v.Fields.Select(f => f.Name + ":" + TypeKey(f.Type, depth + 1)))}}}",
            _ => type.Kind.ToString(),
        };
    }

    /// <summary>Refuses a class or enum whose layout changed: compiled code and live objects depend on it.</summary>
    private void CheckNamedTypes(int[] types)
    {
        foreach (var t2 in _next.Types)
        {
            if (types[t2.Index] < 0)
            {
                continue;
            }

            var t1 = _live.Types[types[t2.Index]];
            switch ((t1, t2))
            {
                case (HlObjectType o1, HlObjectType o2):
                    if (o1.Super?.Name != o2.Super?.Name)
                    {
                        _refused.Add(new ReloadRefusal("class " + o2.Name, null, $"super class changed from {o1.Super?.Name ?? "none"} to {o2.Super?.Name ?? "none"}"));
                    }

                    // Fields are matched by name, added ones accepted, removed and retyped ones refused: PlanFields.
                    if (!o1.Protos.Select(p => (p.Name, p.SlotIndex)).SequenceEqual(o2.Protos.Select(p => (p.Name, p.SlotIndex))))
                    {
                        _refused.Add(new ReloadRefusal("class " + o2.Name, null, $"methods changed ({string.Join(",", o1.Protos.Select(p => p.Name))} -> {string.Join(",", o2.Protos.Select(p => p.Name))})"));
                    }

                    break;
                case (HlEnumType e1, HlEnumType e2):
                    CheckEnum(e1, e2, types);
                    break;
            }
        }
    }

    /// <summary>
    /// Refuses any change to an enum's constructors, one line per constructor: live values hold a
    /// constructor index and parameters laid out by the old definition, and compiled switches test
    /// the index.
    /// </summary>
    private void CheckEnum(HlEnumType e1, HlEnumType e2, int[] types)
    {
        var type = "enum " + e2.Name;
        var before = new Dictionary<string, HlEnumConstruct>(StringComparer.Ordinal);
        foreach (var c1 in e1.Constructs)
        {
            before.TryAdd(c1.Name, c1);
        }

        var after = e2.Constructs.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var found = _refused.Count;
        foreach (var c2 in e2.Constructs)
        {
            if (!before.TryGetValue(c2.Name, out var c1))
            {
                _refused.Add(new ReloadRefusal(type, c2.Name, "constructor added"));
            }
            else if (!SameTypes(c1.Parameters, c2.Parameters, types))
            {
                _refused.Add(new ReloadRefusal(type, c2.Name, $"parameters changed from {Parameters(c1.Parameters)} to {Parameters(c2.Parameters)}"));
            }
        }

        foreach (var c1 in e1.Constructs.Where(c => !after.Contains(c.Name)))
        {
            _refused.Add(new ReloadRefusal(type, c1.Name, "constructor removed"));
        }

        // The same constructors in another order: each value's index would name another one.
        if (_refused.Count == found && !e1.Constructs.Select(c => c.Name).SequenceEqual(e2.Constructs.Select(c => c.Name), StringComparer.Ordinal))
        {
            _refused.Add(new ReloadRefusal(type, null, $"constructors reordered ({string.Join(",", e1.Constructs.Select(c => c.Name))} -> {string.Join(",", e2.Constructs.Select(c => c.Name))})"));
        }
    }

    private static string Parameters(IReadOnlyList<HlType> parameters) => "(" + string.Join(", ", parameters) + ")";

    private static bool SameTypes(IReadOnlyList<HlType> a, IReadOnlyList<HlType> b, int[] types) =>
        a.Count == b.Count && a.Zip(b).All(p => types[p.Second.Index] == p.First.Index);
}
