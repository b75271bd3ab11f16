using HlSharp.Bytecode;

namespace HlSharp.Tests.Bytecode;

/// <summary>HashLink's variable-length index encoding, read through the reader's own primitive.</summary>
public sealed class IndexEncodingTests
{
    [Theory]
    [InlineData(new byte[] { 0x00 }, 0)]
    [InlineData(new byte[] { 0x7F }, 127)]
    [InlineData(new byte[] { 0x80, 0x80 }, 128)]
    [InlineData(new byte[] { 0x9F, 0xFF }, 8191)]
    [InlineData(new byte[] { 0x80, 0x00 }, 0)]
    [InlineData(new byte[] { 0xA0, 0x01 }, -1)]
    [InlineData(new byte[] { 0xBF, 0xFF }, -8191)]
    [InlineData(new byte[] { 0xC0, 0x00, 0x20, 0x00 }, 8192)]
    [InlineData(new byte[] { 0xC1, 0x02, 0x03, 0x04 }, 0x01020304)]
    [InlineData(new byte[] { 0xDF, 0xFF, 0xFF, 0xFF }, 0x1FFFFFFF)]
    [InlineData(new byte[] { 0xE0, 0x01, 0x00, 0x00 }, -65536)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, -0x1FFFFFFF)]
    public void Reads_each_form_and_consumes_exactly_its_bytes(byte[] encoded, int expected)
    {
        var reader = new ByteReader([.. encoded, 0x55]);

        Assert.Equal(expected, reader.ReadIndex("value"));
        Assert.Equal(encoded.Length, reader.Position);
        Assert.Equal(0x55, reader.ReadByte("sentinel"));
    }

    [Fact]
    public void Values_written_by_the_test_encoder_read_back_unchanged()
    {
        int[] edges = [0, 1, 127, 128, 255, 256, 8191, 8192, 65535, 65536, 0x1FFFFFFF, -1, -127, -128, -8191, -8192, -0x1FFFFFFF];
        var random = new Random(20240611);
        var values = edges.Concat(Enumerable.Range(0, 2000).Select(_ => random.Next(-0x1FFFFFFF, 0x20000000)));

        foreach (var value in values)
        {
            var encoded = BytecodeBuilder.Index(value);
            var reader = new ByteReader(encoded);
            Assert.Equal(value, reader.ReadIndex("value"));
            Assert.Equal(0, reader.Remaining);
            Assert.Equal(value is >= 0 and < 128 ? 1 : Math.Abs((long)value) < 8192 ? 2 : 4, encoded.Length);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xC0, 0x00, 0x00 })]
    [InlineData(new byte[] { })]
    public void A_truncated_index_fails_where_the_data_ends(byte[] encoded)
    {
        var e = Assert.Throws<HlFormatException>(() => new ByteReader(encoded).ReadIndex("test index"));

        Assert.Equal(encoded.Length, e.Offset);
        Assert.Equal("unexpected end of data reading test index", e.Problem);
        Assert.Equal($"unexpected end of data reading test index at offset 0x{encoded.Length:x}", e.Message);
    }

    [Fact]
    public void A_negative_count_or_an_index_out_of_its_table_fails_at_its_start()
    {
        byte[] data = [0x00, 0xA0, 0x05];

        var negative = Assert.Throws<HlFormatException>(() =>
        {
            var r = new ByteReader(data);
            r.ReadByte("padding");
            r.ReadUIndex("field count");
        });
        Assert.Equal(1, negative.Offset);
        Assert.Equal("negative field count -5", negative.Problem);

        var outside = Assert.Throws<HlFormatException>(() => new ByteReader([0x05]).ReadIndexBelow(5, "type index"));
        Assert.Equal(0, outside.Offset);
        Assert.Equal("bad type index 5 (expected 0 to 4)", outside.Problem);
    }

    [Fact]
    public void A_count_larger_than_the_remaining_data_is_refused_before_allocating()
    {
        byte[] data = [.. BytecodeBuilder.Index(0x1FFFFFFF), 1, 2, 3];

        var e = Assert.Throws<HlFormatException>(() => new ByteReader(data).ReadCount("type count"));

        Assert.Equal(0, e.Offset);
        Assert.Equal("type count 536870911 is larger than the data that remains (3 bytes)", e.Problem);
    }
}
