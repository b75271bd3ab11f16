using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Samples;

/// <summary>
/// <c>samples/host-loop</c> is a C# host users copy from: a fixed-step loop driving Haxe gameplay
/// (<c>Game.hx</c>, committed compiled as <c>game.hl</c>). These tests keep it honest: the
/// committed bytecode is compiled from its source, and the built program prints what the README
/// and its comments say, line for line.
/// </summary>
public sealed class HostLoopSampleTests
{
    private static readonly string SampleDir = Path.Combine("samples", "host-loop");

    private static string SourceDir => Path.Combine(RepoPaths.Root, SampleDir);

    private static string CommittedPath => Path.Combine(SourceDir, "game.hl");

    private static string SampleDll => DotnetProgram.BuiltDll(SampleDir, "HostLoop");

    [Fact]
    public void The_committed_game_is_compiled_from_its_source() =>
        CommittedBytecode.AssertCompiledFromSource(SampleDir, "Game", "game.hl");

    [Fact]
    public void The_committed_game_declares_what_the_host_uses()
    {
        var code = HlCode.ReadFile(CommittedPath);

        Assert.Contains(code.Natives, n => n.Library == "host" && n.Name == "log");
        Assert.Contains(code.Functions, f => f.Name == "Game.update");
        Assert.Contains(code.Functions, f => f.Name == "Game.loadLevel");
        Assert.Contains(code.Functions, f => f.Name == "Player.__constructor__");
        Assert.Contains(code.Functions, f => f.Name == "haxe.Timer.delay");
    }

    [Fact]
    public void The_build_puts_the_committed_game_next_to_the_program()
    {
        var built = Path.Combine(Path.GetDirectoryName(SampleDll)!, "game.hl");

        Assert.True(File.Exists(built), $"{built} is missing: HostLoop.csproj copies game.hl to its output");
        Assert.Equal(File.ReadAllBytes(CommittedPath), File.ReadAllBytes(built));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Running_the_sample_prints_the_game_step_by_step(bool pathAsArgument)
    {
        // Without an argument the program loads the game.hl copied next to it, as
        // `dotnet run --project samples/host-loop` does; with one, the file it names.
        var result = DotnetProgram.Run(SampleDll, new Dictionary<string, string>(), pathAsArgument ? [CommittedPath] : []);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Stderr.Length == 0, result.ToString());
        string[] expected =
        [
            // Game.main, inside RunEntry: Haxe makes a player.
            "[haxe] Bot joins",
            "[haxe] main done, waiting for the host's first step",
            // The host's player, made with vm.New and handed to Game.join.
            "[haxe] Ada joins",
            // 60 steps of Game.update through an Action<double>, logging through the host native.
            "[haxe] tick 20: coins collected, score 20",
            "[haxe] Ada is hit for 25, health 75",
            "[haxe] tick 40: coins collected, score 40",
            "[haxe] tick 60: coins collected, score 60",
            "[haxe] tick 60: time is up",
            // The haxe.Timer scheduled at tick 60, fired by vm.Update() once its 50 ms passed.
            "[haxe] timer: results after 50 ms, final score 60",
            // Statics and instance fields read back by the host.
            "after 60 steps: ticks 60, score 60, Ada at x 3.00 with health 75",
            // The uncaught Haxe exception, caught by the host as HlHaxeException: message, then Haxe stack.
            "[haxe] loading level castle",
            "caught HlHaxeException: no level named castle",
            $"  at $Game.findLevel(Game.hx:{SourceLine("throw \"no level named \"")})",
            $"  at $Game.loadLevel(Game.hx:{SourceLine("findLevel(name);")})",
        ];
        Assert.Equal(expected, result.Stdout.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The line of Game.hx holding <paramref name="text"/>, so editing comments above it does not break the test.</summary>
    private static int SourceLine(string text)
    {
        var lines = File.ReadAllLines(Path.Combine(SourceDir, "Game.hx"));
        var index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.True(index >= 0, $"Game.hx has no line with {text}");
        return index + 1;
    }
}
