using HlSharp.Runtime;

namespace HlSharp;

/// <summary>
/// A Haxe enum value seen from the host: its constructor's name and index and its parameters,
/// converted through the one table. Make one with <see cref="HlVm.NewEnum(string, string, object?[])"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The name is the embedding contract's (DESIGN.md): a Haxe enum value.")]
public sealed class HlEnum : IHaxeView
{
    private readonly HostValues _owner;

    internal HlEnum(HostValues owner, HlEnumValue value)
    {
        _owner = owner;
        _value = value;
        owner.Track(this);
    }

    private HlEnumValue? _value;

    internal HlEnumValue Value => _value ?? throw HostValues.Disposed();

    void IReleasedOnDispose.Release() => _value = null;

    HostValues IHaxeView.Owner => _owner;

    object IHaxeView.Raw => Value;

    /// <summary>The enum's Haxe name (<c>Status</c>).</summary>
    public string TypeName => Value.Type.Name;

    /// <summary>The constructor's name (<c>Active</c>).</summary>
    public string Name => Value.Type.Constructs[Value.Index].Name;

    /// <summary>The constructor's index, in declaration order.</summary>
    public int Index => Value.Index;

    /// <summary>The constructor's parameters as their natural C# values.</summary>
    public IReadOnlyList<object?> Parameters
    {
        get
        {
            ObjectDisposedException.ThrowIf(_owner.IsDisposed, typeof(HlVm));
            var types = Value.Type.ConstructArgs[Value.Index];
            return [.. Value.Args.Select((a, i) => _owner.ToHostNatural(a, types[i]))];
        }
    }

    /// <summary>The value as Haxe's <c>Std.string</c> prints it (<c>Active(3)</c>).</summary>
    public override string ToString() => _owner.IsDisposed ? Name : HlFields.Text(_owner, Value);
}
