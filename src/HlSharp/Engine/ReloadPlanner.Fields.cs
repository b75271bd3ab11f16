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
/// <param name="PendingTypes">Added fields whose type the same reload adds (a new static function's type), with that type's index in the new version: <see cref="HlModule.Reload"/> sets it once the type exists, before compiling.</param>
internal sealed record ReloadFieldPlan(
    int[]?[] Map,
    IReadOnlyList<(HlRuntimeType Type, HlRuntimeField[] Fields)> FieldLists,
    IReadOnlyList<(HlRuntimeType Owner, HlRuntimeField Field, string Name, bool IsStatic)> Added,
    IReadOnlyList<(HlRuntimeType Root, int Slots)> Slots,
    IReadOnlyList<(HlRuntimeType Type, (HlRuntimeField Field, int FunctionIndex, bool BindInstance)[] Bindings)> Bindings,
    IReadOnlyDictionary<HlRuntimeType, int> ClassObjects,
    IReadOnlyList<(HlRuntimeField Field, int NextType)> PendingTypes)
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
        var pending = new List<(HlRuntimeField, int)>();
        foreach (var t2 in _next.Types.OfType<HlObjectType>().OrderBy(Depth))
        {
            if (ExistingType(types[t2.Index]) is not { Kind: HlTypeKind.Obj or HlTypeKind.Struct } live)
            {
                continue;
            }

            var inherited = live.Super?.Fields ?? [];
            var own = live.Fields.Where(f => Array.IndexOf(inherited, f) < 0).ToList();
            var owner = "class " + (classObjects.ContainsKey(live) ? ClassOfObject(t2.Name) : t2.Name);
            foreach (var f1 in own)
            {
                var f2 = t2.Fields.FirstOrDefault(f => f.Name == f1.Name);
                if (f2 is null)
                {
                    _refused.Add(new ReloadRefusal(owner, f1.Name, "removed (a renamed field is removed and added; live objects hold it: restart needed)"));
                }
                else if (!ReferenceEquals(ExistingType(types[f2.Type.Index]), f1.Type) && !live.Bindings.Any(b => ReferenceEquals(b.Field, f1)))
                {
                    // A bound field (a static function's) changes type with the function's signature, refused as such.
                    _refused.Add(new ReloadRefusal(owner, f1.Name, $"type changed from {f1.Type} to {f2.Type}"));
                }
            }

            foreach (var f2 in t2.Fields.Where(f => own.All(o => o.Name != f.Name)))
            {
                if (types[f2.Type.Index] < 0)
                {
                    continue; // The field's type is unknown: refused as such (MapTypes).
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
                // A type the same reload adds (the function type of an added static function) exists once it is published: set then.
                var fieldType = ExistingType(types[f2.Type.Index]);
                var field = new HlRuntimeField(f2.Name, _module.Hashes.Hash(f2.Name), fieldType ?? HlRuntimeType.Synthetic(HlTypeKind.Dyn))
                {
                    AddedSlot = slot,
                    Accessors = AddedFields.Instance,
                };
                if (fieldType is null)
                {
                    pending.Add((field, f2.Type.Index));
                }

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
            if (ExistingType(types[t2.Index]) is not { Kind: HlTypeKind.Obj or HlTypeKind.Struct } live)
            {
                continue;
            }

            map[t2.Index] = MapFieldIndices(t2, newFields.GetValueOrDefault(live) ?? live.Fields);
            PlanBindings(t2, live, map[t2.Index], newFields.GetValueOrDefault(live) ?? live.Fields, added, functions, bindings, classObjects);
        }

        return new ReloadFieldPlan(map, lists, added, [.. slots.Select(s => (s.Key, s.Value))], bindings, classObjects, pending);
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

            // As at load: a function-typed field whose function takes as many arguments holds a static closure.
            var staticFun = FieldOfVersion(t2, binding.FieldIndex)?.Type is HlFunctionType { Kind: HlTypeKind.Fun } type
                && _next.GetFunctionType(binding.FunctionIndex).Arguments.Count == type.Arguments.Count;
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

    /// <summary>Field <paramref name="index"/> of <paramref name="type"/>'s full list (super fields first) in its own version.</summary>
    private static HlField? FieldOfVersion(HlObjectType type, int index)
    {
        var chain = new List<HlObjectType>();
        for (var t = type; t is not null; t = t.Super)
        {
            chain.Insert(0, t);
        }

        foreach (var t in chain)
        {
            if (index < t.Fields.Count)
            {
                return t.Fields[index];
            }

            index -= t.Fields.Count;
        }

        return null;
    }

    /// <summary>The class a class object's type stands for: <c>$Main</c> is <c>Main</c>'s, <c>pack.$Foo</c> is <c>pack.Foo</c>'s.</summary>
    public static string ClassOfObject(string name)
    {
        var dot = name.LastIndexOf('.');
        var simple = name[(dot + 1)..];
        return simple.StartsWith('$') ? name[..(dot + 1)] + simple[1..] : name;
    }

    /// <summary>The module's type at a live index, or null for a type the reload adds (no index yet, or one past the module's table).</summary>
    private HlRuntimeType? ExistingType(int live) => (uint)live < (uint)_module.Types.Length ? _module.Types[live] : null;

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
