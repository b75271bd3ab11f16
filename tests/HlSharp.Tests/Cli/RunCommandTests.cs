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
    public void Run_runs_the_program_s_event_loop_after_main_as_hl_does()
    {
        // hlsharp run sets HlVmOptions.RunEventLoop: timers, MainLoop and posted events run to the end.
        var expected = File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "LangEventLoop", "expected.txt")).ReplaceLineEndings("\n");

        var result = HlSharpCli.Run("run", HaxeFixtures.Compile("LangEventLoop"));

        Assert.True(result.ExitCode == 0, result.ToString());
        // Every line hl printed, the timers' included (without the loop they would be missing). Their
        // order assumes main returns before the first timer is due, which a loaded machine can miss;
        // the API tests compare the order exactly (HostLoopTests).
        var expectedLines = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expectedLines.Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
        Assert.Equal(expectedLines[..3], lines[..3]);
    }

    [Fact]
    public void Timers_Haxe_code_schedules_keep_the_run_alive_until_the_last_one_ends()
    {
        var result = HlSharpCli.Run("run", HaxeFixtures.CompileWithLibrary("CliTimers"), "count");

        Assert.True(result.ExitCode == 0, result.ToString());
        // "once" (30 ms) may come before or after the last tick (15 ms) on a loaded machine: compare the set and the ticks' order.
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("main starts", lines[0]);
        Assert.Equal(["main starts", "once", "tick 1", "tick 2", "tick 3"], lines.Order(StringComparer.Ordinal));
        Assert.Equal(["tick 1", "tick 2", "tick 3"], lines.Where(l => l.StartsWith("tick", StringComparison.Ordinal)));
    }

    [Fact]
    public void Sys_exit_in_a_timer_callback_ends_the_run_with_its_code()
    {
        var result = HlSharpCli.Run("run", HaxeFixtures.CompileWithLibrary("CliTimers"), "exit");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal("main starts\ntick 1\n", result.Stdout);
    }

    [Fact]
    public void A_timer_callback_that_throws_is_reported_as_hl_reports_it_and_the_run_goes_on()
    {
        var result = HlSharpCli.Run("run", HaxeFixtures.CompileWithLibrary("CliTimers"), "throw");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("main starts\nUncaught exception: boom\nCalled from ", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("still running\n", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(result.Stderr);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public void Sys_exit_ends_the_run_with_its_code_after_flushing_the_output(int code)
    {
        var result = HlSharpCli.Run("run", HaxeFixtures.Compile("SysExit"), code.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(result.ExitCode == code, result.ToString());
        Assert.Equal("printed before exit\nwritten before exit\nno newline", result.Stdout);
        Assert.Equal("error before exit\n", result.Stderr);
    }

    [Theory]
    [InlineData("run", "{0}", "3")]
    [InlineData("run", "{0}", "--", "3")]
    [InlineData("run", "--", "{0}", "3")]
    public void A_plain_run_command_line_means_the_same_with_or_without_the_parser(params string[] template)
    {
        // "run app.hl 3" starts without the parser (RunCommand.TryRunDirectly); "--" sends it through the parser.
        var path = HaxeFixtures.Compile("SysExit");
        var args = template.Select(t => string.Format(System.Globalization.CultureInfo.InvariantCulture, t, path)).ToArray();

        var result = HlSharpCli.Run(args);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal("printed before exit\nwritten before exit\nno newline", result.Stdout);
    }

    [Fact]
    public void A_file_named_like_an_option_or_a_response_file_goes_through_the_parser()
    {
        var result = HlSharpCli.Run("run", "@no-such-response-file");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("internal error", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_reports_a_missing_file_before_anything_else()
    {
        var path = Path.Combine(Path.GetTempPath(), "hlsharp-no-such-file-" + Guid.NewGuid().ToString("N") + ".hl");

        var result = HlSharpCli.Run("run", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"hlsharp: {path}: file not found"], result.StderrLines);
    }

    [Theory]
    [InlineData("out-of-memory", "Out of memory")]
    [InlineData("bytes-bounds", "Out of bounds")]
    [InlineData("stack-overflow", "Stack overflow")]
    public void A_run_time_fault_is_reported_as_an_uncaught_Haxe_exception(string error, string value)
    {
        var result = HlSharpCli.Run("run", HaxeFixtures.Compile("RuntimeErrors"), error);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith($"start\nUncaught exception: {value}\nCalled from ", result.Stdout, StringComparison.Ordinal);
        Assert.True(result.Stdout.Split('\n').Length < 110, "the report of a deep stack is shortened");
        Assert.Empty(result.Stderr);
    }
}
