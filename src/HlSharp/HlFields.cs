using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp;

/// <summary>Fields and methods by name on a Haxe object, for the views (<see cref="HlObject"/>, <see cref="HlClass"/>).</summary>
internal static class HlFields
{
    public static object? Get(HostValues values, object target, string name, Type result)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = values.Module.Hashes.Hash(name);
        switch (target)
        {
            case HlInstance o:
                var field = ClassField(values, o, name, hash);
                return values.ToHost(field.Getter(o), field.Type, result);
            case HlDynObj d:
                return d.Fields.TryGetValue(hash, out var value) ? values.ToHost(value, values.Dynamic, result) : throw NoField(values, target, name);
            default:
                throw new InvalidOperationException("not an object");
        }
    }

    public static void Set(HostValues values, object target, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = values.Module.Hashes.Hash(name);
        switch (target)
        {
            case HlInstance o:
                var field = ClassField(values, o, name, hash);
                field.Setter(o, values.ToHaxe(value, field.Type));
                return;
            case HlDynObj d:
                d.Fields[hash] = values.ToDynamic(value);
                return;
            default:
                throw new InvalidOperationException("not an object");
        }
    }

    private static HlRuntimeField ClassField(HostValues values, HlInstance target, string name, int hash)
    {
        var index = target.Type.FindField(hash);
        return index >= 0 ? target.Type.Fields[index] : throw NoField(values, target, name);
    }

    public static object? Call(HostValues values, object target, string name, object?[] args, Type result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = values.Module.Hashes.Hash(name);
        if (target is HlInstance o && o.Type.MethodsByHash.TryGetValue(hash, out var method))
        {
            return values.Vm.CallFunction(method, null, [new HlObject(values, o), .. args], result, cancellationToken);
        }

        var held = target switch
        {
            HlInstance obj when obj.Type.FindField(hash) is var i and >= 0 => obj.Type.Fields[i].Getter(obj),
            HlDynObj d => d.Fields.GetValueOrDefault(hash),
            _ => null,
        };
        if (held is HlClosure closure)
        {
            return values.Vm.CallFunction(-1, closure, args, result, cancellationToken);
        }

        var methods = target is HlInstance r ? r.Type.MethodsByHash.Keys.Select(h => values.Module.Hashes.NameOf(h) ?? string.Empty) : [];
        throw new ArgumentException($"{TypeName(target)} has no method {name}{HaxeTypeNames.DidYouMean(name, methods)}", nameof(name));
    }

    /// <summary>True when the class <paramref name="type"/> implements the interface named <paramref name="interfaceName"/> (its class object's <c>__implementedBy__</c>, hl/BaseType.hx).</summary>
    public static bool Implements(HostValues values, HlRuntimeType type, string interfaceName)
    {
        var code = values.Module.Code;
        var dot = interfaceName.LastIndexOf('.');
        var staticsName = interfaceName.Insert(dot + 1, "$");
        for (var g = 0; g < code.Globals.Length; g++)
        {
            if (values.Runtime.Types[code.Globals[g].Index].Name != staticsName || values.Module.GetGlobal(g) is not HlInstance statics)
            {
                continue;
            }

            var index = statics.Type.FindField(values.Module.Hashes.Hash("__implementedBy__"));
            return index >= 0 && statics.Type.Fields[index].Getter(statics) is HlArray implementers
                && implementers.Data.Cast<object?>().Any(t => t is HlRuntimeType implementer && type.IsSubclassOf(implementer));
        }

        return false;
    }

    public static string Text(HostValues values, object target) => ValueFormatter.Format(values.Runtime, target);

    private static string TypeName(object target) => target is HlInstance o ? o.Type.Name : "the anonymous object";

    private static ArgumentException NoField(HostValues values, object target, string name)
    {
        var fields = target switch
        {
            HlInstance o => o.Type.Fields.Select(f => f.Name),
            HlDynObj d => d.Fields.Keys.Select(h => values.Module.Hashes.NameOf(h) ?? string.Empty),
            _ => [],
        };
        return new ArgumentException($"{TypeName(target)} has no field {name}{HaxeTypeNames.DidYouMean(name, fields)}", nameof(name));
    }

    /// <summary>Whether a kind holds a pointer (for messages).</summary>
    public static bool IsPointer(HlTypeKind kind) => StorageTypes.IsPointer(kind);
}
