namespace HlSharp.Engine;

/// <summary>
/// Bytes as lowercase hex digits, by a plain loop: <see cref="Convert.ToHexString(byte[])"/> and
/// <see cref="Guid.ToString()"/> format with vectorised code that ReadyToRun images do not hold,
/// so at every start of the tool the JIT compiled it (about 4 ms of a cached hello world's run).
/// </summary>
internal static class HexDigits
{
    /// <summary><paramref name="bytes"/>, two digits a byte, the high nibble first.</summary>
    public static string Of(ReadOnlySpan<byte> bytes)
    {
        Span<char> digits = bytes.Length <= 64 ? stackalloc char[bytes.Length * 2] : new char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            digits[2 * i] = Digit(bytes[i] >> 4);
            digits[(2 * i) + 1] = Digit(bytes[i] & 0xF);
        }

        return new string(digits);
    }

    private static char Digit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
