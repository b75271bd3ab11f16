using System.Buffers.Binary;
using System.IO.Hashing;
using HlSharp.Engine;

namespace HlSharp.Cli;

/// <summary>
/// The run cache's fingerprint of a file: 128 bits, xxHash64 of the bytes with seed 0 then with
/// seed 1, as 32 lowercase hex digits. The cache needs to tell bytecode apart and to notice an
/// entry damaged on disk, not to resist someone who can write the cache (who could replace the
/// entry anyway), so it does not pay for SHA-256, which on Linux loads OpenSSL (about 7 ms of a
/// cached hello world's run). xxHash64's code is scalar, so the tool's ReadyToRun image holds it.
/// </summary>
internal static class ContentHash
{
    /// <summary>The fingerprint of <paramref name="bytes"/>.</summary>
    public static string Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(hash, XxHash64.HashToUInt64(bytes, seed: 0));
        BinaryPrimitives.WriteUInt64BigEndian(hash[8..], XxHash64.HashToUInt64(bytes, seed: 1));
        return HexDigits.Of(hash);
    }
}
