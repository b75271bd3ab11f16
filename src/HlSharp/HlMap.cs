using System.Collections;
using System.Diagnostics.CodeAnalysis;
using HlSharp.Natives;
using HlSharp.Runtime;

namespace HlSharp;

/// <summary>
/// A Haxe <c>Map</c> seen from the host, as an <see cref="IDictionary{TKey, TValue}"/> over the Haxe
/// map itself: <c>haxe.ds.StringMap</c> is <c>HlMap&lt;string, TValue&gt;</c>, <c>IntMap</c>
/// <c>HlMap&lt;int, TValue&gt;</c>, <c>ObjectMap</c> <c>HlMap&lt;HlObject, TValue&gt;</c>. Writes change the
/// map the Haxe code sees; values convert through the one table. Make one with <see cref="HlVm.NewMap{TKey, TValue}"/>.
/// </summary>
/// <typeparam name="TKey">The C# type of the keys.</typeparam>
/// <typeparam name="TValue">The C# type of the values.</typeparam>
[SuppressMessage("Naming", "CA1710", Justification = "The name is the embedding contract's (DESIGN.md): a Haxe Map.")]
public sealed class HlMap<TKey, TValue> : IDictionary<TKey, TValue>, IHaxeView
    where TKey : notnull
{
    private readonly HostValues _owner;
    private HlInstance? _mapValue;
    private IDictionary? _entriesValue;

    internal HlMap(HostValues owner, HlInstance map, IDictionary entries)
    {
        _owner = owner;
        _mapValue = map;
        _entriesValue = entries;
        owner.Track(this);
    }

    private HlInstance _map => _mapValue ?? throw HostValues.Disposed();

    private IDictionary _entries => _entriesValue ?? throw HostValues.Disposed();

    void IReleasedOnDispose.Release()
    {
        _mapValue = null;
        _entriesValue = null;
    }

    HostValues IHaxeView.Owner => _owner;

    object IHaxeView.Raw => _map;

    /// <summary>The Haxe map class (<c>haxe.ds.StringMap</c>, <c>haxe.ds.IntMap</c>, <c>haxe.ds.ObjectMap</c>).</summary>
    public string TypeName => _map.Type.Name;

    /// <summary>The number of entries.</summary>
    public int Count => Entries.Count;

    /// <summary>Always false: the view writes through to the Haxe map.</summary>
    public bool IsReadOnly => false;

    /// <summary>The keys.</summary>
    public ICollection<TKey> Keys => [.. Entries.Keys.Cast<object>().Select(FromRawKey)];

    /// <summary>The values.</summary>
    public ICollection<TValue> Values => [.. Entries.Keys.Cast<object>().Select(k => FromRawValue(Entries[k]))];

    /// <summary>The value of a key (Haxe's <c>get</c>; setting is <c>set</c>).</summary>
    /// <exception cref="KeyNotFoundException">The map has no such key.</exception>
    public TValue this[TKey key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"the Haxe map has no key {key}");
        set => Entries[ToRawKey(key)] = _owner.ToDynamic(value);
    }

    /// <summary>Adds an entry.</summary>
    /// <exception cref="ArgumentException">The key is already present.</exception>
    public void Add(TKey key, TValue value)
    {
        if (ContainsKey(key))
        {
            throw new ArgumentException($"the Haxe map already has the key {key}", nameof(key));
        }

        this[key] = value;
    }

    /// <summary>Adds an entry.</summary>
    public void Add(KeyValuePair<TKey, TValue> item) => Add(item.Key, item.Value);

    /// <summary>Whether the map has the key (Haxe's <c>exists</c>).</summary>
    public bool ContainsKey(TKey key) => Entries.Contains(ToRawKey(key));

    /// <summary>Whether the map holds this entry.</summary>
    public bool Contains(KeyValuePair<TKey, TValue> item) =>
        TryGetValue(item.Key, out var value) && EqualityComparer<TValue>.Default.Equals(value, item.Value);

    /// <summary>Reads the value of a key.</summary>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var raw = ToRawKey(key);
        if (!Entries.Contains(raw))
        {
            value = default;
            return false;
        }

        value = FromRawValue(Entries[raw]);
        return true;
    }

    /// <summary>Removes a key (Haxe's <c>remove</c>).</summary>
    public bool Remove(TKey key)
    {
        var raw = ToRawKey(key);
        if (!Entries.Contains(raw))
        {
            return false;
        }

        Entries.Remove(raw);
        return true;
    }

    /// <summary>Removes this entry when the map holds it.</summary>
    public bool Remove(KeyValuePair<TKey, TValue> item) => Contains(item) && Remove(item.Key);

    /// <summary>Removes every entry (Haxe's <c>clear</c>).</summary>
    public void Clear() => Entries.Clear();

    /// <summary>Copies the entries into <paramref name="array"/> from <paramref name="arrayIndex"/>.</summary>
    public void CopyTo(KeyValuePair<TKey, TValue>[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        foreach (var entry in this)
        {
            array[arrayIndex++] = entry;
        }
    }

    /// <summary>Enumerates the entries, in the Haxe map's order.</summary>
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
    {
        foreach (var key in Entries.Keys.Cast<object>().ToList())
        {
            yield return new KeyValuePair<TKey, TValue>(FromRawKey(key), FromRawValue(Entries[key]));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IDictionary Entries
    {
        get
        {
            ObjectDisposedException.ThrowIf(_owner.IsDisposed, typeof(HlVm));
            return _entries;
        }
    }

    // String and int keys are held as themselves (StdMaps); object keys are the Haxe objects.
    private object ToRawKey(TKey key) => key switch
    {
        string or int => key,
        _ => _owner.ToDynamic(key) ?? throw new ArgumentNullException(nameof(key)),
    };

    private TKey FromRawKey(object raw) => (TKey)_owner.ToHost(raw, _owner.Dynamic, typeof(TKey))!;

    private TValue FromRawValue(object? raw) => (TValue)_owner.ToHost(raw, _owner.Dynamic, typeof(TValue))!;
}

/// <summary>Finds the native table behind a Haxe map object, and makes new maps.</summary>
internal static class HlMaps
{
    public static readonly string[] ClassNames = ["haxe.ds.StringMap", "haxe.ds.IntMap", "haxe.ds.ObjectMap"];

    /// <summary>The native table of a Haxe map (its field <c>h</c>, hl/_std/haxe/ds/*.hx), or null when the object is not a map.</summary>
    public static IDictionary? EntriesOf(HostValues values, HlInstance map)
    {
        if (Array.IndexOf(ClassNames, map.Type.Name) < 0)
        {
            return null;
        }

        var index = map.Type.FindField(values.Module.Hashes.Hash("h"));
        return map.Type.Fields[index].Getter(map) switch
        {
            StdMaps.BytesMap b => b.Entries,
            StdMaps.IntMap i => i.Entries,
            StdMaps.ObjectMap o => o.Entries,
            _ => null,
        };
    }

    /// <summary>The class name of the map for a key type, or null when Haxe has no map for it.</summary>
    public static string? ClassFor(Type key) =>
        key == typeof(string) ? ClassNames[0] : key == typeof(int) ? ClassNames[1] : key == typeof(HlObject) || key == typeof(object) ? ClassNames[2] : null;

    /// <summary>A new empty native table for a map class.</summary>
    public static object NewEntries(string className) => className switch
    {
        "haxe.ds.StringMap" => new StdMaps.BytesMap(),
        "haxe.ds.IntMap" => new StdMaps.IntMap(),
        _ => new StdMaps.ObjectMap(),
    };

    /// <summary>A view of a map with these key and value types.</summary>
    public static object Create(HostValues values, Type key, Type value, HlInstance map, IDictionary entries)
    {
        var expected = ClassFor(key);
        if (expected != map.Type.Name && !(map.Type.Name == ClassNames[2] && expected == ClassNames[2]))
        {
            throw new InvalidCastException($"HlSharp cannot read a Haxe {map.Type.Name} as a map with {HaxeTypeNames.Of(key)} keys");
        }

        return HostViewFactory.Map(key, value, values, map, entries);
    }
}
