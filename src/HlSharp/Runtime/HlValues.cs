using System.Runtime.CompilerServices;

namespace HlSharp.Runtime;

/// <summary>
/// The base of every class instance: the engine emits one .NET class per HashLink class, with
/// typed fields, deriving from its super class's .NET class and finally from this one.
/// </summary>
internal abstract class HlInstance
{
    /// <summary>The HashLink type of this instance (a field, so compiled code reads it with one load).</summary>
    public HlRuntimeType Type = null!;
}

/// <summary>A closure: a function index, and the value bound to its first argument if any.</summary>
internal sealed class HlClosure
{
    public HlClosure(HlRuntimeType type, int functionIndex, object? boundValue, bool hasValue)
    {
        Type = type;
        FunctionIndex = functionIndex;
        BoundValue = boundValue;
        HasValue = hasValue;
    }

    /// <summary>The closure's function type as the program sees it (without the bound argument).</summary>
    public HlRuntimeType Type { get; }

    /// <summary>The slot called; a slot, not a compiled body, so hot reload reaches existing closures.</summary>
    public readonly int FunctionIndex;

    /// <summary>The value passed as the first argument when <see cref="HasValue"/> is true.</summary>
    public readonly object? BoundValue;

    /// <summary>True when the function takes <see cref="BoundValue"/> as its first argument.</summary>
    public readonly bool HasValue;
}

/// <summary>
/// A native array (<c>hl.NativeArray</c>). The storage is a .NET array of the element's storage
/// type (<c>int[]</c>, <c>double[]</c>, <c>object?[]</c> ...), so typed reads are not boxed.
/// </summary>
internal sealed class HlArray
{
    public HlArray(HlRuntimeType elementType, Array data)
    {
        ElementType = elementType;
        Data = data;
    }

    /// <summary>The element type.</summary>
    public HlRuntimeType ElementType { get; }

    /// <summary>The elements.</summary>
    public readonly Array Data;

    /// <summary>The number of elements.</summary>
    public int Length => Data.Length;
}

/// <summary>An enum value: its type, constructor index and arguments.</summary>
internal sealed class HlEnumValue
{
    public HlEnumValue(HlRuntimeType type, int index, object?[] args)
    {
        Type = type;
        Index = index;
        Args = args;
    }

    /// <summary>The enum type.</summary>
    public HlRuntimeType Type { get; }

    /// <summary>The constructor index.</summary>
    public readonly int Index;

    /// <summary>The constructor arguments, boxed as their declared types.</summary>
    public readonly object?[] Args;
}

/// <summary>
/// A reference (<c>hl.Ref&lt;T&gt;</c>): either a cell of its own, where a register whose address is
/// taken lives, or an element of a native array (<c>NativeArray.getRef()</c>, the bytecode's
/// <c>RefData</c> and <c>RefOffset</c>), which reads and writes go to, as HashLink's pointer does.
/// </summary>
internal sealed class HlRef<T>
{
    /// <summary>
    /// The reference's own cell. Compiled code reads and writes a register that lives here through
    /// this field directly; anything that may hold an array element's reference uses <see cref="Value"/>.
    /// </summary>
    public T Cell = default!;

    private readonly T[]? _elements;
    private readonly int _index;

    /// <summary>A reference with a cell of its own.</summary>
    public HlRef()
    {
    }

    /// <summary>A reference with a cell of its own, holding <paramref name="value"/>.</summary>
    public HlRef(T value) => Cell = value;

    /// <summary>A reference to element <paramref name="index"/> of <paramref name="elements"/> (at most its length, which nothing may read).</summary>
    public HlRef(T[] elements, int index)
    {
        if ((uint)index > (uint)elements.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"a reference into an array of {elements.Length} elements");
        }

        _elements = elements;
        _index = index;
    }

    /// <summary>The referenced value, for reading, writing and atomic operations.</summary>
    public ref T Value => ref _elements is null ? ref Cell : ref _elements[_index];

    /// <summary>
    /// The reference to a native array's first element (<c>RefData</c>). The array's elements must be
    /// stored as <typeparamref name="T"/>: an array of <c>ui8</c> or <c>ui16</c> keeps bytes and
    /// shorts, which a register's reference cannot point into.
    /// </summary>
    public static HlRef<T> FirstElementOf(object? array) => array switch
    {
        HlArray { Data: T[] elements } => new HlRef<T>(elements, 0),
        null => throw new HaxeThrow(HlBytes.FromString("Null access")),
        HlArray other => throw new HaxeThrow(HlBytes.FromString($"HlSharp cannot take a reference of {typeof(T).Name} into an array of {other.Data.GetType().GetElementType()!.Name}")),
        _ => throw new HaxeThrow(HlBytes.FromString("RefData on a value that is not an array")),
    };

    /// <summary>The reference <paramref name="count"/> elements further on (<c>RefOffset</c>); only an array element's reference can move.</summary>
    public HlRef<T> Offset(int count) => count == 0 ? this
        : _elements is { } elements ? new HlRef<T>(elements, _index + count)
        : throw new InvalidOperationException("a reference to a register cannot be offset");
}

/// <summary>
/// An anonymous object whose fields are added at run time (Haxe anonymous structures and
/// <c>Dynamic</c> objects). Fields are keyed by the name hash and kept in the order they were
/// added, the order HashLink lists and prints them in (an anonymous literal adds its fields in its
/// virtual type's order, which is by name).
/// </summary>
internal sealed class HlDynObj
{
    public readonly DynFields Fields;

    /// <summary>
    /// True once the object has been seen as a virtual type, or from birth for one made of a
    /// virtual type: HashLink recasts an anonymous object's fields on its first view only
    /// (<see cref="HlRuntime.ToVirtual"/>).
    /// </summary>
    public bool HasVirtualView;

    public HlDynObj() => Fields = new DynFields();

    /// <summary>An anonymous structure of a virtual type: its fields, at their zero values (<see cref="DynFieldsTemplate"/>).</summary>
    public HlDynObj(DynFieldsTemplate template)
    {
        Fields = new DynFields(template);
        HasVirtualView = true;
    }
}

/// <summary>
/// The fields a virtual type's anonymous structures start with, made once per type: a new
/// structure shares the name hashes until it gains or loses a field, and copies the zero values.
/// </summary>
internal sealed class DynFieldsTemplate(int[] hashes, object?[] zeros)
{
    public int[] Hashes { get; } = hashes;

    public object?[] Zeros { get; } = zeros;
}

/// <summary>
/// The fields of a dynamic object, in insertion order, keyed by name hash. Anonymous objects have
/// a handful of fields, so a linear scan of a small hash array beats hashing: this is the hot path
/// of every field access on an anonymous structure.
/// </summary>
internal sealed class DynFields : IReadOnlyDictionary<int, object?>
{
    private int[] _hashes;
    private object?[] _values;
    private int _count;

    // The hashes are a template's (shared by every structure of one virtual type) until a field is added or removed.
    private bool _hashesShared;

    public DynFields()
    {
        _hashes = new int[4];
        _values = new object?[4];
    }

    public DynFields(DynFieldsTemplate template)
    {
        _hashes = template.Hashes;
        _values = (object?[])template.Zeros.Clone();
        _count = _values.Length;
        _hashesShared = true;
    }

    public int Count => _count;

    public IEnumerable<int> Keys => _hashes.Take(_count);

    public IEnumerable<object?> Values => _values.Take(_count);

    public object? this[int hash]
    {
        get => IndexOf(hash) is var i and >= 0 ? _values[i] : throw new KeyNotFoundException();
        set
        {
            var i = IndexOf(hash);
            if (i < 0)
            {
                if (_count == _hashes.Length || _hashesShared)
                {
                    Grow();
                }

                i = _count++;
                _hashes[i] = hash;
            }

            _values[i] = value;
        }
    }

    public bool ContainsKey(int key) => IndexOf(key) >= 0;

    /// <summary>These fields as a template for structures that start with them (<see cref="DynFieldsTemplate"/>).</summary>
    public DynFieldsTemplate ToTemplate() => new(_hashes[.._count], _values[.._count]);

    /// <summary>The name hash of the field at a position in insertion order (below <see cref="Count"/>).</summary>
    public int HashAt(int index) => _hashes[index];

    // Room for one more field, in arrays of this object's own.
    private void Grow()
    {
        var capacity = Math.Max(4, _count == _hashes.Length ? _count * 2 : _hashes.Length);
        var hashes = new int[capacity];
        Array.Copy(_hashes, hashes, _count);
        var values = new object?[capacity];
        Array.Copy(_values, values, _count);
        // Values first: a reader on another thread pairs the arrays it reads by checking each (TryGetAt).
        _values = values;
        _hashes = hashes;
        _hashesShared = false;
    }

    public bool TryGetValue(int key, out object? value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    /// <summary>Removes a field, keeping the others in order.</summary>
    public bool Remove(int hash)
    {
        var i = IndexOf(hash);
        if (i < 0)
        {
            return false;
        }

        if (_hashesShared)
        {
            _hashes = (int[])_hashes.Clone();
            _hashesShared = false;
        }

        _count--;
        Array.Copy(_hashes, i + 1, _hashes, i, _count - i);
        Array.Copy(_values, i + 1, _values, i, _count - i);
        _values[_count] = null;
        return true;
    }

    public IEnumerator<KeyValuePair<int, object?>> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return new KeyValuePair<int, object?>(_hashes[i], _values[i]);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The position of a field in insertion order, or -1: what a site's cache remembers.</summary>
    public int IndexOf(int hash) => Array.IndexOf(_hashes, hash, 0, _count);

    /// <summary>
    /// Reads the field at <paramref name="index"/> if that position holds <paramref name="hash"/>:
    /// a site's cached position, checked. A position out of range (a field removed, or a position
    /// learnt from a bigger object) is a miss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetAt(int index, int hash, out object? value)
    {
        // One read of each array: a resize by another thread swaps them, and each is checked on its own.
        var hashes = _hashes;
        var values = _values;
        if ((uint)index < (uint)_count && (uint)index < (uint)hashes.Length && hashes[index] == hash && (uint)index < (uint)values.Length)
        {
            value = values[index];
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Writes the field at <paramref name="index"/> if that position holds <paramref name="hash"/> (see <see cref="TryGetAt"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TrySetAt(int index, int hash, object? value)
    {
        var hashes = _hashes;
        var values = _values;
        if ((uint)index < (uint)_count && (uint)index < (uint)hashes.Length && hashes[index] == hash && (uint)index < (uint)values.Length)
        {
            values[index] = value;
            return true;
        }

        return false;
    }
}
