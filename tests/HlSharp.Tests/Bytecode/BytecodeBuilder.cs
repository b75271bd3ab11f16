using System.Buffers.Binary;
using System.Text;

namespace HlSharp.Tests.Bytecode;

/// <summary>
/// Writes small HashLink bytecode files by hand, section by section, so tests can build exactly
/// the bad input they need and know the offset where each section starts. The default is the
/// smallest valid program: types <c>void</c> and <c>() -> void</c>, one function that returns.
/// </summary>
internal sealed class BytecodeBuilder
{
    public const byte RetOpcode = 67;

    public int Version { get; set; } = 4;

    public List<int> Ints { get; } = [];

    public List<string> Strings { get; } = [];

    /// <summary>Each type already encoded (kind byte then its fields).</summary>
    public List<byte[]> Types { get; } = [[0], [10, 0, .. Index(0)]];

    /// <summary>Each function already encoded: type, index, register count, op count, registers, ops.</summary>
    public List<byte[]> Functions { get; } = [Function(type: 1, index: 0, registers: [0], ops: [RetOpcode, .. Index(0)])];

    public int EntryPoint { get; set; }

    /// <summary>Where the types start in the last built file.</summary>
    public int TypesOffset { get; private set; }

    /// <summary>Where the functions start in the last built file.</summary>
    public int FunctionsOffset { get; private set; }

    /// <summary>Encodes a function body with no debug information.</summary>
    public static byte[] Function(int type, int index, int[] registers, byte[] ops, int opCount = 1) =>
        [.. Index(type), .. Index(index), .. Index(registers.Length), .. Index(opCount), .. registers.SelectMany(Index), .. ops];

    /// <summary>Writes HashLink's variable-length signed index: 1 byte for 0..127, 2 bytes up to 8191, 4 bytes beyond.</summary>
    public static byte[] Index(int value)
    {
        var magnitude = Math.Abs((long)value);
        var sign = value < 0 ? 0x20 : 0;
        if (value is >= 0 and < 0x80)
        {
            return [(byte)value];
        }

        if (magnitude < 0x2000)
        {
            return [(byte)(0x80 | sign | (int)(magnitude >> 8)), (byte)magnitude];
        }

        if (magnitude < 0x20000000)
        {
            return [(byte)(0xC0 | sign | (int)(magnitude >> 24)), (byte)(magnitude >> 16), (byte)(magnitude >> 8), (byte)magnitude];
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "HashLink indices hold 29 bits and a sign");
    }

    public byte[] Build()
    {
        var b = new List<byte>();
        b.AddRange("HLB"u8.ToArray());
        b.Add((byte)Version);
        b.AddRange(Index(0)); // flags: no debug information
        b.AddRange(Index(Ints.Count));
        b.AddRange(Index(0)); // floats
        b.AddRange(Index(Strings.Count));
        if (Version >= 5)
        {
            b.AddRange(Index(0)); // bytes constants
        }

        b.AddRange(Index(Types.Count));
        b.AddRange(Index(0)); // globals
        b.AddRange(Index(0)); // natives
        b.AddRange(Index(Functions.Count));
        if (Version >= 4)
        {
            b.AddRange(Index(0)); // constants
        }

        b.AddRange(Index(EntryPoint));
        foreach (var i in Ints)
        {
            b.AddRange(Int32(i));
        }

        var block = Strings.SelectMany(s => Encoding.UTF8.GetBytes(s + "\0")).ToArray();
        b.AddRange(Int32(block.Length));
        b.AddRange(block);
        foreach (var s in Strings)
        {
            b.AddRange(Index(Encoding.UTF8.GetByteCount(s)));
        }

        if (Version >= 5)
        {
            b.AddRange(Int32(0));
        }

        TypesOffset = b.Count;
        b.AddRange(Types.SelectMany(t => t));
        FunctionsOffset = b.Count;
        b.AddRange(Functions.SelectMany(f => f));
        return [.. b];
    }

    private static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }
}
