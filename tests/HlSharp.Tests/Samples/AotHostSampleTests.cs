using System.Diagnostics;
using HlSharp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace HlSharp.Tests.Samples;

/// <summary>
/// <c>samples/aot-host</c>: the host-loop sample's host published with NativeAOT, driving
/// <c>samples/host-loop/game.hl</c> compiled ahead of time. This test runs the README's commands
/// (compile, publish, run) and checks the executable prints what the JIT sample prints, line for
/// line (<see cref="HostLoopSampleTests"/> checks those lines). The publish treats warnings as
/// errors, so a trimming or AOT warning on the compiled path fails it. About half a minute:
/// skipped when <c>HLSHARP_SKIP_NATIVEAOT=1</c>.
/// </summary>
public sealed class AotHostSampleTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void Building_the_sample_before_compiling_the_program_fails_naming_the_command()
    {
        var missing = Path.Combine(Path.GetTempPath(), "hlsharp-no-program-" + Guid.NewGuid().ToString("N")) + Path.DirectorySeparatorChar;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

        var built = DotnetProgram.RunExecutable(dotnet, new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" },
            ["build", Path.Combine(RepoPaths.Root, "samples", "aot-host"), "-c", "Release", "--nologo", "--disable-build-servers", $"-p:CompiledProgramDir={missing}"],
            PublishTimeout);

        Assert.True(built.ExitCode != 0, built.ToString());
        Assert.Contains($"samples/aot-host needs the compiled program {missing}Game.dll and its HlSharp.dll; write them first, from the repository's root: "
            + "dotnet run --project src/HlSharp.Cli -c Release -- compile samples/host-loop/game.hl -o samples/aot-host/program --name Game", built.Stdout, StringComparison.Ordinal);
    }

    [NativeAotFact]
    [Trait("Category", NativeAot.Category)]
    public void The_published_sample_prints_what_the_JIT_host_loop_sample_prints()
    {
        var sample = Path.Combine(RepoPaths.Root, "samples", "aot-host");
        var compiled = HlSharpCli.Run("compile", Path.Combine(RepoPaths.Root, "samples", "host-loop", "game.hl"),
            "-o", Path.Combine(sample, "program"), "--name", "Game");
        Assert.True(compiled.ExitCode == 0, compiled.ToString());

        var temp = Directory.CreateTempSubdirectory("hlsharp-aot-host-");
        try
        {
            var publishDir = Path.Combine(temp.FullName, "publish");
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var watch = Stopwatch.StartNew();
            var published = DotnetProgram.RunExecutable(dotnet, new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" },
                ["publish", sample, "-c", "Release", "-o", publishDir, "--nologo", "--disable-build-servers"], PublishTimeout);
            output.WriteLine($"dotnet publish samples/aot-host: {watch.Elapsed.TotalSeconds:F1} s");
            Assert.True(published.ExitCode == 0, published.ToString());
            Assert.DoesNotContain(" warning ", published.Stdout, StringComparison.Ordinal);

            var executable = Path.Combine(publishDir, "AotHost" + (OperatingSystem.IsWindows() ? ".exe" : ""));
            var native = DotnetProgram.RunExecutable(executable, new Dictionary<string, string>(), []);
            var jit = DotnetProgram.Run(DotnetProgram.BuiltDll(Path.Combine("samples", "host-loop"), "HostLoop"), new Dictionary<string, string>(), []);

            Assert.True(jit.ExitCode == 0 && jit.Stderr.Length == 0, jit.ToString());
            Assert.Equal(NativeAot.WithoutStackPositions(jit.ToString()), native.ToString());
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
