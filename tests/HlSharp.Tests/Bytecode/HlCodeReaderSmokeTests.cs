using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Bytecode;

public sealed class HlCodeReaderSmokeTests
{
    [Fact]
    public void Reads_a_compiled_hello_program()
    {
        var code = HlCode.ReadFile(HaxeFixtures.Compile("Hello"));

        Assert.Equal(4, code.Version);
        Assert.True(code.HasDebugInfo);
        var main = Assert.Single(code.Functions, f => f.Name == "Main.main");
        Assert.Contains(code.Strings, s => s == "Hello from Haxe");
        var call = Assert.Single(main.Ops, op => op.Opcode == HlOpcode.Call1);
        Assert.Equal("Sys.println", code.DescribeFunction(call.P2));
        Assert.Equal(HlOpcode.Ret, main.Ops[^1].Opcode);
    }
}
