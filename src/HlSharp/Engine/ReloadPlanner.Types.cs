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

        foreach (var (key, index) in _module.AddedTypeKeys)
        {
            liveKeys.TryAdd(key, index);
        }

        var map = new int[_next.Types.Length];
        var free = _module.Types.Length;
        foreach (var t in _next.Types)
        {
            if (liveKeys.TryGetValue(TypeKey(t, 0), out var live))
            {
                map[t.Index] = live;
                continue;
            }

            map[t.Index] = -1;
            if (IsAddable(t))
            {
                if (free < _module.Storage.TypeCapacity)
                {
                    map[t.Index] = free++;
                    _newTypes.Add((t.Index, TypeKey(t, 0)));
                }
                else
                {
                    var reason = _module.Storage.TypeCapacity == _live.Types.Length
                        ? "added, and the VM was loaded without HlVmOptions.HotReload, so it has no room for new types (restart needed)"
                        : "added, and the room kept for types reloads add is used up (restart needed)";
                    _refused.Add(new ReloadRefusal(t is HlObjectType o ? "class " + o.Name : $"type {t}", null, reason));
                }

                continue;
            }

            _refused.Add(t switch
            {
                HlObjectType o => new ReloadRefusal("class " + o.Name, null, "added (not supported yet)"),
                HlEnumType e => new ReloadRefusal("enum " + e.Name, null, "added (not supported yet)"),
                _ => new ReloadRefusal($"type {t}", null, "new (not supported yet)"),
            });
        }

        return map;
    }

    private readonly List<(int Index, string Key)> _newTypes = [];

    /// <summary>
    /// A type a reload can add: a class (emitted into the reload's arena, its class object made as
    /// the entry's <c>Type.initClass</c> would), an enum (its value built by the new entry's
    /// <c>Type.initEnum</c>, which the new statics' initialiser keeps: <see cref="ReloadInit"/>), or
    /// one with no emitted class (function and method types, virtuals, references, nulls, abstracts).
    /// </summary>
    private static bool IsAddable(HlType type) => type switch
    {
        HlObjectType => true,
        HlEnumType => true,
        _ => type.Kind is HlTypeKind.Fun or HlTypeKind.Method or HlTypeKind.Virtual or HlTypeKind.Ref or HlTypeKind.Null or HlTypeKind.Abstract or HlTypeKind.Packed,
    };

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
            if (types[t2.Index] < 0 || types[t2.Index] >= _module.Types.Length)
            {
                continue; // refused, or new (structural: nothing to compare)
            }

            var t1 = _module.TypeSource(types[t2.Index]);
            switch ((t1, t2))
            {
                case (HlObjectType o1, HlObjectType o2):
                    if (o1.Super?.Name != o2.Super?.Name)
                    {
                        _refused.Add(new ReloadRefusal("class " + o2.Name, null, $"super class changed from {o1.Super?.Name ?? "none"} to {o2.Super?.Name ?? "none"}"));
                    }

                    // Fields: PlanFields (added ones accepted, removed, renamed and retyped ones refused).
                    // Methods: PlanMethods (added ones applied, removed or reordered ones refused).

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

    /// <summary>
    /// A type of the module (<paramref name="live"/>) against one of the new version. A type an
    /// earlier reload added is described by that version's bytecode, whose indices are not the
    /// module's: it compares by what it is (<see cref="TypeKey"/>) instead.
    /// </summary>
    private bool SameType(HlType live, HlType next, int[] types) =>
        live.Index < _live.Types.Length && ReferenceEquals(_live.Types[live.Index], live)
            ? types[next.Index] == live.Index
            : TypeKey(live, 0) == TypeKey(next, 0);

    private bool SameTypes(IReadOnlyList<HlType> a, IReadOnlyList<HlType> b, int[] types) =>
        a.Count == b.Count && a.Zip(b).All(p => SameType(p.First, p.Second, types));
}
