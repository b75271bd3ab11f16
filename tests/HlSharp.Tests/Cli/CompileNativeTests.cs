using System.Diagnostics;
using HlSharp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace HlSharp.Tests.Cli;

/// <summary>
/// <c>hlsharp compile --native app.hl -o out/</c> publishes a NativeAOT executable, <c>out/App</c>,
/// that runs the program as <c>hlsharp run app.hl</c> does: the same stdout, stderr and exit code,
/// uncaught exceptions and <c>Sys.exit</c> included. Each case is a real <c>dotnet publish</c>
/// (ten to thirty seconds): skipped when <c>HLSHARP_SKIP_NATIVEAOT=1</c>.
/// </summary>
[Trait("Category", NativeAot.Category)]
public sealed class CompileNativeTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("hlsharp-native-test-");

    public void Dispose() => _temp.Delete(recursive: true);

    [NativeAotTheory]
    [InlineData("Hello")]
    [InlineData("SysExit", "3")]
    [InlineData("RuntimeErrors", "bytes-bounds")]
    public void The_native_executable_prints_what_hlsharp_run_prints(string fixture, params string[] args)
    {
        var hl = HaxeFixtures.Compile(fixture);
        var outDir = Path.Combine(_temp.FullName, "out");

        var watch = Stopwatch.StartNew();
        var compiled = HlSharpCli.RunSlow(PublishTimeout, "compile", hl, "-o", outDir, "--name", fixture, "--native");
        output.WriteLine($"hlsharp compile --native {fixture}: {watch.Elapsed.TotalSeconds:F1} s");

        Assert.True(compiled.ExitCode == 0, compiled.ToString());
        var executable = Path.Combine(outDir, fixture + (OperatingSystem.IsWindows() ? ".exe" : ""));
        Assert.EndsWith($"wrote {executable}\n", compiled.Stdout, StringComparison.Ordinal);

        var run = HlSharpCli.Run(["run", hl, .. args]);
        var native = DotnetProgram.RunExecutable(executable, new Dictionary<string, string>(), args);
        Assert.Equal(NativeAot.WithoutStackPositions(run.ToString()), native.ToString());

        // The compiled path is free of trimming and AOT warnings: the tool reports one on stderr.
        Assert.True(compiled.Stderr.Length == 0, compiled.Stderr);
    }
}
