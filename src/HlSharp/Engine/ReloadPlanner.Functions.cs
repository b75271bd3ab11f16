using HlSharp.Bytecode;

namespace HlSharp.Engine;

internal sealed partial class ReloadPlanner
{
    private int[] MapFunctions(Dictionary<int, string> next)
    {
        var live = FunctionKeys(_live).ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        var map = new int[_next.FunctionIndexCount];
        Array.Fill(map, -1);
        foreach (var (index, key) in next)
        {
            if (live.TryGetValue(key, out var found))
            {
                map[index] = found;
            }
            else if (_next.GetNative(index) is { } native)
            {
                _refused.Add(new ReloadRefusal($"native {native}", null, "added (not supported yet)"));
            }
            else
            {
                _refused.Add(ReloadRefusal.Of(key, "added (not supported yet)"));
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
