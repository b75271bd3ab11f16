namespace HlSharp.Engine;

/// <summary>
/// Where each operation of each function of a compiled program starts in its IL, for Haxe stack
/// traces (the line of each frame). A manifest resource of its own, which the loader reads the
/// first time a stack trace asks (<see cref="CompiledProgram.Offsets"/>), not at load: a program
/// has an offset per operation, and most runs print no stack trace.
/// </summary>
internal sealed class ProgramOffsets
{
    private const int FormatVersion = 1;

    /// <summary>The IL offset of each operation of each function, by function index (empty for natives).</summary>
    public required int[][] Functions { get; init; }

    /// <summary>The IL offsets of the entry compiled without its event loop, or null when it has none to leave out.</summary>
    public required int[]? HostedEntry { get; init; }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(FormatVersion);
            w.Write(Functions.Length);
            foreach (var offsets in Functions)
            {
                WriteInts(w, offsets);
            }

            w.Write(HostedEntry is not null);
            if (HostedEntry is not null)
            {
                WriteInts(w, HostedEntry);
            }
        }

        return stream.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not offsets this HlSharp reads.</exception>
    public static ProgramOffsets Read(Stream stream)
    {
        try
        {
            using var r = new BinaryReader(stream);
            if (r.ReadInt32() is var format && format != FormatVersion)
            {
                throw new InvalidDataException($"IL offsets format {format}, this HlSharp reads {FormatVersion}");
            }

            var functions = new int[r.ReadInt32()][];
            for (var i = 0; i < functions.Length; i++)
            {
                functions[i] = ReadInts(r);
            }

            return new ProgramOffsets { Functions = functions, HostedEntry = r.ReadBoolean() ? ReadInts(r) : null };
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OverflowException)
        {
            throw new InvalidDataException("the compiled program's IL offsets are damaged", e);
        }
    }

    private static void WriteInts(BinaryWriter w, int[] values)
    {
        w.Write(values.Length);
        foreach (var v in values)
        {
            w.Write(v);
        }
    }

    private static int[] ReadInts(BinaryReader r)
    {
        var values = new int[r.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadInt32();
        }

        return values;
    }
}
