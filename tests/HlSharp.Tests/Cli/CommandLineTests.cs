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

    [Theory]
    [InlineData("hlsharp: unknown command 'frobnicate' (see 'hlsharp --help')", "frobnicate", "x.hl")]
    [InlineData("hlsharp: no command given (see 'hlsharp --help')")]
    [InlineData("hlsharp: required argument missing for command: 'run' (see 'hlsharp run --help')", "run")]
    [InlineData("hlsharp: unexpected argument 'x' (see 'hlsharp dump --help')", "dump", "--bogus", "x")]
    public void A_usage_error_is_one_line_that_points_to_the_help(string expected, params string[] args)
    {
        var result = HlSharpCli.Run(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected + "\n", result.Stderr);
        Assert.Equal(string.Empty, result.Stdout);
    }
}
