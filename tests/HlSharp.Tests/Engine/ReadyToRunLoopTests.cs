using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using HlSharp.Bytecode;
using HlSharp.Engine;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// A program written for ReadyToRun (the run cache's entries) marks its small functions with
/// loops for aggressive optimisation, which crossgen2 leaves to the JIT
/// (<c>FunctionCompiler.Tiering.cs</c>): ReadyToRun code cannot move a running loop to better
/// code. What is checked is the written metadata, the mark crossgen2 reads. The fixture is
/// <c>tests/fixtures/ReadyToRunLoops</c>: <c>small</c> loops, <c>straight</c> does not, and
/// <c>large</c> loops but has more IL than the bound.
/// </summary>
public sealed class ReadyToRunLoopTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hlsharp-r2r-loops-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void A_program_written_for_ReadyToRun_leaves_its_small_loops_to_the_JIT()
    {
        var bytecode = File.ReadAllBytes(HaxeFixtures.Compile("ReadyToRunLoops"));
        var code = HlCode.Read(bytecode);
        var methods = Methods(HlCompiler.CompileAssembly(bytecode, "ReadyToRunLoops", Path.Combine(_root, "r2r"), forReadyToRun: true));

        Assert.True(methods[Function(code, "small")].Optimised);
        // Small, but without a loop: its ReadyToRun code is as good as the JIT's.
        Assert.True(code.Functions.Single(f => f.Owner?.FieldName == "straight").Ops.Length <= 10);
        Assert.False(methods[Function(code, "straight")].Optimised);
        var large = methods[Function(code, "large")];
        Assert.True(large.IlBytes > 1024, $"large has {large.IlBytes} bytes of IL");
        Assert.False(large.Optimised);
    }

    [Fact]
    public void A_program_written_for_the_JIT_marks_small_functions_whether_or_not_they_loop()
    {
        var bytecode = File.ReadAllBytes(HaxeFixtures.Compile("ReadyToRunLoops"));
        var code = HlCode.Read(bytecode);
        var methods = Methods(HlCompiler.CompileAssembly(bytecode, "JitLoops", Path.Combine(_root, "il")));

        Assert.True(methods[Function(code, "straight")].Optimised);
        Assert.False(methods[Function(code, "large")].Optimised);
    }

    private static string Function(HlCode code, string name) => CompiledNames.FunctionMethod(
        code.Functions.Single(f => f.Owner is { } o && o.TypeName == "Main" && o.FieldName == name).Index, hostedEntry: false);

    /// <summary>Every method of the written assembly by name: whether it is marked for aggressive optimisation, and its IL's size.</summary>
    private static Dictionary<string, (bool Optimised, int IlBytes)> Methods(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        var methods = new Dictionary<string, (bool, int)>();
        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            var size = method.RelativeVirtualAddress == 0 ? 0 : pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!.Length;
            methods[metadata.GetString(method.Name)] = (method.ImplAttributes.HasFlag(MethodImplAttributes.AggressiveOptimization), size);
        }

        return methods;
    }
}
