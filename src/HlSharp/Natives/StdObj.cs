using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Natives;

// The runtime's object base, not the public view of the same name in the enclosing HlSharp namespace.

/// <summary>
/// Field access by name hash on any value (HashLink's <c>std/obj.c</c>): what <c>Reflect</c> and
/// <c>hl.Api</c> reach. A virtual is the object behind it in HlSharp, so the virtual cases of
/// HashLink collapse into the class-instance and anonymous-object ones.
/// </summary>
internal static class StdObj
{
    [HlNative("std", "hash")]
    public static int Hash(NativeContext m, HlBytes name) => m.Runtime.Hashes.Hash(name.Ucs2TerminatedChars());

    [HlNative("std", "field_name")]
    public static HlBytes FieldName(NativeContext m, int hash) => m.Runtime.Hashes.NameBytesOf(hash) ?? HlBytes.FromString("???");

    [HlNative("std", "obj_get_field")]
    public static object? GetField(NativeContext m, object? obj, int hash) =>
        obj is HlInstance or HlDynObj ? m.Runtime.DynGetField(obj, hash) : null;

    [HlNative("std", "obj_set_field")]
    public static void SetField(NativeContext m, object? obj, int hash, object? value) => m.Runtime.DynSetField(obj, hash, value);

    [HlNative("std", "obj_has_field")]
    public static bool HasField(object? obj, int hash) => obj switch
    {
        // Only data fields count: a method is not a field of the instance.
        HlInstance o => o.Type.FindField(hash) >= 0,
        HlDynObj d => d.Fields.ContainsKey(hash),
        _ => false,
    };

    [HlNative("std", "obj_delete_field")]
    public static bool DeleteField(object? obj, int hash) => obj is HlDynObj d && d.Fields.Remove(hash);

    [HlNative("std", "obj_fields")]
    public static HlArray? Fields(NativeContext m, object? obj)
    {
        switch (obj)
        {
            case HlDynObj d:
                // Json.stringify lists the fields of every structure it prints: straight into the array.
                var fields = d.Fields;
                var names = new object?[fields.Count];
                for (var i = 0; i < names.Length; i++)
                {
                    names[i] = FieldName(m, fields.HashAt(i));
                }

                return new HlArray(m.Runtime.BasicTypes.Of(HlTypeKind.Bytes), names);
            case HlInstance o:
                return NameArray(m, ClassFieldNames(o.Type));
            default:
                return null;
        }
    }

    [HlNative("std", "obj_copy")]
    public static object? Copy(object? obj)
    {
        // HashLink copies anonymous objects only; a class instance gives null.
        if (obj is not HlDynObj d)
        {
            return null;
        }

        var copy = new HlDynObj();
        foreach (var (hash, value) in d.Fields)
        {
            copy.Fields[hash] = value;
        }

        return copy;
    }

    [HlNative("std", "get_virtual_value")]
    public static object? GetVirtualValue(object? value) => value;

    /// <summary>
    /// A class's data fields as HashLink lists them: the class's own fields first, then each super
    /// class's, every level in declaration order, leaving out unnamed fields.
    /// </summary>
    internal static List<string> ClassFieldNames(HlRuntimeType type)
    {
        var names = new List<string>();
        for (var t = type; t is not null; t = t.Super)
        {
            var start = t.Super?.Fields.Length ?? 0;
            for (var i = start; i < t.Fields.Length; i++)
            {
                if (t.Fields[i].Name.Length > 0)
                {
                    names.Add(t.Fields[i].Name);
                }
            }
        }

        return names;
    }

    /// <summary>A <c>NativeArray&lt;hl.Bytes&gt;</c> of UCS-2 names.</summary>
    internal static HlArray NameArray(NativeContext m, IReadOnlyCollection<string> names) =>
        new(m.Runtime.BasicTypes.Of(HlTypeKind.Bytes), names.Select(n => (object?)HlBytes.FromString(n)).ToArray());
}
