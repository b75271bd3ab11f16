using System.IO.Compression;
using HlSharp.Natives;

namespace HlSharp.Tests.Natives;

public sealed class ZipTests
{
    [Fact]
    public void The_zip_fixture_passes_every_check()
    {
        var (lines, _) = NativeFixture.Run("Zip");

        NativeFixture.AssertAllPassed(lines, 34);
    }

    private static byte[] Sample(int size)
    {
        var data = new byte[size];
        for (var i = 0; i < size; i++)
        {
            data[i] = (byte)("abcdefgh"[i % 8] + (i / 1000 % 3));
        }

        return data;
    }

    [Fact]
    public void Inflate_takes_input_one_byte_at_a_time_and_reports_the_end_once()
    {
        var original = Sample(20_000);
        var compressed = ZLibCompress(original);
        var inflater = ZipStream.Inflater(15)!;
        inflater.Flush = ZipFlush.Sync;
        var output = new MemoryStream();
        var buffer = new byte[777];
        var done = false;
        for (var at = 0; !done;)
        {
            var piece = compressed.AsSpan(at, Math.Min(1, compressed.Length - at));
            done = inflater.Process(piece, buffer, out var read, out var written);
            output.Write(buffer, 0, written);
            at += read;
        }

        Assert.Equal(original, output.ToArray());
    }

    [Fact]
    public void Inflate_reports_the_end_in_the_call_that_fills_the_output_exactly()
    {
        var original = Sample(5000);
        var inflater = ZipStream.Inflater(15)!;

        var done = inflater.Process(ZLibCompress(original), new byte[5000], out var read, out var written);

        Assert.True(done);
        Assert.Equal(5000, written);
        Assert.True(read > 0);
    }

    [Fact]
    public void A_call_that_can_do_nothing_is_zlibs_buffer_error()
    {
        var inflater = ZipStream.Inflater(15)!;
        inflater.Process(ZLibCompress(Sample(100)).AsSpan(0, 5), new byte[10], out _, out _);

        var error = Assert.Throws<ZipStream.ZlibException>(() => inflater.Process([], new byte[10], out _, out _));

        Assert.Equal("ZLib Error : -5", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x78, 0x9D }, "ZLib Error : incorrect header check (-3)")]
    [InlineData(new byte[] { 0x79, 0x18 }, "ZLib Error : unknown compression method (-3)")]
    [InlineData(new byte[] { 0x88, 0x1C }, "ZLib Error : invalid window size (-3)")]
    public void Bad_zlib_headers_get_zlibs_messages(byte[] header, string message)
    {
        var inflater = ZipStream.Inflater(15)!;

        var error = Assert.Throws<ZipStream.ZlibException>(() => inflater.Process(header, new byte[10], out _, out _));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Deflate_output_that_does_not_fit_waits_for_the_next_call()
    {
        var original = Sample(50_000);
        var deflater = ZipStream.Deflater(0);
        deflater.Flush = ZipFlush.Finish;
        var output = new MemoryStream();
        var buffer = new byte[1000];
        var input = original.AsSpan();
        var done = false;
        while (!done)
        {
            done = deflater.Process(input, buffer, out var read, out var written);
            input = input[read..];
            output.Write(buffer, 0, written);
        }

        Assert.Equal(original, ZLibDecompress(output.ToArray()));
        Assert.True(output.Length <= ZipStream.Bound(original.Length));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-7)]
    [InlineData(16)]
    [InlineData(48)]
    public void Invalid_window_bits_are_refused(int bits) => Assert.Null(ZipStream.Inflater(bits));

    private static byte[] ZLibCompress(byte[] data)
    {
        var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] ZLibDecompress(byte[] data)
    {
        using var z = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        var output = new MemoryStream();
        z.CopyTo(output);
        return output.ToArray();
    }
}
