using HlSharp.Runtime;

namespace HlSharp;

/// <summary>
/// A Haxe object seen from the host: a class instance, an anonymous structure or a Dynamic
/// object, with its fields and methods by name. Values convert through the one table
/// (<see cref="HlVm.GetFunction{TDelegate}"/> lists it). The view holds the object, so the object
/// lives while the host holds the view; after the VM is disposed every member throws
/// <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class HlObject : IHaxeView, IEquatable<HlObject>
{
    private readonly HostValues _owner;

    internal HlObject(HostValues owner, object value)
    {
        _owner = owner;
        _value = value;
        owner.Track(this);
    }

    private object? _value;

    internal object Value => _value ?? throw HostValues.Disposed();

    void IReleasedOnDispose.Release() => _value = null;

    HostValues IHaxeView.Owner => _owner;

    object IHaxeView.Raw => Value;

    /// <summary>The Haxe class name (<c>Player</c>, <c>haxe.ds.StringMap</c>), or <c>Dynamic</c> for an anonymous structure or Dynamic object.</summary>
    public string TypeName => Value is HlInstance o ? o.Type.Name : "Dynamic";

    /// <summary>The names of the object's fields (a class's fields, super classes' first; an anonymous object's in insertion order).</summary>
    public IReadOnlyList<string> FieldNames
    {
        get
        {
            var vm = Vm;
            return Value switch
            {
                HlInstance o => [.. o.Type.Fields.Select(f => f.Name)],
                HlDynObj d => [.. d.Fields.Keys.Select(h => vm.Module.Hashes.NameOf(h) ?? h.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                _ => [],
            };
        }
    }

    /// <summary>Reads a field.</summary>
    /// <exception cref="ArgumentException">The object has no such field (the message names a close match).</exception>
    /// <exception cref="InvalidCastException">The field's value cannot be read as <typeparamref name="T"/>.</exception>
    public T Get<T>(string field) => (T)HlFields.Get(Vm, Value, field, typeof(T))!;

    /// <summary>Writes a field, converting the value to the field's Haxe type.</summary>
    /// <exception cref="ArgumentException">No such field, or a value of the wrong type.</exception>
    public void Set(string field, object? value) => HlFields.Set(Vm, Value, field, value);

    /// <summary>Calls a method (or a closure held in a field) and returns its result as its natural C# value.</summary>
    /// <exception cref="ArgumentException">No such method, a wrong argument count, or an argument of the wrong type.</exception>
    /// <exception cref="HlHaxeException">The Haxe code threw.</exception>
    public object? Call(string method, params object?[] args) => HlFields.Call(Vm, Value, method, args ?? [null], typeof(object));

    /// <summary>Calls a method and reads its result as <typeparamref name="T"/>.</summary>
    /// <inheritdoc cref="Call(string, object?[])"/>
    public T Call<T>(string method, params object?[] args) => (T)HlFields.Call(Vm, Value, method, args ?? [null], typeof(T))!;

    /// <summary>
    /// Calls a method as <see cref="Call(string, object?[])"/> does: when <paramref name="cancellationToken"/>
    /// is cancelled, the Haxe code stops at its next safe point and the call throws
    /// <see cref="OperationCanceledException"/> carrying the token (see <see cref="HlVm.CallStatic(string, string, CancellationToken, object?[])"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled before or during the call.</exception>
    /// <inheritdoc cref="Call(string, object?[])"/>
    public object? Call(string method, CancellationToken cancellationToken, params object?[] args) =>
        HlFields.Call(Vm, Value, method, args ?? [null], typeof(object), cancellationToken);

    /// <summary>Calls a method as <see cref="Call(string, CancellationToken, object?[])"/> does and reads its result as <typeparamref name="T"/>.</summary>
    /// <inheritdoc cref="Call(string, CancellationToken, object?[])"/>
    /// <exception cref="InvalidCastException">The result cannot be read as <typeparamref name="T"/>.</exception>
    public T Call<T>(string method, CancellationToken cancellationToken, params object?[] args) =>
        (T)HlFields.Call(Vm, Value, method, args ?? [null], typeof(T), cancellationToken)!;

    /// <summary>
    /// A typed delegate over one of the object's methods, bound to this object (or over a closure
    /// the object holds in a field of that name): the delegate calls it as <c>obj.method(...)</c>
    /// would. Its signature is checked against the method's Haxe signature, without <c>this</c>.
    /// </summary>
    /// <exception cref="ArgumentException">No such method, or a signature that does not match (the message names both).</exception>
    public TDelegate GetMethod<TDelegate>(string method)
        where TDelegate : Delegate
    {
        ArgumentNullException.ThrowIfNull(method);
        var values = Vm;
        if (Value is HlInstance o && o.Type.MethodsByHash.TryGetValue(values.Module.Hashes.Hash(method), out var index))
        {
            return values.Vm.MethodDelegate<TDelegate>(o, index, $"{TypeName}.{method}");
        }

        return Get<TDelegate>(method);
    }

    /// <summary>True when the object is an instance of the named class or interface, or of a class derived from it.</summary>
    public bool IsInstanceOf(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var values = Vm;
        if (Value is not HlInstance o)
        {
            return typeName == "Dynamic";
        }

        for (var t = o.Type; t is not null; t = t.Super)
        {
            if (t.Name == typeName || HlFields.Implements(values, t, typeName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when both views show the same Haxe object (Haxe's <c>==</c> on objects).</summary>
    public bool Equals(HlObject? other) => other is not null && ReferenceEquals(Value, other.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as HlObject);

    /// <inheritdoc/>
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Value);

    /// <summary>The object as Haxe's <c>Std.string</c> prints it.</summary>
    public override string ToString() => _owner.IsDisposed ? TypeName : HlFields.Text(Vm, Value);

    private HostValues Vm
    {
        get
        {
            ObjectDisposedException.ThrowIf(_owner.IsDisposed, typeof(HlVm));
            return _owner;
        }
    }
}
