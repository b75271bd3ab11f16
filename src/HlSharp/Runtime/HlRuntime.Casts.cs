using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>Casts of dynamic values (HashLink's <c>hl_dyn_castp</c> and friends) and the storage forms typed code holds.</summary>
internal sealed partial class HlRuntime
{
    // The hash of __cast, hashed once (DynCast asks for it on every cast between classes); 0 until then.
    private int _castHash;

    private int CastHash => _castHash != 0 ? _castHash : _castHash = Hashes.Hash("__cast");

    /// <summary>
    /// The caller of a class's <c>__cast</c> as <see cref="DynCast"/> calls it for an instance of
    /// <paramref name="type"/> cast to a class it is not: with the instance and the target type,
    /// which are already in the storage form its parameters take (so <see cref="Invoke"/>'s
    /// conversions would change nothing), returning a reference; null when the class has no such method.
    /// </summary>
    public Func<object?, object?, object?>? CastConverter(HlRuntimeType type)
    {
        if (!type.MethodsByHash.TryGetValue(CastHash, out var cast))
        {
            return null;
        }

        var signature = FunctionType(cast);
        return signature.Arguments is [var self, { Kind: HlTypeKind.Type }] && type.IsSubclassOf(self) && signature.Return?.Storage == typeof(object)
            ? _compiled.ReferenceCaller2(cast)
            : null;
    }

    /// <summary>HashLink's checked cast of a dynamic to a pointer type (<c>hl_dyn_castp</c>).</summary>
    public object? DynCast(object? value, HlRuntimeType target)
    {
        if (value is null)
        {
            return null;
        }

        switch (target.Kind)
        {
            case HlTypeKind.Dyn:
                return value;
            case HlTypeKind.Null:
                return ToDynamicOfKind(value, target.Inner!);
            case HlTypeKind.Obj:
            case HlTypeKind.Struct:
                if (value is HlInstance obj)
                {
                    for (var t = obj.Type; t is not null; t = t.Super)
                    {
                        // Same class, or a class of the same name (HashLink compares names too).
                        if (ReferenceEquals(t, target) || t.Name == target.Name)
                        {
                            return value;
                        }
                    }

                    // A class may convert itself (ArrayObj to ArrayDyn, for instance) with __cast.
                    if (obj.Type.MethodsByHash.TryGetValue(CastHash, out var cast) && Invoke(cast, [obj, target]) is { } converted)
                    {
                        return converted;
                    }
                }

                break;
            case HlTypeKind.Virtual:
                return ToVirtual(value, target);
            case HlTypeKind.Fun:
                if (value is HlClosure closure && AdaptClosure(closure, target) is { } adapted)
                {
                    return adapted;
                }

                break;
            case HlTypeKind.Bytes when value is HlBytes:
            case HlTypeKind.Array when value is HlArray:
            case HlTypeKind.Type when value is HlRuntimeType:
            case HlTypeKind.DynObj when value is HlDynObj:
                return value;
            case HlTypeKind.Enum:
                if (value is HlEnumValue e && (ReferenceEquals(e.Type, target) || e.Type.Name == target.Name))
                {
                    return value;
                }

                break;
            case HlTypeKind.Abstract:
                return value;
            case HlTypeKind.Ref:
                return value.GetType().IsGenericType && value.GetType().GetGenericTypeDefinition() == typeof(HlRef<>)
                    ? value
                    : NewRefCell(value, target.Inner!) ?? throw MakeError($"Can't cast {TypeOfValue(value).TypeString()} to {target.TypeString()}");
        }

        throw MakeError($"Can't cast {TypeOfValue(value).TypeString()} to {target.TypeString()}");
    }

    /// <summary>
    /// A fresh cell holding a dynamic number converted to a basic kind: HashLink makes one when a
    /// dynamic is cast to <c>ref&lt;T&gt;</c>, which is how Haxe passes default-valued basic
    /// arguments (a caller with a <c>Dynamic</c> or <c>Reflect.callMethod</c> gets here).
    /// Null for other kinds, which cannot be cast.
    /// </summary>
    private static object? NewRefCell(object value, HlRuntimeType inner) => inner.Kind switch
    {
        HlTypeKind.I32 or HlTypeKind.UI8 or HlTypeKind.UI16 => new HlRef<int>(RuntimeOps.DynToInt(value)),
        HlTypeKind.Bool => new HlRef<bool>(RuntimeOps.DynToBool(value)),
        HlTypeKind.I64 => new HlRef<long>(RuntimeOps.DynToLong(value)),
        HlTypeKind.F32 => new HlRef<float>(RuntimeOps.DynToFloat(value)),
        HlTypeKind.F64 => new HlRef<double>(RuntimeOps.DynToDouble(value)),
        _ => null,
    };

    /// <summary>Converts a dynamic number to the boxed form of another basic kind (for <c>Null&lt;T&gt;</c>).</summary>
    internal object? ToDynamicOfKind(object value, HlRuntimeType kindType) => kindType.Kind switch
    {
        HlTypeKind.I32 => RuntimeOps.DynToInt(value),
        HlTypeKind.UI8 => (byte)RuntimeOps.DynToInt(value),
        HlTypeKind.UI16 => (ushort)RuntimeOps.DynToInt(value),
        HlTypeKind.I64 => RuntimeOps.DynToLong(value),
        HlTypeKind.F64 => RuntimeOps.DynToDouble(value),
        HlTypeKind.F32 => RuntimeOps.DynToFloat(value),
        HlTypeKind.Bool => RuntimeOps.DynToBool(value),
        _ => DynCast(value, kindType),
    };

    /// <summary>
    /// Converts a value to a virtual type. HlSharp's virtuals are not wrappers: a virtual is the
    /// object or dynamic object itself, read by field name, so identity is kept for free. Other
    /// values (numbers, closures, arrays...) have no fields, and HashLink refuses the cast.
    /// An anonymous object's first view recasts its fields to the view's types (<see cref="Recast"/>).
    /// </summary>
    public object? ToVirtual(object? value, HlRuntimeType virtualType)
    {
        switch (value)
        {
            case HlDynObj d:
                if (!d.HasVirtualView)
                {
                    d.HasVirtualView = true;
                    Recast(d, virtualType);
                }

                return value;
            case null or HlInstance:
                return value;
            default:
                throw MakeError($"Can't cast {TypeOfValue(value).TypeString()} to {virtualType.TypeString()}");
        }
    }

    /// <summary>
    /// What HashLink does when an anonymous object is first seen as a virtual type (its
    /// <c>hl_to_virtual</c>): a field whose value the view would otherwise convert at every read is
    /// stored converted, once. An integer seen as a <c>Float</c> or <c>Null&lt;Float&gt;</c>
    /// becomes a float (so reflection sees a float afterwards, as on HashLink); a nested anonymous
    /// object seen as a virtual type gets its own first view; a class instance that converts itself
    /// (a JSON array read as an <c>Array&lt;Int&gt;</c>) is cast to the field's class with its
    /// <c>__cast</c>, so that a value that cannot be fails here, at the cast, as on HashLink. The
    /// field keeps the instance: after the cast HashLink's reflection still shows the JSON array
    /// (in all but some layouts of the object, where its recast store sticks).
    /// Only the first view does this: later views, and objects born of a virtual type (which have
    /// their view from the start), keep what is stored. HashLink marks at most 64 fields for the
    /// recast (a bit mask); HlSharp recasts every field.
    /// </summary>
    private void Recast(HlDynObj d, HlRuntimeType virtualType)
    {
        foreach (var field in virtualType.Fields)
        {
            if (!d.Fields.TryGetValue(field.Hash, out var stored) || stored is null)
            {
                continue;
            }

            var target = field.Type;
            switch (stored)
            {
                case int i when (target.Kind == HlTypeKind.Null ? target.Inner!.Kind : target.Kind) == HlTypeKind.F64:
                    d.Fields[field.Hash] = (double)i;
                    break;
                case HlDynObj nested when target.Kind == HlTypeKind.Virtual:
                    ToVirtual(nested, target);
                    break;
                case HlInstance instance when target.Kind == HlTypeKind.Obj && instance.Type.MethodsByHash.ContainsKey(CastHash):
                    // Cast for what the cast does (an ArrayDyn converts its elements, or fails),
                    // with the stored class's own __cast as DynCast calls it; the field keeps the
                    // instance, which is what reflection shows on HashLink.
                    DynCast(stored, target);
                    break;
            }
        }
    }

    /// <summary>Converts a dynamic to the boxed storage form of a type (what a typed field or argument holds).</summary>
    public object? ToStorage(object? value, HlRuntimeType type) => type.Storage switch
    {
        var s when s == typeof(int) => RuntimeOps.DynToInt(value),
        var s when s == typeof(long) => RuntimeOps.DynToLong(value),
        var s when s == typeof(double) => RuntimeOps.DynToDouble(value),
        var s when s == typeof(float) => RuntimeOps.DynToFloat(value),
        var s when s == typeof(bool) => RuntimeOps.DynToBool(value),
        var s when s == typeof(void) => null,
        _ => DynCast(value, type),
    };
}
