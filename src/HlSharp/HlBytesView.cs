using HlSharp.Runtime;
using RtBytes = HlSharp.Runtime.HlBytes;

namespace HlSharp;

/// <summary>
/// A Haxe <c>haxe.io.Bytes</c> seen from the host: <see cref="Span"/> reads and writes the bytes
/// the Haxe code sees, without copying. Make one with <see cref="HlVm.NewBytes(byte[])"/> or
/// <see cref="HlVm.NewBytes(string)"/>.
/// </summary>
public sealed class HlBytesView : IHaxeView
{
    private readonly HostValues _owner;
    private HlInstance? _bytesValue;

    internal HlBytesView(HostValues owner, HlInstance bytes)
    {
        _owner = owner;
        _bytesValue = bytes;
        owner.Track(this);
    }

    private HlInstance _bytes => _bytesValue ?? throw HostValues.Disposed();

    void IReleasedOnDispose.Release() => _bytesValue = null;

    HostValues IHaxeView.Owner => _owner;

    object IHaxeView.Raw => _bytes;

    /// <summary>The number of bytes (the Haxe value's <c>length</c>).</summary>
    public int Length => (int)HlFields.Get(Live, _bytes, "length", typeof(int))!;

    /// <summary>The bytes themselves: writing through the span changes what Haxe reads.</summary>
    public Span<byte> Span
    {
        get
        {
            var storage = (RtBytes)_bytes.Type.Fields[_bytes.Type.FindField(Live.Module.Hashes.Hash("b"))].Getter(_bytes)!;
            return storage.AsSpan(0, Length);
        }
    }

    /// <summary>A copy of the bytes.</summary>
    public byte[] ToArray() => Span.ToArray();

    /// <inheritdoc/>
    public override string ToString() => $"haxe.io.Bytes({(_owner.IsDisposed ? "disposed" : Length.ToString(System.Globalization.CultureInfo.InvariantCulture))})";

    /// <summary>Makes a <c>haxe.io.Bytes</c> holding <paramref name="data"/> (the array itself, not a copy).</summary>
    internal static HlBytesView Create(HostValues values, byte[] data)
    {
        var type = values.Module.Types.FirstOrDefault(t => t.Name == ClassName)
            ?? throw new ArgumentException($"the program does not use {ClassName}, so it has no code for one", nameof(data));
        var obj = values.Runtime.AllocateObject(type);
        HlFields.Set(values, obj, "length", data.Length);
        type.Fields[type.FindField(values.Module.Hashes.Hash("b"))].Setter(obj, new RtBytes(data));
        return new HlBytesView(values, obj);
    }

    internal const string ClassName = "haxe.io.Bytes";

    private HostValues Live
    {
        get
        {
            ObjectDisposedException.ThrowIf(_owner.IsDisposed, typeof(HlVm));
            return _owner;
        }
    }
}
