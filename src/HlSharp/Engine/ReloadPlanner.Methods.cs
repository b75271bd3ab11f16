using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>A class's method table after a reload: its own methods (name, slot, function), the slot table and the by-name table, each replaced whole.</summary>
internal sealed record MethodTablePlan(HlRuntimeType Type, (string Name, int Slot, int FunctionIndex)[] Protos, int[] VTable, Dictionary<int, int> MethodsByHash);

internal sealed partial class ReloadPlanner
{
    /// <summary>
    /// Methods of existing classes (docs/HOT-RELOAD.md section 5, "An added method"). A method the
    /// module has keeps its slot; an added override takes its super class's slot; an added virtual
    /// method takes a slot above every method table of its class's whole hierarchy, so a super
    /// class's new slot is free in every subclass. The new version's slots may then differ from the
    /// module's: the map sends them (<see cref="CodeIndexMap.ProtoSlot"/>). A removed or reordered
    /// method is refused: live objects' slots would change meaning.
    /// </summary>
    private List<MethodTablePlan> PlanMethods(int[] types, int[] functions, CodeIndexMap map)
    {
        var own = new Dictionary<HlRuntimeType, (string Name, int Slot, int FunctionIndex)[]>();
        var slotMaps = new Dictionary<HlRuntimeType, Dictionary<int, int>>();
        var nextSlot = new Dictionary<HlRuntimeType, int>();
        var protoSlots = new Dictionary<(int, int), int>();
        var changed = new HashSet<HlRuntimeType>();
        var classes = _next.Types.OfType<HlObjectType>().Where(o => types[o.Index] >= 0 && types[o.Index] < _module.Types.Length).ToDictionary(o => _module.Types[types[o.Index]]);

        void Plan(HlRuntimeType rt, HlObjectType o2)
        {
            if (own.ContainsKey(rt))
            {
                return;
            }

            if (rt.Super is { } super && classes.TryGetValue(super, out var superNext))
            {
                Plan(super, superNext);
            }

            var slots = rt.Super is { } s && slotMaps.TryGetValue(s, out var inherited) ? new Dictionary<int, int>(inherited) : [];
            var before = rt.Protos;
            var names = o2.Protos.Select(p => p.Name).ToList();
            var kept = before.Select(p => p.Name).Where(names.Contains).ToList();
            // A method an earlier reload added may go again (back to an older version): it keeps its
            // slot, above every slot the older version knows, so nothing of that version reaches it.
            // An added override is the exception: its slot is its super class's, which the older
            // version calls, so it goes, and the slot is the inherited method's again.
            var addedBefore = before.Where(p => !names.Contains(p.Name) && p.FunctionIndex >= _live.FunctionIndexCount
                && !(p.Slot >= 0 && InheritedSlot(rt.Super, p.Name, own) == p.Slot)).ToList();
            var removed = before.Where(p => !names.Contains(p.Name) && p.FunctionIndex < _live.FunctionIndexCount).Select(p => p.Name).ToList();
            if (removed.Count > 0)
            {
                _refused.Add(new ReloadRefusal("class " + o2.Name, string.Join(",", removed), "method removed (live objects' method slots would change meaning)"));
            }
            else if (!kept.SequenceEqual(names.Where(kept.Contains)))
            {
                _refused.Add(new ReloadRefusal("class " + o2.Name, null, $"methods reordered ({string.Join(",", kept)} -> {string.Join(",", names.Where(kept.Contains))})"));
            }

            var after = new List<(string, int, int)>();
            foreach (var p2 in o2.Protos)
            {
                var function = functions[p2.FunctionIndex];
                var known = before.FirstOrDefault(p => p.Name == p2.Name);
                int slot;
                if (known.Name is not null)
                {
                    if ((known.Slot >= 0) != (p2.SlotIndex >= 0))
                    {
                        _refused.Add(new ReloadRefusal("class " + o2.Name, p2.Name, p2.SlotIndex >= 0 ? "method became virtual" : "method is no longer virtual"));
                    }

                    slot = known.Slot;
                }
                else if (p2.SlotIndex < 0)
                {
                    slot = -1;
                }
                else
                {
                    slot = InheritedSlot(rt.Super, p2.Name, own) ?? NewSlot(rt, nextSlot);
                }

                after.Add((p2.Name, slot, function));
                if (p2.SlotIndex >= 0 && slot >= 0)
                {
                    slots[p2.SlotIndex] = slot;
                }
            }

            after.AddRange(addedBefore);
            own[rt] = [.. after];
            slotMaps[rt] = slots;
            if (!after.SequenceEqual(before))
            {
                changed.Add(rt);
            }

            var typeIndex = Array.IndexOf(_module.Types, rt);
            foreach (var (from, to) in slots.Where(p => p.Key != p.Value))
            {
                protoSlots[(typeIndex, from)] = to;
            }
        }

        foreach (var (rt, o2) in classes)
        {
            Plan(rt, o2);
        }

        // An added class's method slots are the new version's; below a class whose slots moved they
        // would not line up with the table it inherits.
        foreach (var o2 in _next.Types.OfType<HlObjectType>().Where(o => types[o.Index] >= _module.Types.Length))
        {
            var super = o2.Super;
            while (super is not null && types[super.Index] >= _module.Types.Length)
            {
                super = super.Super;
            }

            if (super is not null && protoSlots.Keys.Any(k => k.Item1 == types[super.Index]))
            {
                _refused.Add(new ReloadRefusal("class " + o2.Name, null, $"added below class {super.Name}, whose method slots this reload moves (not supported yet)"));
            }
        }

        if (changed.Count == 0)
        {
            return [];
        }

        // Every class below a changed one inherits its new slots: rebuild those tables too, super classes first.
        var plans = new Dictionary<HlRuntimeType, MethodTablePlan>();
        MethodTablePlan Table(HlRuntimeType rt)
        {
            if (plans.TryGetValue(rt, out var done))
            {
                return done;
            }

            var protos = own.GetValueOrDefault(rt) ?? rt.Protos;
            var vtable = new List<int>();
            var byHash = new Dictionary<int, int>();
            if (rt.Super is { } super)
            {
                var superTable = Affected(super) ? Table(super) : null;
                vtable.AddRange(superTable?.VTable ?? super.VTable);
                foreach (var (hash, function) in superTable?.MethodsByHash ?? super.MethodsByHash)
                {
                    byHash[hash] = function;
                }
            }

            foreach (var (name, slot, function) in protos)
            {
                if (slot >= 0)
                {
                    while (vtable.Count <= slot)
                    {
                        vtable.Add(-1);
                    }

                    vtable[slot] = function;
                }

                byHash[_module.Hashes.Hash(name)] = function;
            }

            return plans[rt] = new MethodTablePlan(rt, protos, [.. vtable], byHash);
        }

        bool Affected(HlRuntimeType rt)
        {
            for (var t = rt; t is not null; t = t.Super)
            {
                if (changed.Contains(t))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var rt in _module.Types.Where(t => t.Kind is HlTypeKind.Obj or HlTypeKind.Struct && Affected(t)))
        {
            Table(rt);
        }

        map.ProtoSlots = protoSlots.Count > 0 ? protoSlots : null;
        map.VTables = plans.ToDictionary(p => p.Key, p => p.Value.VTable);
        return [.. plans.Values];
    }

    /// <summary>The slot a super class gives a method of this name (an override), as this reload plans it.</summary>
    private static int? InheritedSlot(HlRuntimeType? type, string name, Dictionary<HlRuntimeType, (string Name, int Slot, int FunctionIndex)[]> planned)
    {
        for (var t = type; t is not null; t = t.Super)
        {
            foreach (var (protoName, slot, _) in planned.GetValueOrDefault(t) ?? t.Protos)
            {
                if (protoName == name && slot >= 0)
                {
                    return slot;
                }
            }
        }

        return null;
    }

    /// <summary>A slot no class of <paramref name="type"/>'s hierarchy uses (above the largest method table of all of them).</summary>
    private int NewSlot(HlRuntimeType type, Dictionary<HlRuntimeType, int> nextSlot)
    {
        var root = type;
        while (root.Super is { } super)
        {
            root = super;
        }

        if (!nextSlot.TryGetValue(root, out var next))
        {
            next = _module.Types.Where(t => t.Kind is HlTypeKind.Obj or HlTypeKind.Struct && Root(t) == root).Max(t => t.VTable.Length);
        }

        nextSlot[root] = next + 1;
        return next;

        static HlRuntimeType Root(HlRuntimeType t)
        {
            while (t.Super is { } s)
            {
                t = s;
            }

            return t;
        }
    }
}
