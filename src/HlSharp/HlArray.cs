using System.Collections;
using HlSharp.Runtime;

namespace HlSharp;

/// <summary>
/// A Haxe <c>Array</c> seen from the host, as an <see cref="IList{T}"/> over the Haxe array
/// itself: <c>Add</c>, <c>Insert</c>, the indexer's setter and <c>RemoveAt</c> change the array the
/// Haxe code sees. <c>Array&lt;Int&gt;</c> is <c>HlArray&lt;int&gt;</c>, <c>Array&lt;Float&gt;</c>
/// <c>HlArray&lt;double&gt;</c>, arrays of strings, objects or Dynamic <c>HlArray&lt;string&gt;</c>,
/// <c>HlArray&lt;HlObject&gt;</c>, <c>HlArray&lt;object&gt;</c>; elements convert through the one table.
/// </summary>
/// <typeparam name="T">The C# type of the elements.</typeparam>
public sealed class HlArray<T> : IList<T>, IReadOnlyList<T>, IHaxeView
{
    private readonly HostValues _owner;
    private HlInstance? _arrayValue;

    // hl.types.ArrayDyn (Array<Dynamic>) wraps another array and names its members as Haxe code
    // sees them (get_length, push, insert); the others are ArrayBase's (length, pushDyn, insertDyn).
    private readonly bool _isDynamic;

    internal HlArray(HostValues owner, HlInstance array)
    {
        _owner = owner;
        _arrayValue = array;
        _isDynamic = array.Type.Name == "hl.types.ArrayDyn";
        owner.Track(this);
    }

    private HlInstance _array => _arrayValue ?? throw HostValues.Disposed();

    void IReleasedOnDispose.Release() => _arrayValue = null;

    HostValues IHaxeView.Owner => _owner;

    object IHaxeView.Raw => _array;

    /// <summary>The number of elements (the Haxe array's <c>length</c>).</summary>
    public int Count => _isDynamic ? (int)Call("get_length")! : (int)HlFields.Get(Vm, _array, "length", typeof(int))!;

    /// <summary>Always false: the view writes through to the Haxe array.</summary>
    public bool IsReadOnly => false;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    public T this[int index]
    {
        get
        {
            CheckIndex(index, Count);
            return (T)Vm.ToHost(Call("getDyn", index), _owner.Dynamic, typeof(T))!;
        }

        set
        {
            CheckIndex(index, Count);
            Call("setDyn", index, Vm.ToDynamic(value));
        }
    }

    /// <summary>Appends an element (Haxe's <c>push</c>).</summary>
    public void Add(T item) => Call(_isDynamic ? "push" : "pushDyn", Vm.ToDynamic(item));

    /// <summary>Inserts an element at <paramref name="index"/> (Haxe's <c>insert</c>).</summary>
    public void Insert(int index, T item)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, Count);
        Call(_isDynamic ? "insert" : "insertDyn", index, Vm.ToDynamic(item));
    }

    /// <summary>Removes the element at <paramref name="index"/> (Haxe's <c>splice(index, 1)</c>).</summary>
    public void RemoveAt(int index)
    {
        CheckIndex(index, Count);
        Call("splice", index, 1);
    }

    /// <summary>Removes the first element equal to <paramref name="item"/>.</summary>
    public bool Remove(T item)
    {
        var index = IndexOf(item);
        if (index < 0)
        {
            return false;
        }

        RemoveAt(index);
        return true;
    }

    /// <summary>Removes every element (Haxe's <c>resize(0)</c>).</summary>
    public void Clear() => Call("resize", 0);

    /// <summary>The index of the first element equal to <paramref name="item"/>, or -1.</summary>
    public int IndexOf(T item)
    {
        var count = Count;
        for (var i = 0; i < count; i++)
        {
            if (EqualityComparer<T>.Default.Equals(this[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether an element equals <paramref name="item"/>.</summary>
    public bool Contains(T item) => IndexOf(item) >= 0;

    /// <summary>Copies the elements into <paramref name="array"/> from <paramref name="arrayIndex"/>.</summary>
    public void CopyTo(T[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        var count = Count;
        for (var i = 0; i < count; i++)
        {
            array[arrayIndex + i] = this[i];
        }
    }

    /// <summary>Enumerates the elements.</summary>
    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private object? Call(string method, params object?[] args)
    {
        var values = Vm;
        var hash = values.Module.Hashes.Hash(method);
        return values.Vm.RunHaxe(() => values.Runtime.CallMethodByHash(_array, hash, args));
    }

    private static void CheckIndex(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
    }

    private HostValues Vm
    {
        get
        {
            ObjectDisposedException.ThrowIf(_owner.IsDisposed, typeof(HlVm));
            return _owner;
        }
    }
}
