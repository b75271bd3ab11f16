using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Cli;

public sealed class RunCommandTests
{
    [Fact]
    public void Run_says_execution_is_not_available_yet_and_exits_2()
    {
        var result = HlSharpCli.Run("run", DumpSample.BytecodePath, "first", "second");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith($"hlsharp: {DumpSample.BytecodePath}: running programs is not available yet", line, StringComparison.Ordinal);
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
