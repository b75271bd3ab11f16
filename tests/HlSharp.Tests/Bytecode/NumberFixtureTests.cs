using HlSharp.Bytecode;

namespace HlSharp.Tests.Bytecode;

/// <summary>What the reader decodes from tests/fixtures/Numbers: arithmetic on every numeric type and the comparisons.</summary>
public sealed class NumberFixtureTests
{
    private const string Fixture = "Numbers";
    private readonly HlCode _code = ReaderFixtures.Load(Fixture);

    [Fact]
    public void Each_integer_operator_of_the_source_line_becomes_its_opcode()
    {
        var signed = _code.Function("Main.signed");

        // One statement per operator in the fixture: find the opcode on each statement's line.
        (string Statement, HlOpcode Opcode)[] expected =
        [
            ("var r = a + b;", HlOpcode.Add), ("r = r - (a * b);", HlOpcode.Sub), ("r = r - (a * b);", HlOpcode.Mul),
            ("r += Std.int(a / b);", HlOpcode.SDiv), ("r += a % b;", HlOpcode.SMod), ("r += a << 3;", HlOpcode.Shl),
            ("r += a >> 1;", HlOpcode.SShr), ("r += a >>> 2;", HlOpcode.UShr), ("r += a & b;", HlOpcode.And),
            ("r += a | b;", HlOpcode.Or), ("r += a ^ b;", HlOpcode.Xor), ("r += -a;", HlOpcode.Neg),
            ("r += ~b;", HlOpcode.Xor),
        ];
        foreach (var (statement, opcode) in expected)
        {
            var line = ReaderFixtures.LineOf(Fixture, statement);
            Assert.Contains(signed.Ops.Select((op, i) => (op, i)), x => x.op.Opcode == opcode && signed.Debug[x.i].Line == line);
        }

        // The shift amount is an int constant written in the source.
        var (shl, at) = Assert.Single(signed.Ops(HlOpcode.Shl));
        var load = signed.Ops.Take(at).Last(op => op.Opcode == HlOpcode.Int && op.P1 == shl.P3);
        Assert.Equal(3, _code.Ints[load.P2]);
    }

    [Fact]
    public void UInt_operations_use_the_unsigned_opcodes()
    {
        Assert.Contains(_code.Function("Main.unsigned").Ops, op => op.Opcode == HlOpcode.UMod);
        Assert.Contains(_code.Function("Main.unsigned").Ops, op => op.Opcode == HlOpcode.UShr);
        Assert.Contains(_code.Function("Main.unsignedLess").Ops, op => op.Opcode == HlOpcode.JULt);
        var toFloat = _code.Function("Main.unsignedToFloat").Ops[0];
        Assert.Equal(HlOpcode.ToUFloat, toFloat.Opcode);
        Assert.Equal("(i32) -> f64", _code.Function("Main.unsignedToFloat").Type.ToString());
    }

    [Fact]
    public void I64_arithmetic_works_on_i64_registers()
    {
        var wide = _code.Function("Main.wide");

        Assert.Equal("(i64, i64) -> i64", wide.Type.ToString());
        var arithmetic = wide.Ops.Where(op => op.Opcode is HlOpcode.Add or HlOpcode.Sub or HlOpcode.Mul or HlOpcode.SMod).ToList();
        Assert.Equal(5, arithmetic.Count); // a * b + (a - b), then % (b + 1)
        Assert.All(arithmetic, op => Assert.Equal(HlTypeKind.I64, wide.Registers[op.P1].Kind));
    }

    [Fact]
    public void Float_comparisons_use_the_jumps_that_treat_NaN_as_unordered()
    {
        var floats = _code.Function("Main.floats");
        var ints = _code.Function("Main.ints");
        var compare = _code.Function("Main.compare");

        Assert.Contains(floats.Ops, op => op.Opcode == HlOpcode.JNotLt);
        Assert.Contains(floats.Ops, op => op.Opcode == HlOpcode.JNotGte);
        Assert.All(floats.Ops.Where(op => op.Shape.Operands.Contains(HlOperandKind.Jump) && op.Opcode != HlOpcode.JAlways),
            op => Assert.Equal(HlTypeKind.F64, floats.Registers[op.P1].Kind));
        Assert.Contains(ints.Ops, op => op.Opcode == HlOpcode.JSGte);
        Assert.Contains(compare.Ops, op => op.Opcode == HlOpcode.JSLte);
        Assert.Contains(compare.Ops, op => op.Opcode == HlOpcode.JSGt);
    }

    [Fact]
    public void Small_numeric_types_and_nullable_fields_are_decoded()
    {
        var registers = _code.Class("Registers");

        Assert.Equal(
            ["small:ui8", "medium:ui16", "big:i64", "single:f32", "maybe:null<i32>"],
            registers.Fields.Select(f => $"{f.Name}:{f.Type}"));
        var maybe = Assert.IsType<HlWrapperType>(registers.Fields[4].Type);
        Assert.Equal(HlTypeKind.Null, maybe.Kind);
        Assert.Equal(HlTypeKind.I32, maybe.Inner.Kind);
    }

    [Fact]
    public void Increment_and_decrement_work_in_place()
    {
        var main = _code.Function("Main.main");

        var counter = main.Ops[0];
        Assert.Equal(HlOpcode.Int, counter.Opcode);
        Assert.Equal(10, _code.Ints[counter.P2]);
        Assert.Equal(
            [HlOpcode.Incr, HlOpcode.Decr, HlOpcode.Decr],
            main.Ops.Skip(1).Take(3).Select(op => op.Opcode));
        Assert.All(main.Ops.Skip(1).Take(3), op => Assert.Equal(counter.P1, op.P1));
    }
}
