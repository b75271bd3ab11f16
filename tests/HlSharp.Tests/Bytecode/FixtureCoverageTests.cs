using HlSharp.Bytecode;

namespace HlSharp.Tests.Bytecode;

/// <summary>
/// Checks over every reader fixture at once: together they exercise every opcode and type kind
/// Haxe 4.2.5 emits (so a reader case that is missing or misread fails here), and every decoded
/// function is consistent with itself (operands, jumps, calls, debug information).
/// </summary>
public sealed class FixtureCoverageTests
{
    /// <summary>
    /// The opcodes Haxe 4.2.5 never emits, established by compiling the fixtures and scanning them:
    /// <list type="bullet">
    /// <item><c>UDiv</c>: genhl emits it only for <c>Std.int(a / b)</c> with both operands typed
    /// exactly <c>UInt</c>, but the std's <c>UInt</c> defines <c>/</c> as an inline float division,
    /// so that expression never reaches genhl (abstracts over <c>UInt</c> are not recognised as unsigned).</item>
    /// <item><c>Assert</c> and <c>Nop</c>: no Haxe construct or intrinsic produces them
    /// (<c>untyped $assert()</c> and <c>untyped $nop()</c> are "Unknown native call").</item>
    /// <item><c>Prefetch</c> and <c>Asm</c>: their intrinsics <c>$prefetch</c> and <c>$asm</c>
    /// came with later Haxe versions; 4.2.5 reports "Unknown native call".</item>
    /// <item><c>Catch</c>: a typed-catch marker of newer bytecode; 4.2.5 compiles typed catches
    /// to a Trap whose handler tests the type and rethrows.</item>
    /// </list>
    /// </summary>
    private static readonly HlOpcode[] NeverEmitted =
        [HlOpcode.UDiv, HlOpcode.Assert, HlOpcode.Nop, HlOpcode.Prefetch, HlOpcode.Asm, HlOpcode.Catch];

    /// <summary>Packed and Guid arrived after HashLink 1.10, the runtime Haxe 4.2.5 targets.</summary>
    private static readonly HlTypeKind[] KindsNeverEmitted = [HlTypeKind.Packed, HlTypeKind.Guid];

    [Fact]
    public void The_fixtures_use_every_opcode_Haxe_emits()
    {
        var used = ReaderFixtures.All.SelectMany(f => ReaderFixtures.Load(f).Functions).SelectMany(f => f.Ops).Select(op => op.Opcode).ToHashSet();

        var expected = Enum.GetValues<HlOpcode>().Except(NeverEmitted).Order();
        Assert.Equal(expected, used.Order());
    }

    [Fact]
    public void The_fixtures_use_every_type_kind_Haxe_emits()
    {
        var used = ReaderFixtures.All.SelectMany(f => ReaderFixtures.Load(f).Types).Select(t => t.Kind).ToHashSet();

        var expected = Enum.GetValues<HlTypeKind>().Except(KindsNeverEmitted).Order();
        Assert.Equal(expected, used.Order());
    }

    [Theory]
    [MemberData(nameof(ReaderFixtures.Names), MemberType = typeof(ReaderFixtures))]
    public void Jumps_land_on_operations_of_their_function(string fixture)
    {
        foreach (var function in ReaderFixtures.Load(fixture).Functions)
        {
            for (var i = 0; i < function.Ops.Length; i++)
            {
                var op = function.Ops[i];
                foreach (var offset in JumpOffsets(op))
                {
                    // A target just past the last operation is legal: Haxe emits one for a switch
                    // default that can never be taken because every case returns (Type.typeof).
                    var target = HlOp.JumpTarget(i, offset);
                    Assert.InRange(target, 0, function.Ops.Length);

                    // HashLink requires a backward jump to land on a Label (jit.c relies on it).
                    if (target <= i)
                    {
                        Assert.Equal(HlOpcode.Label, function.Ops[target].Opcode);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ReaderFixtures.Names), MemberType = typeof(ReaderFixtures))]
    public void Direct_calls_pass_as_many_registers_as_the_callee_takes(string fixture)
    {
        var code = ReaderFixtures.Load(fixture);
        foreach (var function in code.Functions)
        {
            foreach (var op in function.Ops.Where(op => op.Opcode is >= HlOpcode.Call0 and <= HlOpcode.CallN))
            {
                var callee = code.GetFunctionType(op.P2);
                var args = op.GetCallArguments();
                Assert.Equal(callee.Arguments.Count, args.Length);
                Assert.Equal(callee.ReturnType.Kind == HlTypeKind.Void, function.Registers[op.P1].Kind == HlTypeKind.Void);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ReaderFixtures.Names), MemberType = typeof(ReaderFixtures))]
    public void Arguments_occupy_the_first_registers_and_every_function_returns(string fixture)
    {
        var code = ReaderFixtures.Load(fixture);
        foreach (var function in code.Functions)
        {
            Assert.Equal(function.Type.Arguments, function.Registers.Take(function.Type.Arguments.Count));
            Assert.Contains(function.Ops, op => op.Opcode is HlOpcode.Ret or HlOpcode.Throw or HlOpcode.Rethrow);
            Assert.Same(function, code.GetFunction(function.Index));
        }

        var entry = code.GetFunction(code.EntryPoint);
        Assert.NotNull(entry);
        Assert.Empty(entry.Type.Arguments);
        Assert.Contains(entry.Ops, op => op.Opcode == HlOpcode.Call0 && code.Callee(op) == "Main.main");
    }

    [Theory]
    [MemberData(nameof(ReaderFixtures.Names), MemberType = typeof(ReaderFixtures))]
    public void Debug_information_covers_every_operation_with_a_known_file(string fixture)
    {
        var code = ReaderFixtures.Load(fixture);

        Assert.True(code.HasDebugInfo);
        Assert.Contains(code.DebugFiles, f => f == "Main.hx");
        var main = code.Function("Main.main");
        Assert.All(main.Debug, p => Assert.Equal("Main.hx", code.DebugFile(p)));
        Assert.Equal(ReaderFixtures.LineOf(fixture, "static function main()"), main.Debug.Min(p => p.Line) - 1);
        foreach (var function in code.Functions)
        {
            Assert.Equal(function.Ops.Length, function.Debug.Length);
            Assert.All(function.Debug, p => Assert.InRange(p.FileIndex, 0, code.DebugFiles.Length - 1));
        }
    }

    private static IEnumerable<int> JumpOffsets(HlOp op)
    {
        if (op.Opcode == HlOpcode.Switch)
        {
            return [.. op.Extra, op.P3];
        }

        var operands = op.Shape.Operands;
        var index = operands.IndexOf(HlOperandKind.Jump);
        return index switch
        {
            < 0 => [],
            0 => [op.P1],
            1 => [op.P2],
            _ => [op.P3],
        };
    }
}
