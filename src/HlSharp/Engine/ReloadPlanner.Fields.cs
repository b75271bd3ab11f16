using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>What a reload adds to existing classes' fields, worked out by <see cref="ReloadPlanner"/> and published by <see cref="HlModule.Reload"/>.</summary>
/// <param name="Map">Per type of the new version, the live index of each of its fields (null: the same indices).</param>
/// <param name="FieldLists">The live classes whose field list grows, with the new list (the old one, then the added fields).</param>
/// <param name="Added">Each added field with the class that declares it and whether it is a static (a field of a class object such as <c>$Main</c>).</param>
/// <param name="Slots">The new count of added-field slots of each hierarchy root that gave out slots.</param>
/// <param name="Bindings">Each live class whose bindings grow (an added static function's field), with the new bindings.</param>
/// <param name="ClassObjects">Live class-object types (<c>$Main</c>) by the global that holds their one object.</param>
internal sealed record ReloadFieldPlan(
    int[]?[] Map,
    IReadOnlyList<(HlRuntimeType Type, HlRuntimeField[] Fields)> FieldLists,
    IReadOnlyList<(HlRuntimeType Owner, HlRuntimeField Field, string Name, bool IsStatic)> Added,
    IReadOnlyList<(HlRuntimeType Root, int Slots)> Slots,
    IReadOnlyList<(HlRuntimeType Type, (HlRuntimeField Field, int FunctionIndex, bool BindInstance)[] Bindings)> Bindings,
    IReadOnlyDictionary<HlRuntimeType, int> ClassObjects)
{
    /// <summary>True when <paramref name="field"/> is one this reload adds.</summary>
    public bool IsAdded(HlRuntimeField field) => Added.Any(a => ReferenceEquals(a.Field, field));
}

internal sealed partial class ReloadPlanner
{
    /// <summary>
    /// Matches every class's fields by name: a field the new version adds (to the class or to a
    /// super class) gets a live index after the existing ones in the class and every live
    /// subclass, and a slot in the instances' <see cref="HlReloadableInstance.Added"/> array unique
    /// along the hierarchy; a removed (or renamed) or retyped field is refused. The map sends each
    /// of the new version's field indices to the live one.
    /// </summary>
    private ReloadFieldPlan PlanFields(int[] types, int[] functions)
    {
        var classObjects = ClassObjectTypes();
        var added = new List<(HlRuntimeType Owner, HlRuntimeField Field, string Name, bool IsStatic)>();
        var slots = new Dictionary<HlRuntimeType, int>();
        foreach (var t2 in _next.Types.OfType<HlObjectType>().OrderBy(Depth))
        {
            if (types[t2.Index] < 0 || _module.Types[types[t2.Index]] is not { Kind: HlTypeKind.Obj or HlTypeKind.Struct } live)
            {
                continue;
            }

            var inherited = live.Super?.Fields ?? [];
            var own = live.Fields.Where(f => Array.IndexOf(inherited, f) < 0).ToList();
            var owner = "class " + t2.Name;
            foreach (var f1 in own)
            {
                var f2 = t2.Fields.FirstOrDefault(f => f.Name == f1.Name);
                if (f2 is null)
                {
                    _refused.Add(new ReloadRefusal(owner, f1.Name, "removed (a renamed field is removed and added; live objects hold it: restart needed)"));
                }
                else if (types[f2.Type.Index] < 0 || !ReferenceEquals(_module.Types[types[f2.Type.Index]], f1.Type))
                {
                    _refused.Add(new ReloadRefusal(owner, f1.Name, $"type changed from {f1.Type} to {f2.Type}"));
                }
            }

            foreach (var f2 in t2.Fields.Where(f => own.All(o => o.Name != f.Name)))
            {
                if (types[f2.Type.Index] < 0)
                {
                    continue; // The field's type is new: refused as such (MapTypes).
                }

                if (inherited.Any(f => f.Name == f2.Name))
                {
                    _refused.Add(new ReloadRefusal(owner, f2.Name, "moved from a super class (restart needed)"));
                    continue;
                }

                if (!_module.HotReload)
                {
                    _refused.Add(new ReloadRefusal(owner, f2.Name, "added, but the program was loaded without hot reload"));
                    continue;
                }

                var root = live;
                while (root.Super is { } up)
                {
                    root = up;
                }

                var slot = slots.TryGetValue(root, out var n) ? n : root.AddedSlots;
                slots[root] = slot + 1;
                var field = new HlRuntimeField(f2.Name, _module.Hashes.Hash(f2.Name), _module.Types[types[f2.Type.Index]])
                {
                    AddedSlot = slot,
                    Accessors = AddedFields.Instance,
                };
                added.Add((live, field, f2.Name, classObjects.ContainsKey(live)));
            }
        }

        // Every live class gets the fields added to it and to its super classes, root first.
        var lists = new List<(HlRuntimeType, HlRuntimeField[])>();
        var newFields = new Dictionary<HlRuntimeType, HlRuntimeField[]>();
        if (added.Count > 0)
        {
            foreach (var rt in _module.Types.Where(t => t.Kind is HlTypeKind.Obj or HlTypeKind.Struct))
            {
                var chain = new List<HlRuntimeType>();
                for (var t = rt; t is not null; t = t.Super)
                {
                    chain.Insert(0, t);
                }

                var extra = chain.SelectMany(t => added.Where(a => ReferenceEquals(a.Owner, t)).Select(a => a.Field)).ToArray();
                if (extra.Length > 0)
                {
                    var list = (HlRuntimeField[])[.. rt.Fields, .. extra];
                    newFields[rt] = list;
                    lists.Add((rt, list));
                }
            }
        }

        var map = new int[]?[_next.Types.Length];
        var bindings = new List<(HlRuntimeType, (HlRuntimeField, int, bool)[])>();
        foreach (var t2 in _next.Types.OfType<HlObjectType>())
        {
            if (types[t2.Index] < 0 || _module.Types[types[t2.Index]] is not { Kind: HlTypeKind.Obj or HlTypeKind.Struct } live)
            {
                continue;
            }

            map[t2.Index] = MapFieldIndices(t2, newFields.GetValueOrDefault(live) ?? live.Fields);
            PlanBindings(t2, live, map[t2.Index], newFields.GetValueOrDefault(live) ?? live.Fields, added, functions, bindings, classObjects);
        }

        return new ReloadFieldPlan(map, lists, added, [.. slots.Select(s => (s.Key, s.Value))], bindings, classObjects);
    }

    /// <summary>The live index of each field of <paramref name="t2"/> (super fields first), by name; -1 for one not there (refused elsewhere).</summary>
    private static int[]? MapFieldIndices(HlObjectType t2, HlRuntimeField[] live)
    {
        var names = new List<string>();
        for (var t = t2; t is not null; t = t.Super)
        {
            names.InsertRange(0, t.Fields.Select(f => f.Name));
        }

        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < live.Length; i++)
        {
            byName[live[i].Name] = i;
        }

        var indices = names.Select(n => byName.GetValueOrDefault(n, -1)).ToArray();
        return indices.Select((live, i) => live == i).All(same => same) ? null : indices;
    }

    /// <summary>
    /// A binding of the new version on a field this reload adds (an added static function is a
    /// field of <c>$Main</c> bound to the function): the live class gets it, and the one live class
    /// object is given the function value when the reload publishes. A binding on an added field of
    /// an ordinary class is refused: existing instances would not have it.
    /// </summary>
    private void PlanBindings(HlObjectType t2, HlRuntimeType live, int[]? fieldMap, HlRuntimeField[] liveFields,
        List<(HlRuntimeType Owner, HlRuntimeField Field, string Name, bool IsStatic)> added, int[] functions,
        List<(HlRuntimeType, (HlRuntimeField, int, bool)[])> result, Dictionary<HlRuntimeType, int> classObjects)
    {
        var own = new List<(HlRuntimeField, int, bool)>();
        foreach (var binding in t2.Bindings)
        {
            var index = fieldMap is null ? binding.FieldIndex : (uint)binding.FieldIndex < (uint)fieldMap.Length ? fieldMap[binding.FieldIndex] : -1;
            if ((uint)index >= (uint)liveFields.Length || !added.Any(a => ReferenceEquals(a.Field, liveFields[index])))
            {
                continue;
            }

            var field = liveFields[index];
            if (!classObjects.ContainsKey(live))
            {
                _refused.Add(new ReloadRefusal("class " + t2.Name, field.Name, "added dynamic method: existing instances would not have it (restart needed)"));
                continue;
            }

            var function = functions[binding.FunctionIndex];
            if (function < 0)
            {
                continue; // An added function with no live index yet: refused as such (MapFunctions).
            }

            var staticFun = field.Type.Kind == HlTypeKind.Fun && _next.GetFunctionType(binding.FunctionIndex).Arguments.Count == field.Type.Arguments.Length;
            own.Add((field, function, !staticFun));
        }

        if (own.Count > 0)
        {
            result.Add((live, [.. live.Bindings, .. own]));
        }
    }

    /// <summary>The live types whose one object a global holds as a class or enum value (<c>$Main</c> for <c>Main</c>), by that global.</summary>
    private Dictionary<HlRuntimeType, int> ClassObjectTypes()
    {
        var result = new Dictionary<HlRuntimeType, int>();
        foreach (var t in _live.Types)
        {
            var global = t switch
            {
                HlObjectType o => o.GlobalIndex,
                HlEnumType e => e.GlobalIndex,
                _ => null,
            };
            if (global is { } g && (uint)g < (uint)_live.Globals.Length)
            {
                result.TryAdd(_module.Types[_live.Globals[g].Index], g);
            }
        }

        return result;
    }

    private static int Depth(HlObjectType type)
    {
        var depth = 0;
        for (var t = type.Super; t is not null && depth < 64; t = t.Super)
        {
            depth++;
        }

        return depth;
    }
}
