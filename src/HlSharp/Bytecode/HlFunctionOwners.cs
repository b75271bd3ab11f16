using System.Collections.Immutable;

namespace HlSharp.Bytecode;

/// <summary>
/// Names functions after the class members they implement. Instance methods come from a class's
/// protos; static functions are bindings of the class's static type, which Haxe names with a
/// <c>$</c> before the class name (<c>$Main</c> holds <c>Main.main</c>, <c>haxe.$Exception</c> holds
/// <c>haxe.Exception.thrown</c>). The walk over members (<see cref="MemberFunctions"/>) is shared
/// with the stack-trace names, which apply their own rules to it.
/// </summary>
internal static class HlFunctionOwners
{
    public static void Assign(ImmutableArray<HlType> types, object?[] byIndex)
    {
        foreach (var member in MemberFunctions(types))
        {
            var obj = member.Owner;
            if (member.BoundField is null)
            {
                SetOwner(byIndex, member.FunctionIndex, new HlFunctionOwner(obj.Name, member.Field, IsStatic: false));
                continue;
            }

            // The `$` starts the class's own name, after its package: `haxe.$Exception` holds `haxe.Exception.thrown`.
            var nameStart = obj.Name.LastIndexOf('.') + 1;
            var isStatics = nameStart < obj.Name.Length && obj.Name[nameStart] == '$';
            var typeName = isStatics ? obj.Name.Remove(nameStart, 1) : obj.Name;
            SetOwner(byIndex, member.FunctionIndex, new HlFunctionOwner(typeName, member.Field, isStatics));
        }
    }

    /// <summary>
    /// Every function a class member holds, class by class in type order: the class's protos, then
    /// its bindings whose field index names a field (super classes' fields first, as binding
    /// indices count them). Function indices are as the bytecode says, unchecked.
    /// </summary>
    public static IEnumerable<HlMemberFunction> MemberFunctions(IEnumerable<HlType> types)
    {
        foreach (var type in types)
        {
            if (type is not HlObjectType obj)
            {
                continue;
            }

            foreach (var proto in obj.Protos)
            {
                yield return new HlMemberFunction(proto.FunctionIndex, obj, proto.Name, null);
            }

            if (obj.Bindings.Count == 0)
            {
                continue;
            }

            var fields = HlMembers.AllFields(obj);
            foreach (var binding in obj.Bindings)
            {
                if ((uint)binding.FieldIndex < (uint)fields.Count)
                {
                    var field = fields[binding.FieldIndex];
                    yield return new HlMemberFunction(binding.FunctionIndex, obj, field.Name, field);
                }
            }
        }
    }

    /// <summary>The fields of a class and all its super classes, super classes first, as binding indices count them.</summary>
    public static List<string> AllFieldNames(HlObjectType obj) => [.. HlMembers.AllFields(obj).Select(f => f.Name)];

    private static void SetOwner(object?[] byIndex, int functionIndex, HlFunctionOwner owner)
    {
        if ((uint)functionIndex < (uint)byIndex.Length && byIndex[functionIndex] is HlFunction { Owner: null } f)
        {
            f.Owner = owner;
        }
    }
}

/// <summary>A function a class member holds: a method (<paramref name="BoundField"/> null) or a function bound to a field.</summary>
internal readonly record struct HlMemberFunction(int FunctionIndex, HlObjectType Owner, string Field, HlField? BoundField);
