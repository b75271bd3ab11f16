using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Which method-table slots hold one function for every instance a class type can hold: the
/// class's own entry, when no subclass in the program puts another in that slot. A method call
/// on such a receiver may call that function directly (devirtualised) rather than read the
/// instance's method table. Only valid while the set of classes cannot change, that is without
/// hot reload (a reload can add a subclass that overrides the method).
/// </summary>
internal sealed class FixedMethods
{
    private readonly Dictionary<HlRuntimeType, List<HlRuntimeType>> _subclasses = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(HlRuntimeType Type, int Slot), int> _answers = [];
    private readonly Lock _lock = new();

    public FixedMethods(IEnumerable<HlRuntimeType> types)
    {
        foreach (var type in types)
        {
            if (type.Kind is HlTypeKind.Obj or HlTypeKind.Struct && type.Super is { } super)
            {
                if (!_subclasses.TryGetValue(super, out var list))
                {
                    list = [];
                    _subclasses[super] = list;
                }

                list.Add(type);
            }
        }
    }

    /// <summary>The function every instance of <paramref name="type"/> (or a subclass) runs for method slot <paramref name="slot"/>, or -1 when subclasses differ.</summary>
    public int Target(HlRuntimeType type, int slot)
    {
        lock (_lock)
        {
            if (!_answers.TryGetValue((type, slot), out var answer))
            {
                answer = Compute(type, slot);
                _answers[(type, slot)] = answer;
            }

            return answer;
        }
    }

    private int Compute(HlRuntimeType type, int slot)
    {
        var table = type.VTable;
        if ((uint)slot >= (uint)table.Length || table[slot] < 0)
        {
            return -1;
        }

        var target = table[slot];
        var pending = new Stack<HlRuntimeType>();
        pending.Push(type);
        while (pending.Count > 0)
        {
            if (!_subclasses.TryGetValue(pending.Pop(), out var subclasses))
            {
                continue;
            }

            foreach (var subclass in subclasses)
            {
                if ((uint)slot >= (uint)subclass.VTable.Length || subclass.VTable[slot] != target)
                {
                    return -1;
                }

                pending.Push(subclass);
            }
        }

        return target;
    }
}
