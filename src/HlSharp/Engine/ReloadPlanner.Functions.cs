using HlSharp.Bytecode;

namespace HlSharp.Engine;

internal sealed partial class ReloadPlanner
{
    private readonly List<(int LiveIndex, int NextIndex, string Key)> _added = [];

    /// <summary>
    /// Matches every function of the new version to the live table (the program's functions, then
    /// those earlier reloads added) by key; one the module has not takes the next reserved slot.
    /// </summary>
    private int[] MapFunctions(Dictionary<int, string> next)
    {
        var live = FunctionKeys(_live).ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        foreach (var (key, index) in _module.AddedFunctionKeys)
        {
            live.TryAdd(key, index);
        }

        var map = new int[_next.FunctionIndexCount];
        Array.Fill(map, -1);
        var free = _module.FunctionCount;
        foreach (var (index, key) in next.OrderBy(p => p.Key))
        {
            if (live.TryGetValue(key, out var found))
            {
                map[index] = found;
            }
            else if (free < _module.FunctionCapacity)
            {
                map[index] = free;
                _added.Add((free++, index, key));
            }
            else
            {
                var room = _module.FunctionCapacity - _module.Code.FunctionIndexCount;
                _refused.Add(ReloadRefusal.Of(key, room == 0
                    ? "added, and the VM was loaded without HlVmOptions.HotReload, so it has no room for new functions (restart needed)"
                    : $"added, and the {room} slots kept for functions reloads add are used up (restart needed)"));
            }
        }

        return map;
    }

    /// <summary>
    /// A name for each function index that does not depend on indices: natives by library and name,
    /// members by owner and field, the entry as such, and a closure (a function nobody owns) by the
    /// function that first creates it and how many closures that function created before it.
    /// </summary>
    private static Dictionary<int, string> FunctionKeys(HlCode code)
    {
        var keys = new Dictionary<int, string>();
        foreach (var native in code.Natives)
        {
            keys[native.Index] = $"native {native.Library}@{native.Name}";
        }

        var pending = new Queue<HlFunction>();
        foreach (var f in code.Functions)
        {
            if (f.Owner is { } owner)
            {
                keys[f.Index] = $"{owner.TypeName}.{owner.FieldName}{(owner.IsStatic ? " (static)" : string.Empty)}";
                pending.Enqueue(f);
            }
            else if (f.Index == code.EntryPoint)
            {
                keys[f.Index] = "(entry)";
                pending.Enqueue(f);
            }
        }

        while (pending.TryDequeue(out var parent))
        {
            var made = 0;
            foreach (var op in parent.Ops)
            {
                if (op.Opcode is HlOpcode.StaticClosure or HlOpcode.InstanceClosure
                    && code.GetFunction(op.P2) is { Owner: null } closure && !keys.ContainsKey(closure.Index))
                {
                    keys[closure.Index] = $"{keys[parent.Index]}~{made++}";
                    pending.Enqueue(closure);
                }
            }
        }

        // Functions nobody owns that are only called (static helpers with no binding, such as the
        // standard library's hl.types.ArrayObj.alloc): by the function that first calls them, in
        // index order of the callers, and how many such callees it called before (`>n`). Their own
        // closures follow the closure rule.
        var callers = new Queue<int>(keys.Keys.Order());
        while (callers.TryDequeue(out var index))
        {
            if (code.GetFunction(index) is not { } parent)
            {
                continue;
            }

            int called = 0, made = 0;
            foreach (var op in parent.Ops)
            {
                if (op.Opcode is not ((>= HlOpcode.Call0 and <= HlOpcode.CallN) or HlOpcode.StaticClosure or HlOpcode.InstanceClosure)
                    || code.GetFunction(op.P2) is not { Owner: null } callee || keys.ContainsKey(callee.Index))
                {
                    continue;
                }

                if (op.Opcode is >= HlOpcode.Call0 and <= HlOpcode.CallN)
                {
                    keys[callee.Index] = $"{keys[index]}>{called++}";
                    callers.Enqueue(callee.Index);
                }
                else if (op.Opcode is HlOpcode.StaticClosure or HlOpcode.InstanceClosure)
                {
                    keys[callee.Index] = $"{keys[index]}~c{made++}";
                    callers.Enqueue(callee.Index);
                }
            }
        }

        foreach (var f in code.Functions)
        {
            keys.TryAdd(f.Index, $"(unreached function {f.Index})");
        }

        // A key met twice (a native the program declares twice) is told apart by its rank, in index order.
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var index in keys.Keys.Order().ToList())
        {
            var rank = seen[keys[index]] = seen.GetValueOrDefault(keys[index]) + 1;
            if (rank > 1)
            {
                keys[index] += $" #{rank}";
            }
        }

        return keys;
    }
}
