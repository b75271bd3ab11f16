namespace HlSharp.Bytecode;

/// <summary>
/// Resolves the numbers operations use to name members (field indices, method slots, enum
/// constructors) against the types that define them. Every lookup tolerates bad input: an index
/// out of range or a type of the wrong kind gives null, so a listing of damaged bytecode still prints.
/// </summary>
internal static class HlMembers
{
    // A super chain longer than this is treated as a cycle (the reader does not forbid one).
    private const int MaxSuperChain = 256;

    /// <summary>
    /// The fields of a class and all its super classes, super classes first: the numbering that
    /// field operations and bindings use (HashLink's <c>hl_obj_field_fetch</c> counts the same way).
    /// </summary>
    public static List<HlField> AllFields(HlObjectType obj)
    {
        var chain = SuperChain(obj);
        var fields = new List<HlField>();
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            fields.AddRange(chain[i].Fields);
        }

        return fields;
    }

    /// <summary>The number of fields the super classes of a class declare: the index of its first own field.</summary>
    public static int InheritedFieldCount(HlObjectType obj)
    {
        var chain = SuperChain(obj);
        var count = 0;
        for (var i = 1; i < chain.Count; i++)
        {
            count += chain[i].Fields.Count;
        }

        return count;
    }

    /// <summary>The field with an index of an object (counted across its super classes) or of a virtual.</summary>
    public static HlField? Field(HlType? type, int index)
    {
        var fields = type switch
        {
            HlObjectType obj => AllFields(obj),
            HlVirtualType v => v.Fields,
            _ => null,
        };
        return fields is not null && (uint)index < (uint)fields.Count ? fields[index] : null;
    }

    /// <summary>
    /// The method a method-table slot of a class holds: the nearest override, searching the class
    /// and then its super classes, as HashLink fills the table.
    /// </summary>
    public static HlProto? Method(HlType? type, int slot)
    {
        if (type is not HlObjectType obj)
        {
            return null;
        }

        foreach (var t in SuperChain(obj))
        {
            foreach (var proto in t.Protos)
            {
                if (proto.SlotIndex == slot && slot >= 0)
                {
                    return proto;
                }
            }
        }

        return null;
    }

    /// <summary>The constructor with an index of an enum type.</summary>
    public static HlEnumConstruct? Construct(HlType? type, int index) =>
        type is HlEnumType e && (uint)index < (uint)e.Constructs.Count ? e.Constructs[index] : null;

    /// <summary>The class followed by its super classes, stopping at a cycle.</summary>
    private static List<HlObjectType> SuperChain(HlObjectType obj)
    {
        var chain = new List<HlObjectType>();
        for (HlObjectType? t = obj; t is not null && chain.Count < MaxSuperChain && !chain.Contains(t); t = t.Super)
        {
            chain.Add(t);
        }

        return chain;
    }
}
