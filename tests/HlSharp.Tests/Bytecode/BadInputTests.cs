using HlSharp.Bytecode;

namespace HlSharp.Tests.Bytecode;

/// <summary>Input that is not valid bytecode fails with an <see cref="HlFormatException"/> naming the offset and the problem.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void The_hand_built_minimal_program_is_valid()
    {
        var code = HlCode.Read(new BytecodeBuilder().Build());

        var function = Assert.Single(code.Functions);
        Assert.Equal(HlOpcode.Ret, Assert.Single(function.Ops).Opcode);
        Assert.Equal("() -> void", function.Type.ToString());
        Assert.Equal(0, code.EntryPoint);
        Assert.False(code.HasDebugInfo);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { (byte)'H', (byte)'L' })]
    [InlineData(new byte[] { (byte)'H', (byte)'L', (byte)'C', 4 })]
    [InlineData(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0 })]
    public void Data_without_the_header_is_not_bytecode(byte[] data)
    {
        var e = Assert.Throws<HlFormatException>(() => HlCode.Read(data));

        Assert.Equal(0, e.Offset);
        Assert.Equal("not HashLink bytecode: expected the header 'HLB' at offset 0x0", e.Message);
    }

    [Fact]
    public void A_file_that_stops_after_the_header_says_what_is_missing()
    {
        var e = Assert.Throws<HlFormatException>(() => HlCode.Read("HLB"u8));

        Assert.Equal(3, e.Offset);
        Assert.Equal("unexpected end of data reading version at offset 0x3", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(255)]
    public void An_unsupported_version_is_named(int version)
    {
        var e = Assert.Throws<HlFormatException>(() => HlCode.Read(new BytecodeBuilder { Version = version }.Build()));

        Assert.Equal(3, e.Offset);
        Assert.Equal($"unsupported bytecode version {version} (HlSharp reads 2 to 5)", e.Problem);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(57)]
    [InlineData(255)]
    public void A_bad_type_kind_is_named_at_its_offset(int kind)
    {
        var builder = new BytecodeBuilder();
        builder.Types[1] = [(byte)kind];
        var data = builder.Build();

        var e = Assert.Throws<HlFormatException>(() => HlCode.Read(data));

        Assert.Equal(builder.TypesOffset + 1, e.Offset);
        Assert.Equal($"bad type kind {kind} at offset 0x{builder.TypesOffset + 1:x}", e.Message);
    }

    [Fact]
    public void An_absurd_count_is_refused_without_allocating()
    {
        // Header: "HLB", version, flags, then the int count at offset 5.
        byte[] data = [.. "HLB"u8, 4, 0, .. BytecodeBuilder.Index(0x1FFFFFFF), 0, 0, 0, 0, 0, 0, 0, 0];

        var e = Assert.Throws<HlFormatException>(() => HlCode.Read(data));

        Assert.Equal(5, e.Offset);
        Assert.StartsWith("int count 536870911 is larger than the data that remains", e.Problem, StringComparison.Ordinal);
        Assert.Contains("at offset 0x5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_that_overruns_its_block_is_refused()
    {
        var builder = new BytecodeBuilder();
        builder.Strings.Add("abc");
        var data = builder.Build();
        var lengthAt = builder.TypesOffset - 1;
        data[lengthAt] = 9; // the block holds "abc\0"; claim 9 bytes

        var e = Assert.Throws<HlFormatException>(() => HlCode.Read(data));

        Assert.Equal(lengthAt, e.Offset);
        Assert.StartsWith("string 0 of length 9 does not fit its block", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_opcode_is_named_at_its_offset()
    {
        var builder = new BytecodeBuilder();
        builder.Functions[0] = BytecodeBuilder.Function(type: 1, index: 0, registers: [0], ops: [200, 0]);
        var data = builder.Build();

        var e = Assert.Throws<HlFormatException>(() => HlCode.Read(data));

        // type, index, register count, op count, one register type: five bytes before the first op.
        Assert.Equal(builder.FunctionsOffset + 5, e.Offset);
        Assert.Equal("bad opcode 200", e.Problem);
    }

    [Fact]
    public void An_operand_outside_the_registers_is_refused()
    {
        var builder = new BytecodeBuilder();
        builder.Functions[0] = BytecodeBuilder.Function(type: 1, index: 0, registers: [0], ops: [BytecodeBuilder.RetOpcode, 3]);
        var data = builder.Build();

        var e = Assert.Throws<HlFormatException>(() => HlCode.Read(data));

        Assert.Equal(builder.FunctionsOffset + 6, e.Offset);
        Assert.Equal("bad register 3 (expected 0 to 0)", e.Problem);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-3)]
    public void A_jump_outside_the_function_is_refused(int offset)
    {
        // JAlways (58) by offset, then Ret: targets must stay within the two operations (or just past them).
        var builder = new BytecodeBuilder();
        builder.Functions[0] = BytecodeBuilder.Function(type: 1, index: 0, registers: [0], opCount: 2,
            ops: [58, .. BytecodeBuilder.Index(offset), BytecodeBuilder.RetOpcode, 0]);
        var data = builder.Build();

        var e = Assert.Throws<HlFormatException>(() => HlCode.Read(data));

        Assert.Equal(builder.FunctionsOffset + 6, e.Offset);
        Assert.Equal($"jump to operation {1 + offset} is outside the function (0 to 2)", e.Problem);
    }

    [Fact]
    public void A_function_whose_type_is_not_a_function_is_refused()
    {
        var builder = new BytecodeBuilder();
        builder.Functions[0] = BytecodeBuilder.Function(type: 0, index: 0, registers: [0], ops: [BytecodeBuilder.RetOpcode, 0]);
        var data = builder.Build();

        var e = Assert.Throws<HlFormatException>(() => HlCode.Read(data));

        Assert.Equal(builder.FunctionsOffset, e.Offset);
        Assert.Equal("function type is Void, expected a function type", e.Problem);
    }

    [Fact]
    public void An_entry_point_that_names_no_function_is_refused()
    {
        var e = Assert.Throws<HlFormatException>(() => HlCode.Read(new BytecodeBuilder { EntryPoint = 1 }.Build()));

        Assert.Equal("entry point 1 is not a function", e.Problem);
    }

    [Fact]
    public void Two_functions_with_the_same_index_are_refused()
    {
        var builder = new BytecodeBuilder();
        builder.Functions.Add(builder.Functions[0]);
        var data = builder.Build();

        var e = Assert.Throws<HlFormatException>(() => HlCode.Read(data));

        Assert.Equal(builder.FunctionsOffset + builder.Functions[0].Length, e.Offset);
        Assert.Equal("function index 0 is used twice", e.Problem);
    }

    [Theory]
    [MemberData(nameof(ReaderFixtures.Names), MemberType = typeof(ReaderFixtures))]
    public void A_truncated_fixture_fails_where_its_data_ends(string fixture)
    {
        var data = File.ReadAllBytes(Infrastructure.HaxeFixtures.Compile(fixture));

        foreach (var length in new[] { 3, 4, data.Length / 3, data.Length / 2, data.Length - 1 })
        {
            var e = Assert.Throws<HlFormatException>(() => HlCode.Read(data.AsSpan(0, length)));
            Assert.InRange(e.Offset, 0, length);
            Assert.EndsWith($" at offset 0x{e.Offset:x}", e.Message, StringComparison.Ordinal);
        }
    }
}
