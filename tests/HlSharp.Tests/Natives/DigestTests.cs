using System.Text;
using HlSharp.Natives;

namespace HlSharp.Tests.Natives;

public sealed class DigestTests
{
    [Fact]
    public void The_digests_fixture_passes_every_check()
    {
        var (lines, _) = NativeFixture.Run("Digests");

        NativeFixture.AssertAllPassed(lines, 28);
    }

    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("abc", 0x352441C2u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Crc32_is_zlibs(string text, uint expected)
    {
        Assert.Equal(expected, ZlibChecksums.Crc32(0, Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Adler32_continues_from_the_given_value_and_survives_long_input()
    {
        Assert.Equal(0x024D0127u, ZlibChecksums.Adler32(1, "abc"u8));
        Assert.Equal(0x024A0126u, ZlibChecksums.Adler32(0, "abc"u8));

        // 100,000 bytes of 0xFF: a reference value computed with zlib (python zlib.adler32).
        var big = Enumerable.Repeat((byte)0xFF, 100_000).ToArray();
        Assert.Equal(0x149A302Cu, ZlibChecksums.Adler32(1, big));
    }
}
