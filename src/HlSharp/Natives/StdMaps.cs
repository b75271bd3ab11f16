using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// The hash tables behind <c>haxe.ds.StringMap</c>, <c>IntMap</c>, <c>Int64Map</c> and <c>ObjectMap</c>
/// (<c>hl.types.BytesMap</c>, <c>IntMap</c>, <c>Int64Map</c>, <c>ObjectMap</c>): .NET dictionaries keyed
/// by the string's characters, the int, the 64-bit int, or the object's identity. Values are dynamics.
/// Keys and values are listed in the dictionary's order (insertion order until a removal), not in
/// HashLink's bucket order (maps.c): Haxe leaves map iteration order unspecified. Reads call
/// <c>TryGetValue</c>: <c>GetValueOrDefault</c> is an extension of the read-only dictionary
/// interface, which made every read an interface call.
/// </summary>
internal static class StdMaps
{
    internal sealed class BytesMap
    {
        public readonly Dictionary<string, object?> Entries = new(StringComparer.Ordinal);

        /// <summary>
        /// The same entries looked up by the key's characters where they lie in the bytes: a read,
        /// a test or a removal allocates no string, and a write allocates one only for a new key.
        /// </summary>
        public readonly Dictionary<string, object?>.AlternateLookup<ReadOnlySpan<char>> ByChars;

        public BytesMap() => ByChars = Entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    internal sealed class IntMap
    {
        public readonly Dictionary<int, object?> Entries = [];
    }

    /// <summary>The table behind <c>hl.types.Int64Map</c> (Haxe 4.3, hl-ver 1.13).</summary>
    internal sealed class Int64Map
    {
        public readonly Dictionary<long, object?> Entries = [];
    }

    internal sealed class ObjectMap
    {
        public readonly Dictionary<object, object?> Entries = new(ReferenceEqualityComparer.Instance);
    }

    private static ReadOnlySpan<char> Key(HlBytes key) => key.Ucs2TerminatedChars();

    [HlNative("std", "hballoc")]
    public static BytesMap BytesAlloc() => new();

    [HlNative("std", "hbset")]
    public static void BytesSet(BytesMap map, HlBytes key, object? value) => map.ByChars[Key(key)] = value;

    [HlNative("std", "hbexists")]
    public static bool BytesExists(BytesMap map, HlBytes key) => map.ByChars.ContainsKey(Key(key));

    [HlNative("std", "hbget")]
    public static object? BytesGet(BytesMap map, HlBytes key) => map.ByChars.TryGetValue(Key(key), out var value) ? value : null;

    [HlNative("std", "hbremove")]
    public static bool BytesRemove(BytesMap map, HlBytes key) => map.ByChars.Remove(Key(key));

    [HlNative("std", "hbkeys")]
    public static HlArray BytesKeys(NativeContext m, BytesMap map) =>
        new(m.Runtime.BasicTypes.Of(HlTypeKind.Bytes), map.Entries.Keys.Select(k => (object?)HlBytes.FromString(k)).ToArray());

    [HlNative("std", "hbvalues")]
    public static HlArray BytesValues(NativeContext m, BytesMap map) => new(m.Runtime.BasicTypes.Dyn, map.Entries.Values.ToArray());

    [HlNative("std", "hbclear")]
    public static void BytesClear(BytesMap map) => map.Entries.Clear();

    [HlNative("std", "hialloc")]
    public static IntMap IntAlloc() => new();

    [HlNative("std", "hiset")]
    public static void IntSet(IntMap map, int key, object? value) => map.Entries[key] = value;

    [HlNative("std", "hiexists")]
    public static bool IntExists(IntMap map, int key) => map.Entries.ContainsKey(key);

    [HlNative("std", "higet")]
    public static object? IntGet(IntMap map, int key) => map.Entries.TryGetValue(key, out var value) ? value : null;

    [HlNative("std", "hiremove")]
    public static bool IntRemove(IntMap map, int key) => map.Entries.Remove(key);

    [HlNative("std", "hikeys")]
    public static HlArray IntKeys(NativeContext m, IntMap map) => new(m.Runtime.BasicTypes.Of(HlTypeKind.I32), map.Entries.Keys.ToArray());

    [HlNative("std", "hivalues")]
    public static HlArray IntValues(NativeContext m, IntMap map) => new(m.Runtime.BasicTypes.Dyn, map.Entries.Values.ToArray());

    [HlNative("std", "hiclear")]
    public static void IntClear(IntMap map) => map.Entries.Clear();

    [HlNative("std", "hi64alloc")]
    public static Int64Map Int64Alloc() => new();

    [HlNative("std", "hi64set")]
    public static void Int64Set(Int64Map map, long key, object? value) => map.Entries[key] = value;

    [HlNative("std", "hi64exists")]
    public static bool Int64Exists(Int64Map map, long key) => map.Entries.ContainsKey(key);

    [HlNative("std", "hi64get")]
    public static object? Int64Get(Int64Map map, long key) => map.Entries.TryGetValue(key, out var value) ? value : null;

    [HlNative("std", "hi64remove")]
    public static bool Int64Remove(Int64Map map, long key) => map.Entries.Remove(key);

    [HlNative("std", "hi64keys")]
    public static HlArray Int64Keys(NativeContext m, Int64Map map) => new(m.Runtime.BasicTypes.Of(HlTypeKind.I64), map.Entries.Keys.ToArray());

    [HlNative("std", "hi64values")]
    public static HlArray Int64Values(NativeContext m, Int64Map map) => new(m.Runtime.BasicTypes.Dyn, map.Entries.Values.ToArray());

    [HlNative("std", "hi64clear")]
    public static void Int64Clear(Int64Map map) => map.Entries.Clear();

    [HlNative("std", "hoalloc")]
    public static ObjectMap ObjectAlloc() => new();

    [HlNative("std", "hoset")]
    public static void ObjectSet(ObjectMap map, object? key, object? value) => map.Entries[key ?? NullKey.Instance] = value;

    [HlNative("std", "hoexists")]
    public static bool ObjectExists(ObjectMap map, object? key) => map.Entries.ContainsKey(key ?? NullKey.Instance);

    [HlNative("std", "hoget")]
    public static object? ObjectGet(ObjectMap map, object? key) => map.Entries.TryGetValue(key ?? NullKey.Instance, out var value) ? value : null;

    [HlNative("std", "horemove")]
    public static bool ObjectRemove(ObjectMap map, object? key) => map.Entries.Remove(key ?? NullKey.Instance);

    [HlNative("std", "hokeys")]
    public static HlArray ObjectKeys(NativeContext m, ObjectMap map) =>
        new(m.Runtime.BasicTypes.Dyn, map.Entries.Keys.Select(k => k is NullKey ? null : k).ToArray());

    [HlNative("std", "hovalues")]
    public static HlArray ObjectValues(NativeContext m, ObjectMap map) => new(m.Runtime.BasicTypes.Dyn, map.Entries.Values.ToArray());

    [HlNative("std", "hoclear")]
    public static void ObjectClear(ObjectMap map) => map.Entries.Clear();

    /// <summary>Stands for a null key, which .NET dictionaries refuse and HashLink maps accept.</summary>
    private sealed class NullKey
    {
        public static readonly NullKey Instance = new();
    }
}
