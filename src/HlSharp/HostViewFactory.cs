using System.Collections;
using HlSharp.Engine;
using HlSharp.Runtime;

namespace HlSharp;

/// <summary>
/// Makes the generic host views (<see cref="HlArray{T}"/>, <see cref="HlMap{TKey, TValue}"/>) for
/// element types known only at run time. The element types a host uses are a small closed set
/// (the storage types and the view types), each made with <c>new</c>, which NativeAOT compiles
/// ahead of time; any other one is instantiated by reflection where code may be generated, and
/// is refused with a clear message where it may not.
/// </summary>
internal static class HostViewFactory
{
    /// <summary>A new <c>HlArray&lt;<paramref name="element"/>&gt;</c> over <paramref name="array"/>.</summary>
    public static object Array(Type element, HostValues owner, HlInstance array) => element switch
    {
        _ when element == typeof(object) => new HlArray<object>(owner, array),
        _ when element == typeof(int) => new HlArray<int>(owner, array),
        _ when element == typeof(double) => new HlArray<double>(owner, array),
        _ when element == typeof(float) => new HlArray<float>(owner, array),
        _ when element == typeof(long) => new HlArray<long>(owner, array),
        _ when element == typeof(bool) => new HlArray<bool>(owner, array),
        _ when element == typeof(string) => new HlArray<string>(owner, array),
        _ when element == typeof(HlObject) => new HlArray<HlObject>(owner, array),
        _ when element == typeof(HlEnum) => new HlArray<HlEnum>(owner, array),
        _ => ByReflection(element, null, [owner, array]),
    };

    /// <summary>A new <c>HlMap&lt;<paramref name="key"/>, <paramref name="value"/>&gt;</c> over <paramref name="map"/>.</summary>
    public static object Map(Type key, Type value, HostValues owner, HlInstance map, IDictionary entries) => key switch
    {
        _ when key == typeof(string) => Map<string>(value, owner, map, entries),
        _ when key == typeof(int) => Map<int>(value, owner, map, entries),
        _ when key == typeof(HlObject) => Map<HlObject>(value, owner, map, entries),
        _ when key == typeof(object) => Map<object>(value, owner, map, entries),
        _ => ByReflection(key, value, [owner, map, entries]),
    };

    private static object Map<TKey>(Type value, HostValues owner, HlInstance map, IDictionary entries)
        where TKey : notnull => value switch
    {
        _ when value == typeof(object) => new HlMap<TKey, object>(owner, map, entries),
        _ when value == typeof(int) => new HlMap<TKey, int>(owner, map, entries),
        _ when value == typeof(double) => new HlMap<TKey, double>(owner, map, entries),
        _ when value == typeof(float) => new HlMap<TKey, float>(owner, map, entries),
        _ when value == typeof(long) => new HlMap<TKey, long>(owner, map, entries),
        _ when value == typeof(bool) => new HlMap<TKey, bool>(owner, map, entries),
        _ when value == typeof(string) => new HlMap<TKey, string>(owner, map, entries),
        _ when value == typeof(HlObject) => new HlMap<TKey, HlObject>(owner, map, entries),
        _ when value == typeof(HlEnum) => new HlMap<TKey, HlEnum>(owner, map, entries),
        _ => ByReflection(typeof(TKey), value, [owner, map, entries]),
    };

    /// <summary>An <c>HlArray&lt;<paramref name="first"/>&gt;</c> (no <paramref name="second"/>) or an <c>HlMap&lt;<paramref name="first"/>, <paramref name="second"/>&gt;</c>, instantiated by reflection.</summary>
    private static object ByReflection(Type first, Type? second, object[] constructorArguments)
    {
        if (!DynamicCode.IsSupported)
        {
            var name = second is null ? $"HlArray<{HaxeTypeNames.Of(first)}>" : $"HlMap<{HaxeTypeNames.Of(first)}, {HaxeTypeNames.Of(second)}>";
            throw new NotSupportedException(
                $"HlSharp cannot make a {name} ahead of time (no code may be generated here): "
                + "use object, string, int, double, float, long, bool, HlObject or HlEnum elements");
        }

        var type = second is null ? typeof(HlArray<>).MakeGenericType(first) : typeof(HlMap<,>).MakeGenericType(first, second);
        return Activator.CreateInstance(type, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance, null, constructorArguments, null)!;
    }
}
