using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Samples;

/// <summary>
/// The README's first command runs <c>samples/hello/hello.hl</c>, which is committed so a new user
/// needs no Haxe compiler. These tests keep it honest: readable, and compiled from the
/// <c>Hello.hx</c> beside it rather than from an older version of it.
/// </summary>
public sealed class HelloSampleTests
{
    private static string SampleDir => Path.Combine(RepoPaths.Root, "samples", "hello");

    private static string CommittedPath => Path.Combine(SampleDir, "hello.hl");

    [Fact]
    public void The_committed_sample_is_readable_bytecode()
    {
        var code = HlCode.ReadFile(CommittedPath);

        Assert.Equal(4, code.Version);
        Assert.True(code.HasDebugInfo);
        Assert.NotNull(code.GetFunction(code.EntryPoint));
        Assert.Contains(code.Functions, f => f.Name == "Hello.main");
        Assert.Contains(code.Functions, f => f.Name == "Greeter.greet");
        Assert.Contains(code.Types, t => t is HlObjectType { Name: "Greeter" });
        Assert.Contains("Hello from Haxe, running on HlSharp!", code.Strings);
        Assert.Contains(code.Natives, n => n.Library == "std");
    }

    [Fact]
    public void The_committed_sample_is_compiled_from_its_source() =>
        CommittedBytecode.AssertCompiledFromSource(Path.Combine("samples", "hello"), "Hello", "hello.hl");
}
