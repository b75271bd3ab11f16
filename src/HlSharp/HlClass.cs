using HlSharp.Runtime;

namespace HlSharp;

/// <summary>
/// A Haxe class seen from the host: its static variables and static functions by name
/// (<see cref="HlVm.GetClass"/>). Values convert through the one table (<see cref="HlVm.GetFunction{TDelegate}"/> lists it).
/// </summary>
public sealed class HlClass : IReleasedOnDispose
{
    private readonly HostValues _owner;
    private HlInstance? _staticsValue;

    internal HlClass(HostValues owner, string name, HlInstance statics)
    {
        _owner = owner;
        Name = name;
        _staticsValue = statics;
        owner.Track(this);
    }

    private HlInstance _statics => _staticsValue ?? throw HostValues.Disposed();

    void IReleasedOnDispose.Release() => _staticsValue = null;

    /// <summary>The class's full Haxe name (<c>Game</c>, <c>haxe.ds.StringMap</c>).</summary>
    public string Name { get; }

    /// <summary>Reads a static variable.</summary>
    /// <exception cref="ArgumentException">The class has no such static variable (the message names a close match).</exception>
    /// <exception cref="InvalidCastException">The value cannot be read as <typeparamref name="T"/>.</exception>
    public T Get<T>(string field) => (T)HlFields.Get(Vm, _statics, field, typeof(T))!;

    /// <summary>Writes a static variable, converting the value to its Haxe type.</summary>
    /// <exception cref="ArgumentException">No such static variable, or a value of the wrong type.</exception>
    public void Set(string field, object? value) => HlFields.Set(Vm, _statics, field, value);

    /// <summary>Calls a static function and returns its result as its natural C# value.</summary>
    /// <exception cref="ArgumentException">No such function, a wrong argument count, or an argument of the wrong type.</exception>
    /// <exception cref="HlHaxeException">The Haxe code threw.</exception>
    public object? Call(string method, params object?[] args) => Vm.Vm.CallStatic(Name, method, args);

    /// <summary>Calls a static function and reads its result as <typeparamref name="T"/>.</summary>
    /// <inheritdoc cref="Call(string, object?[])"/>
    public T Call<T>(string method, params object?[] args) => Vm.Vm.CallStatic<T>(Name, method, args);

    /// <summary>
    /// Calls a static function as <see cref="HlVm.CallStatic(string, string, CancellationToken, object?[])"/>
    /// does: when <paramref name="cancellationToken"/> is cancelled, the Haxe code stops at its next
    /// safe point and the call throws <see cref="OperationCanceledException"/> carrying the token.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled before or during the call.</exception>
    /// <inheritdoc cref="Call(string, object?[])"/>
    public object? Call(string method, CancellationToken cancellationToken, params object?[] args) => Vm.Vm.CallStatic(Name, method, cancellationToken, args);

    /// <summary>Calls a static function as <see cref="Call(string, CancellationToken, object?[])"/> does and reads its result as <typeparamref name="T"/>.</summary>
    /// <inheritdoc cref="Call(string, CancellationToken, object?[])"/>
    /// <exception cref="InvalidCastException">The result cannot be read as <typeparamref name="T"/>.</exception>
    public T Call<T>(string method, CancellationToken cancellationToken, params object?[] args) => Vm.Vm.CallStatic<T>(Name, method, cancellationToken, args);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private HostValues Vm
    {
        get
        {
            ObjectDisposedException.ThrowIf(_owner.IsDisposed, typeof(HlVm));
            return _owner;
        }
    }
}
