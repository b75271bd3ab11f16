using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Compiled readers and writers of class fields for dynamic access (<c>Reflect.field</c>, field
/// access through a structural type). Reflection's <c>FieldInfo.GetValue</c> costs far more than
/// the access itself, and anonymous-structure code does little else. Where code cannot be
/// generated (NativeAOT) they are <see cref="ReflectionFieldAccessors"/> instead.
/// </summary>
internal sealed class FieldAccessors : IFieldAccessorCompiler
{
    /// <summary>The one instance: the accessors it makes depend only on the field.</summary>
    public static readonly FieldAccessors Instance = new();

    public Func<object, object?> Getter(HlRuntimeField field)
    {
        var info = field.Field ?? throw new InvalidOperationException($"field {field.Name} has no storage");
        if (!DynamicCode.IsSupported)
        {
            return ReflectionFieldAccessors.Getter(field, info);
        }

        var method = new DynamicMethod($"get_{field.Name}", typeof(object), [typeof(object)], typeof(FieldAccessors).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, info.DeclaringType!);
        il.Emit(OpCodes.Ldfld, info);
        if (!EmitBoxSmallInteger(il, field.Type.Kind) && info.FieldType.IsValueType)
        {
            Boxing.Emit(il, info.FieldType);
        }

        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Func<object, object?>>();
    }

    public Action<object, object?> Setter(HlRuntimeField field)
    {
        var info = field.Field ?? throw new InvalidOperationException($"field {field.Name} has no storage");
        if (!DynamicCode.IsSupported)
        {
            return ReflectionFieldAccessors.Setter(info);
        }

        var method = new DynamicMethod($"set_{field.Name}", typeof(void), [typeof(object), typeof(object)], typeof(FieldAccessors).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, info.DeclaringType!);
        il.Emit(OpCodes.Ldarg_1);
        if (info.FieldType.IsValueType)
        {
            il.Emit(OpCodes.Unbox_Any, info.FieldType);
        }

        il.Emit(OpCodes.Stfld, info);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Action<object, object?>>();
    }

    public Delegate TypedGetter(HlRuntimeField field)
    {
        var info = field.Field ?? throw new InvalidOperationException($"field {field.Name} has no storage");
        if (!DynamicCode.IsSupported)
        {
            return ReflectionFieldAccessors.TypedGetter(info);
        }

        var method = new DynamicMethod($"getT_{field.Name}", info.FieldType, [typeof(object)], typeof(FieldAccessors).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, info.DeclaringType!);
        il.Emit(OpCodes.Ldfld, info);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate(typeof(Func<,>).MakeGenericType(typeof(object), info.FieldType));
    }

    public Delegate TypedSetter(HlRuntimeField field)
    {
        var info = field.Field ?? throw new InvalidOperationException($"field {field.Name} has no storage");
        if (!DynamicCode.IsSupported)
        {
            return ReflectionFieldAccessors.TypedSetter(info);
        }

        var method = new DynamicMethod($"setT_{field.Name}", typeof(void), [typeof(object), info.FieldType], typeof(FieldAccessors).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, info.DeclaringType!);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Stfld, info);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate(typeof(Action<,>).MakeGenericType(typeof(object), info.FieldType));
    }

    /// <summary>
    /// A dynamic remembers its value's own type: a <c>ui8</c> or <c>ui16</c> (stored as int) boxes
    /// as <see cref="byte"/> or <see cref="ushort"/>. Emits that box and returns true for those
    /// kinds; emits nothing and returns false for every other kind.
    /// </summary>
    public static bool EmitBoxSmallInteger(ILGenerator il, HlTypeKind kind)
    {
        switch (kind)
        {
            case HlTypeKind.UI8:
                il.Emit(OpCodes.Conv_U1);
                il.Emit(OpCodes.Box, typeof(byte));
                return true;
            case HlTypeKind.UI16:
                il.Emit(OpCodes.Conv_U2);
                il.Emit(OpCodes.Box, typeof(ushort));
                return true;
            default:
                return false;
        }
    }
}
