using System.Reflection.PortableExecutable;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Cli;

/// <summary>
/// The run cache's ReadyToRun step: with a crossgen2 at hand, the entry a first run leaves holds
/// machine code and a later run loads it; when crossgen2 fails, the entry stays IL, says why, and
/// runs; a later run that loads an IL entry compiles it then.
/// </summary>
public sealed class RunCacheReadyToRunTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hlsharp-r2r-" + Guid.NewGuid().ToString("N"));

    private string Cache => Path.Combine(_root, "cache");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>Runs the program with the cache on; <paramref name="crossgen2"/> null leaves the tool to find crossgen2 itself.</summary>
    private CliResult Run(string bytecodePath, string? crossgen2)
    {
        var environment = new Dictionary<string, string> { ["HLSHARP_CACHE"] = Cache };
        if (crossgen2 is not null)
        {
            environment["HLSHARP_CROSSGEN2"] = crossgen2;
        }

        return HlSharpCli.RunWithEnvironment(environment, "run", bytecodePath);
    }

    private string EntryAssembly() => Assert.Single(Directory.GetFiles(Assert.Single(Directory.GetDirectories(Cache)), "*.dll"));

    private static bool IsReadyToRun(string assembly)
    {
        using var reader = new PEReader(File.OpenRead(assembly));
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    // Needs the SDK to fetch crossgen2's package, as the NativeAOT tests need it for ILCompiler's.
    [NativeAotFact]
    public void With_crossgen2_in_the_NuGet_packages_the_first_run_leaves_machine_code_and_the_second_run_loads_it()
    {
        Crossgen2.Restore(Path.Combine(_root, "restore"));
        var program = HaxeFixtures.Compile("LangClasses");
        var expected = File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "LangClasses", "expected.txt")).ReplaceLineEndings("\n");

        var first = Run(program, crossgen2: null);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(expected, first.Stdout);
        var assembly = EntryAssembly();
        Assert.True(IsReadyToRun(assembly), "the entry holds IL only");
        Assert.Equal(
            File.ReadAllText(Path.Combine(Path.GetDirectoryName(assembly)!, CacheFingerprint.EntryFile)).Trim(),
            CacheFingerprint.OfFile(assembly));

        var second = Run(program, crossgen2: null);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(expected, second.Stdout);
        Assert.Equal(assembly, EntryAssembly());
    }

    [NativeAotFact]
    public void A_run_that_loads_an_entry_of_IL_leaves_it_compiled()
    {
        var crossgen2 = Crossgen2.Restore(Path.Combine(_root, "restore"));
        var hello = HaxeFixtures.Compile("Hello");
        Assert.Equal(0, Run(hello, "off").ExitCode);
        Assert.False(IsReadyToRun(EntryAssembly()));

        var run = Run(hello, crossgen2);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Hello from Haxe\n", run.Stdout);
        Assert.True(IsReadyToRun(EntryAssembly()), "the entry holds IL only");
        Assert.Equal("Hello from Haxe\n", Run(hello, crossgen2).Stdout);
    }

    [UnixFact]
    public void When_crossgen2_fails_the_entry_stays_IL_keeps_what_it_printed_and_runs()
    {
        var failing = Path.Combine(_root, "crossgen2");
        Directory.CreateDirectory(_root);
        File.WriteAllText(failing, "#!/bin/sh\necho \"crossgen2 stand-in: no\" >&2\nexit 3\n");
        // UnixFact skips this test on Windows, where a shell script cannot stand in for crossgen2.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(failing, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var hello = HaxeFixtures.Compile("Hello");

        var first = Run(hello, failing);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("Hello from Haxe\n", first.Stdout);
        Assert.Equal("", first.Stderr);
        var assembly = EntryAssembly();
        Assert.False(IsReadyToRun(assembly));
        var failure = File.ReadAllText(Path.Combine(Path.GetDirectoryName(assembly)!, "ready-to-run-failed.txt"));
        Assert.Contains("exited with 3", failure, StringComparison.Ordinal);
        Assert.Contains("crossgen2 stand-in: no", failure, StringComparison.Ordinal);

        // Not tried again: the stand-in now leaves a mark if it runs.
        File.WriteAllText(failing, $"#!/bin/sh\ntouch '{Path.Combine(_root, "ran")}'\nexit 3\n");
        var second = Run(hello, failing);
        Assert.Equal("Hello from Haxe\n", second.Stdout);
        Assert.False(File.Exists(Path.Combine(_root, "ran")), "crossgen2 ran again on an entry it had failed on");
    }
}
