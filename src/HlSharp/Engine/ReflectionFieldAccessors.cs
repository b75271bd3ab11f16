using System.Reflection;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// The reflection-only form of <see cref="FieldAccessors"/>, for runtimes that cannot generate
/// code (NativeAOT): <see cref="FieldInfo.GetValue"/> and <see cref="FieldInfo.SetValue(object, object)"/>
/// on the class's field, with the checks and conversions the emitted accessors make (a null or
/// foreign instance fails as <c>castclass</c> and <c>ldfld</c> fail, a value is unboxed to the
/// field's storage type). The fields of a written assembly keep their metadata: the host roots it.
/// </summary>
internal static class ReflectionFieldAccessors
{
    public static Func<object, object?> Getter(HlRuntimeField field, FieldInfo info)
    {
        var owner = info.DeclaringType!;
        var kind = field.Type.Kind;
        return obj => StorageTypes.Box(kind, info.GetValue(Instance(owner, obj)));
    }

    public static Action<object, object?> Setter(FieldInfo info)
    {
        var owner = info.DeclaringType!;
        var unbox = Unboxing(info.FieldType);
        return (obj, value) => info.SetValue(Instance(owner, obj), unbox(value));
    }

    public static Delegate TypedGetter(FieldInfo info) => info.FieldType switch
    {
        var t when t == typeof(int) => Get<int>(info),
        var t when t == typeof(long) => Get<long>(info),
        var t when t == typeof(float) => Get<float>(info),
        var t when t == typeof(double) => Get<double>(info),
        var t when t == typeof(bool) => Get<bool>(info),
        var t when t == typeof(object) => Get<object>(info),
        _ => throw NotStorage(info),
    };

    public static Delegate TypedSetter(FieldInfo info) => info.FieldType switch
    {
        var t when t == typeof(int) => Set<int>(info),
        var t when t == typeof(long) => Set<long>(info),
        var t when t == typeof(float) => Set<float>(info),
        var t when t == typeof(double) => Set<double>(info),
        var t when t == typeof(bool) => Set<bool>(info),
        var t when t == typeof(object) => Set<object>(info),
        _ => throw NotStorage(info),
    };

    private static Func<object, T> Get<T>(FieldInfo info)
    {
        var owner = info.DeclaringType!;
        return obj => (T)info.GetValue(Instance(owner, obj))!;
    }

    private static Action<object, T> Set<T>(FieldInfo info)
    {
        var owner = info.DeclaringType!;
        return (obj, value) => info.SetValue(Instance(owner, obj), value);
    }

    /// <summary>What <c>unbox.any</c> to the field's type does: a wrong or null box fails as it does in emitted code.</summary>
    private static Func<object?, object?> Unboxing(Type fieldType) => fieldType switch
    {
        var t when t == typeof(int) => static v => (int)v!,
        var t when t == typeof(long) => static v => (long)v!,
        var t when t == typeof(float) => static v => (float)v!,
        var t when t == typeof(double) => static v => (double)v!,
        var t when t == typeof(bool) => static v => (bool)v!,
        var t when !t.IsValueType => static v => v,
        _ => throw new NotSupportedException($"HlSharp has no reflection-only setter for a field of .NET type {fieldType}"),
    };

    /// <summary>
    /// The instance, checked as <c>castclass</c> checks it. Reflection would throw
    /// <see cref="TargetException"/> or <see cref="ArgumentException"/>, which Haxe code would not
    /// recognise as a null access or a bad cast.
    /// </summary>
    private static object Instance(Type owner, object? obj)
    {
        if (owner.IsInstanceOfType(obj))
        {
            return obj!;
        }

        // A null instance is the null access the emitted ldfld makes: the same exception.
        _ = obj!.GetType();
        throw new InvalidCastException($"Unable to cast object of type '{obj.GetType().FullName}' to type '{owner.FullName}'.");
    }

    private static NotSupportedException NotStorage(FieldInfo info) =>
        new($"HlSharp has no typed accessor for field {info.Name}: .NET type {info.FieldType} is not a storage type");
}
