using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Cli;

public sealed class RunCommandTests
{
    [Fact]
    public void Run_executes_the_program_and_prints_its_output()
    {
        var result = HlSharpCli.Run("run", HaxeFixtures.Compile("Hello"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Hello from Haxe\n", result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public void Run_reports_a_missing_file_before_anything_else()
    {
        var path = Path.Combine(Path.GetTempPath(), "hlsharp-no-such-file-" + Guid.NewGuid().ToString("N") + ".hl");

        var result = HlSharpCli.Run("run", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"hlsharp: {path}: file not found"], result.StderrLines);
    }
}
