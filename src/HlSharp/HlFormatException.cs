namespace HlSharp;

/// <summary>
/// Thrown when bytes handed to HlSharp are not valid HashLink bytecode: a wrong header, an
/// unsupported version, a truncated section, an index or count that does not fit. The message
/// names the byte offset and what was expected there.
/// </summary>
public sealed class HlFormatException : HlException
{
    internal HlFormatException(long offset, string problem)
        : base($"{problem} at offset 0x{offset:x}")
    {
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The byte offset in the input where reading failed.</summary>
    public long Offset { get; }

    /// <summary>What was wrong, without the offset (for example "bad type kind 57").</summary>
    public string Problem { get; }
}
