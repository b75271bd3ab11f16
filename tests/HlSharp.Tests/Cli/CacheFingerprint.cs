using System.IO.Hashing;

namespace HlSharp.Tests.Cli;

/// <summary>
/// The run cache's fingerprint of a file as the README defines it: xxHash64 of the bytes with
/// seed 0, then with seed 1, as 32 lowercase hex digits. Computed here from its definition, not
/// by the tool's code, so a test that compares the two checks the tool.
/// </summary>
internal static class CacheFingerprint
{
    public static string Of(byte[] bytes) =>
        $"{XxHash64.HashToUInt64(bytes, 0):x16}{XxHash64.HashToUInt64(bytes, 1):x16}";

    public static string OfFile(string path) => Of(File.ReadAllBytes(path));

    /// <summary>The file in an entry that holds its assembly's fingerprint.</summary>
    public const string EntryFile = "assembly.hash";
}
