using HlSharp.Bytecode;

namespace HlSharp.Tests.Bytecode;

/// <summary>What the reader decodes from tests/fixtures/Exceptions: Trap/EndTrap regions, Throw and Rethrow.</summary>
public sealed class ExceptionFixtureTests
{
    private const string Fixture = "Exceptions";
    private readonly HlCode _code = ReaderFixtures.Load(Fixture);

    [Fact]
    public void A_throw_statement_throws_the_new_exception_object()
    {
        var parseDigit = _code.Function("Main.parseDigit");

        var (op, at) = Assert.Single(parseDigit.Ops(HlOpcode.Throw));
        Assert.Same(_code.Class("ParseError"), parseDigit.Registers[op.P1]);
        Assert.Equal(ReaderFixtures.LineOf(Fixture, "throw new ParseError(\"not a digit"), parseDigit.Debug[at].Line);
        Assert.Equal("haxe.Exception", _code.Class("ParseError").Super?.Name);
    }

    [Fact]
    public void Each_try_block_is_a_trap_closed_by_an_end_trap_before_its_handler()
    {
        foreach (var (name, tries) in new[] { ("Main.sumDigits", 1), ("Main.passThrough", 2), ("Main.main", 1) })
        {
            var function = _code.Function(name);
            var traps = function.Ops(HlOpcode.Trap).ToList();
            Assert.Equal(tries, traps.Count);
            Assert.Equal(tries, function.Ops(HlOpcode.EndTrap).Count());
            foreach (var (trap, at) in traps)
            {
                // The handler comes after the EndTrap that closes the protected block; traps
                // opened and closed in between (nested tries) balance out.
                var handler = HlOp.JumpTarget(at, trap.P2);
                Assert.InRange(handler, at + 2, function.Ops.Length - 1);
                Assert.InRange(FindEndTrap(function, at, handler), at + 1, handler - 1);
                Assert.Equal(HlTypeKind.Dyn, function.Registers[trap.P1].Kind);
            }
        }
    }

    [Fact]
    public void A_catch_that_does_not_match_rethrows_and_hl_Api_rethrow_is_a_rethrow()
    {
        var sumDigits = _code.Function("Main.sumDigits");
        var passThrough = _code.Function("Main.passThrough");

        var (trap, _) = Assert.Single(sumDigits.Ops(HlOpcode.Trap));
        Assert.Equal(trap.P1, sumDigits.Single(HlOpcode.Rethrow).P1);

        var line = ReaderFixtures.LineOf(Fixture, "hl.Api.rethrow(e);");
        Assert.Contains(passThrough.Ops(HlOpcode.Rethrow), x => passThrough.Debug[x.Index].Line == line);
    }

    private static int FindEndTrap(HlFunction function, int trapAt, int handler)
    {
        var depth = 0;
        for (var i = trapAt + 1; i < handler; i++)
        {
            switch (function.Ops[i].Opcode)
            {
                case HlOpcode.Trap:
                    depth++;
                    break;
                case HlOpcode.EndTrap when depth == 0:
                    return i;
                case HlOpcode.EndTrap:
                    depth--;
                    break;
            }
        }

        return -1;
    }
}
