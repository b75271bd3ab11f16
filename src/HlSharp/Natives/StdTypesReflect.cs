using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// The reflective half of HashLink's <c>std/types.c</c>: instance field lists, enum values built
/// and taken apart at run time, enum equality. What <c>Type</c> in Haxe's standard library calls.
/// </summary>
internal static class StdTypesReflect
{
    [HlNative("std", "type_str")]
    public static HlBytes TypeStr(HlRuntimeType type) => HlBytes.FromString(type.ToString());

    [HlNative("std", "type_instance_fields")]
    public static HlArray? InstanceFields(NativeContext m, HlRuntimeType type)
    {
        if (type.Kind == HlTypeKind.Virtual)
        {
            return StdObj.NameArray(m, type.Fields.Select(f => f.Name).ToList());
        }

        if (type.Kind is not (HlTypeKind.Obj or HlTypeKind.Struct))
        {
            return null;
        }

        // Per class, from the class up to the root: the methods it introduces (not its overrides),
        // then the fields it declares.
        var names = new List<string>();
        for (var t = type; t is not null; t = t.Super)
        {
            var inherited = t.Super?.VTable.Length ?? 0;
            foreach (var proto in ((HlObjectType)t.Source!).Protos)
            {
                if (proto.SlotIndex < 0 || proto.SlotIndex >= inherited)
                {
                    names.Add(proto.Name);
                }
            }

            var start = t.Super?.Fields.Length ?? 0;
            for (var i = start; i < t.Fields.Length; i++)
            {
                names.Add(t.Fields[i].Name);
            }
        }

        return StdObj.NameArray(m, names);
    }

    [HlNative("std", "type_enum_eq")]
    public static bool EnumEq(NativeContext m, object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is not HlEnumValue x || b is not HlEnumValue y || !ReferenceEquals(x.Type, y.Type) || x.Index != y.Index)
        {
            return false;
        }

        var parameters = x.Type.ConstructArgs[x.Index];
        for (var i = 0; i < parameters.Length; i++)
        {
            var pa = StorageTypes.Box(parameters[i].Kind, x.Args[i]);
            var pb = StorageTypes.Box(parameters[i].Kind, y.Args[i]);
            if (parameters[i].Kind == HlTypeKind.Enum || (pa is HlEnumValue && pb is HlEnumValue))
            {
                if (!EnumEq(m, pa, pb))
                {
                    return false;
                }

                continue;
            }

            if (m.Runtime.DynCompare(pa, pb) != 0)
            {
                return false;
            }
        }

        return true;
    }

    [HlNative("std", "alloc_enum_dyn")]
    public static object? AllocEnumDyn(NativeContext m, HlRuntimeType type, int index, HlArray args, int nargs)
    {
        var parameters = type.ConstructArgs[index];
        if (parameters.Length < nargs || args.Length < nargs)
        {
            return null;
        }

        // Missing trailing arguments are allowed when they can be null.
        for (var i = nargs; i < parameters.Length; i++)
        {
            if (!StorageTypes.IsPointer(parameters[i].Kind))
            {
                return null;
            }
        }

        var values = new object?[parameters.Length];
        var given = (object?[])args.Data;
        for (var i = 0; i < nargs; i++)
        {
            values[i] = m.Runtime.ToStorage(given[i], parameters[i]);
        }

        return new HlEnumValue(type, index, values);
    }

    [HlNative("std", "enum_parameters")]
    public static HlArray EnumParameters(NativeContext m, HlEnumValue value)
    {
        var parameters = value.Type.ConstructArgs[value.Index];
        var values = new object?[parameters.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = StorageTypes.Box(parameters[i].Kind, value.Args[i]);
        }

        return new HlArray(m.Runtime.BasicTypes.Dyn, values);
    }
}
