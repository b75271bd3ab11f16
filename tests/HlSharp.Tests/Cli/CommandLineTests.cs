using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Cli;

public sealed class CommandLineTests
{
    [Fact]
    public void Help_lists_the_commands_under_the_name_users_type()
    {
        var result = HlSharpCli.Run("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("hlsharp [command] [options]", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  run <file> ", result.Stdout);
        Assert.Matches(@"(?m)^  dump <file> ", result.Stdout);
    }

    [Fact]
    public void Dump_help_says_how_the_function_option_matches()
    {
        var result = HlSharpCli.Run("dump", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("--function <NAME>", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("an exact name (Main.main), or else every function whose name contains the text", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_a_version()
    {
        var result = HlSharpCli.Run("--version");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout);
    }

    [Fact]
    public void An_unknown_command_fails()
    {
        var result = HlSharpCli.Run("frobnicate");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("frobnicate", result.Stderr, StringComparison.Ordinal);
    }
}
