using System.Collections.Immutable;

namespace HlSharp.Bytecode;

/// <summary>
/// Names functions after the class members they implement. Instance methods come from a class's
/// protos; static functions are bindings of the class's static type, which Haxe names with a
/// <c>$</c> before the class name (<c>$Main</c> holds <c>Main.main</c>, <c>haxe.$Log</c> holds <c>haxe.Log.trace</c>).
/// </summary>
internal static class HlFunctionOwners
{
    public static void Assign(ImmutableArray<HlType> types, object?[] byIndex)
    {
        foreach (var type in types)
        {
            if (type is not HlObjectType obj)
            {
                continue;
            }

            foreach (var proto in obj.Protos)
            {
                SetOwner(byIndex, proto.FunctionIndex, new HlFunctionOwner(obj.Name, proto.Name, IsStatic: false));
            }

            if (obj.Bindings.Count == 0)
            {
                continue;
            }

            // The '$' marks the class name, not the package: hl.types.$ArrayDyn holds hl.types.ArrayDyn's statics.
            var nameStart = obj.Name.LastIndexOf('.') + 1;
            var isStatics = nameStart < obj.Name.Length && obj.Name[nameStart] == '$';
            var typeName = isStatics ? obj.Name.Remove(nameStart, 1) : obj.Name;
            var fieldNames = AllFieldNames(obj);
            foreach (var binding in obj.Bindings)
            {
                if ((uint)binding.FieldIndex < (uint)fieldNames.Count)
                {
                    SetOwner(byIndex, binding.FunctionIndex, new HlFunctionOwner(typeName, fieldNames[binding.FieldIndex], isStatics));
                }
            }
        }
    }

    /// <summary>The fields of a class and all its super classes, super classes first, as binding indices count them.</summary>
    public static List<string> AllFieldNames(HlObjectType obj)
    {
        var chain = new List<HlObjectType>();
        for (HlObjectType? t = obj; t is not null && chain.Count < 256 && !chain.Contains(t); t = t.Super)
        {
            chain.Add(t);
        }

        var names = new List<string>();
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            names.AddRange(chain[i].Fields.Select(f => f.Name));
        }

        return names;
    }

    private static void SetOwner(object?[] byIndex, int functionIndex, HlFunctionOwner owner)
    {
        if ((uint)functionIndex < (uint)byIndex.Length && byIndex[functionIndex] is HlFunction { Owner: null } f)
        {
            f.Owner = owner;
        }
    }
}
