using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace HlSharp.Bytecode;

/// <summary>
/// Reads the primitive encodings of HashLink bytecode (HashLink's <c>code.c</c>): bytes,
/// little-endian int32 and float64, and the variable-length signed "index" encoding. Every read
/// is bounds-checked and failures become <see cref="HlFormatException"/> at the current offset.
/// </summary>
internal ref struct ByteReader
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private readonly ReadOnlySpan<byte> _data;

    public ByteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    public byte ReadByte(string what)
    {
        if (Position >= _data.Length)
        {
            Fail($"unexpected end of data reading {what}");
        }

        return _data[Position++];
    }

    public int ReadInt32(string what)
    {
        var span = Take(4, what);
        return BinaryPrimitives.ReadInt32LittleEndian(span);
    }

    public double ReadDouble(string what)
    {
        var span = Take(8, what);
        return BinaryPrimitives.ReadDoubleLittleEndian(span);
    }

    public ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0)
        {
            Fail($"negative size {count} for {what}");
        }

        if (count > Remaining)
        {
            Fail($"unexpected end of data reading {what} ({count} bytes needed, {Remaining} left)");
        }

        var span = _data.Slice(Position, count);
        Position += count;
        return span;
    }

    /// <summary>Reads HashLink's variable-length signed integer.</summary>
    public int ReadIndex(string what)
    {
        int b = ReadByte(what);
        if ((b & 0x80) == 0)
        {
            return b & 0x7F;
        }

        if ((b & 0x40) == 0)
        {
            var v = ReadByte(what) | ((b & 31) << 8);
            return (b & 0x20) == 0 ? v : -v;
        }

        int c = ReadByte(what);
        int d = ReadByte(what);
        int e = ReadByte(what);
        var value = ((b & 31) << 24) | (c << 16) | (d << 8) | e;
        return (b & 0x20) == 0 ? value : -value;
    }

    /// <summary>Reads a variable-length integer that must not be negative.</summary>
    public int ReadUIndex(string what)
    {
        var start = Position;
        var value = ReadIndex(what);
        if (value < 0)
        {
            FailAt(start, $"negative {what} {value}");
        }

        return value;
    }

    /// <summary>Reads an index that must lie in [0, limit).</summary>
    public int ReadIndexBelow(int limit, string what)
    {
        var start = Position;
        var value = ReadIndex(what);
        if ((uint)value >= (uint)limit)
        {
            FailAt(start, $"bad {what} {value} (expected 0 to {limit - 1})");
        }

        return value;
    }

    /// <summary>
    /// Reads a count of items that each take at least <paramref name="minBytesEach"/> bytes, and
    /// refuses a count the remaining data cannot hold, so absurd counts never become huge allocations.
    /// </summary>
    public int ReadCount(string what, int minBytesEach = 1)
    {
        var start = Position;
        var count = ReadUIndex(what);
        if ((long)count * minBytesEach > Remaining)
        {
            FailAt(start, $"{what} {count} is larger than the data that remains ({Remaining} bytes)");
        }

        return count;
    }

    public static string DecodeUtf8(ReadOnlySpan<byte> bytes) => Utf8.GetString(bytes);

    [DoesNotReturn]
    public readonly void Fail(string problem) => throw new HlFormatException(Position, problem);

    [DoesNotReturn]
    public static void FailAt(int offset, string problem) => throw Error(offset, problem);

    public static HlFormatException Error(int offset, string problem) => new(offset, problem);
}
