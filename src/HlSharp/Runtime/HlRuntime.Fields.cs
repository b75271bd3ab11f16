using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>Allocation of objects and anonymous structures, and field access by name hash.</summary>
internal sealed partial class HlRuntime
{
    /// <summary>Allocates an anonymous structure of a virtual type, every field at its zero value.</summary>
    public object NewVirtual(HlRuntimeType virtualType)
    {
        var template = virtualType.VirtualTemplate ??= TemplateOf(virtualType.Fields);
        return new HlDynObj(template);
    }

    private static DynFieldsTemplate TemplateOf(HlRuntimeField[] fields)
    {
        var shape = new DynFields();
        foreach (var field in fields)
        {
            // Through the indexer: a name the virtual type lists twice stays one field.
            shape[field.Hash] = ZeroOf(field.Type);
        }

        return shape.ToTemplate();
    }

    private static object? ZeroOf(HlRuntimeType type) => type.Kind switch
    {
        HlTypeKind.I32 => 0,
        HlTypeKind.UI8 => (byte)0,
        HlTypeKind.UI16 => (ushort)0,
        HlTypeKind.I64 => 0L,
        HlTypeKind.F32 => 0f,
        HlTypeKind.F64 => 0.0,
        HlTypeKind.Bool => false,
        _ => null,
    };

    /// <summary>Allocates a class instance with its type and bindings set, as <c>ONew</c> does.</summary>
    public HlInstance AllocateObject(HlRuntimeType type)
    {
        var obj = type.Factory?.Invoke() ?? (HlInstance)Activator.CreateInstance(type.ClrType!)!;
        obj.Type = type;
        if (type.Bindings.Length > 0)
        {
            InitBindings(obj);
        }

        return obj;
    }

    /// <summary>Sets an object's bound fields (HashLink's bindings) right after allocation.</summary>
    public void InitBindings(object obj)
    {
        foreach (var binding in ((HlInstance)obj).Type.Bindings)
        {
            SetBinding(obj, binding);
        }
    }

    /// <summary>Sets one bound field: a static closure of the function, or one bound to <paramref name="obj"/>.</summary>
    public void SetBinding(object obj, (HlRuntimeField Field, int FunctionIndex, bool BindInstance) binding)
    {
        var (field, findex, bindInstance) = binding;
        var closure = bindInstance ? new HlClosure(BoundClosureType(FunctionType(findex)), findex, obj, true) : GetStaticClosure(findex);
        if (field.IsAdded)
        {
            AddedFields.Set(obj, field.AddedSlot, closure);
        }
        else
        {
            field.Field!.SetValue(obj, closure);
        }
    }

    // ---- fields by name ----

    public object? DynGetField(object? obj, int hash)
    {
        switch (obj)
        {
            case null:
                throw NullAccess();
            case HlDynObj d:
                // TryGetValue on the class itself: GetValueOrDefault would go through the read-only interface.
                return d.Fields.TryGetValue(hash, out var value) ? value : null;
            case HlInstance o:
                var index = o.Type.FindField(hash);
                if (index >= 0)
                {
                    var field = o.Type.Fields[index];
                    return field.Getter(o);
                }

                if (o.Type.MethodsByHash.TryGetValue(hash, out var method))
                {
                    return new HlClosure(BoundClosureType(FunctionType(method)), method, o, true);
                }

                // A class can answer for fields it does not declare (ArrayDyn's length), as HashLink's getFieldFun does.
                if (o.Type.MethodsByHash.TryGetValue(Hashes.Hash("__get_field"), out var getField))
                {
                    return Invoke(getField, [o, hash]);
                }

                return null;
            default:
                throw MakeError($"Invalid field access on {TypeOfValue(obj)}");
        }
    }

    public void DynSetField(object? obj, int hash, object? value)
    {
        switch (obj)
        {
            case null:
                throw NullAccess();
            case HlDynObj d:
                d.Fields[hash] = value;
                return;
            case HlInstance o:
                var index = o.Type.FindField(hash);
                if (index < 0)
                {
                    throw MakeError($"{o.Type.Name} has no field {Hashes.NameOf(hash)}");
                }

                var field = o.Type.Fields[index];
                field.Setter(o, ToStorage(value, field.Type));
                return;
            default:
                throw MakeError($"Invalid field access on {TypeOfValue(obj)}");
        }
    }
}
