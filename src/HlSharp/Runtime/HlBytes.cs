using System.Runtime.InteropServices;
using System.Text;

namespace HlSharp.Runtime;

/// <summary>
/// HashLink's <c>hl.Bytes</c>: a pointer into managed memory, kept as an array and an offset so
/// pointer arithmetic, UCS-2 strings and typed reads work without unsafe code and the GC stays in
/// charge. Two values are equal when they point at the same place, as pointers are.
/// </summary>
internal sealed class HlBytes : IEquatable<HlBytes>
{
    /// <summary>Creates a pointer to <paramref name="offset"/> in <paramref name="array"/>.</summary>
    public HlBytes(byte[] array, int offset = 0)
    {
        Array = array;
        Offset = offset;
    }

    /// <summary>The memory block.</summary>
    public byte[] Array { get; }

    /// <summary>The position of this pointer in <see cref="Array"/>.</summary>
    public int Offset { get; }

    /// <summary>Returns a pointer <paramref name="delta"/> bytes further.</summary>
    public HlBytes Add(int delta) => delta == 0 ? this : new HlBytes(Array, Offset + delta);

    /// <summary>The bytes from this pointer to the end of the block.</summary>
    public Span<byte> AsSpan() => Array.AsSpan(Offset);

    /// <summary>The bytes from <paramref name="position"/> (relative to this pointer) for <paramref name="length"/> bytes.</summary>
    public Span<byte> AsSpan(int position, int length) => Array.AsSpan(Offset + position, length);

    /// <summary>Allocates a zeroed block.</summary>
    public static HlBytes Allocate(int size) => new(new byte[Math.Max(size, 0)]);

    /// <summary>Makes a zero-terminated UCS-2 copy of a .NET string, the form Haxe strings point at.</summary>
    public static HlBytes FromString(string value)
    {
        var data = new byte[(value.Length + 1) * 2];
        MemoryMarshal.AsBytes(value.AsSpan()).CopyTo(data);
        return new HlBytes(data);
    }

    /// <summary>Makes a zero-terminated UTF-8 copy of a .NET string.</summary>
    public static HlBytes FromUtf8(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        var data = new byte[count + 1];
        Encoding.UTF8.GetBytes(value, data);
        return new HlBytes(data);
    }

    /// <summary>Reads <paramref name="length"/> UCS-2 characters from this pointer.</summary>
    public string ReadUcs2(int length) => new(MemoryMarshal.Cast<byte, char>(AsSpan(0, length * 2)));

    /// <summary>Reads UCS-2 characters up to the first zero character.</summary>
    public string ReadUcs2Terminated() => new(Ucs2TerminatedChars());

    /// <summary>The UTF-16 characters up to the first zero character (or the end), read in place.</summary>
    public ReadOnlySpan<char> Ucs2TerminatedChars()
    {
        var chars = MemoryMarshal.Cast<byte, char>(AsSpan()[..(Array.Length - Offset & ~1)]);
        var end = chars.IndexOf('\0');
        return end < 0 ? chars : chars[..end];
    }

    /// <summary>Reads UTF-8 bytes up to the first zero byte.</summary>
    public string ReadUtf8Terminated()
    {
        var span = AsSpan();
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }

    /// <inheritdoc/>
    public bool Equals(HlBytes? other) => other is not null && ReferenceEquals(Array, other.Array) && Offset == other.Offset;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as HlBytes);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Array), Offset);

    /// <summary>Compares two pointers as HashLink compares them: by address.</summary>
    public static bool operator ==(HlBytes? a, HlBytes? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Compares two pointers as HashLink compares them: by address.</summary>
    public static bool operator !=(HlBytes? a, HlBytes? b) => !(a == b);
}
