using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Bytecode;

/// <summary>
/// Reads the benchmarks' large program (bench/programs/large: much of the standard library plus
/// generated classes), which exercises the reader on far more opcodes and types than the small
/// fixtures, and keeps that program compiling between benchmark runs.
/// </summary>
public sealed class LargeProgramTests
{
    [Fact]
    public void Reads_the_large_benchmark_program()
    {
        var temp = Directory.CreateTempSubdirectory("hlsharp-large-");
        try
        {
            var path = Path.Combine(temp.FullName, "large.hl");
            var source = Path.Combine(RepoPaths.Root, "bench", "programs", "large");
            var (exit, output) = HaxeFixtures.RunHaxe(["-main", "Main", "-hl", path], source);
            Assert.True(exit == 0, $"haxe could not compile bench/programs/large (exit {exit}):\n{output}");

            var code = HlCode.ReadFile(path);

            Assert.InRange(new FileInfo(path).Length, 1_000_000, 2_500_000);
            Assert.Contains(code.Functions, f => f.Name == "Main.runGenerated");
            Assert.Equal(560, code.Types.Count(t => t is HlObjectType { Name: var name } && name.StartsWith("Gen", StringComparison.Ordinal) && name != "GenBase"));
            foreach (var function in code.Functions)
            {
                foreach (var op in function.Ops)
                {
                    if (op.Opcode is HlOpcode.Call0 or HlOpcode.Call1 or HlOpcode.Call2 or HlOpcode.Call3 or HlOpcode.Call4 or HlOpcode.CallN)
                    {
                        Assert.True((uint)op.P2 < (uint)code.FunctionIndexCount, $"{function.Name} calls function index {op.P2}, which names nothing");
                    }
                }
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
