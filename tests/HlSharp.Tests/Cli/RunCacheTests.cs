using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Cli;

/// <summary>
/// The program cache of <c>hlsharp run</c>: a first run leaves the program compiled ahead of time
/// under <c>HLSHARP_CACHE</c>, a later run of the same bytecode loads it, and an entry that is
/// damaged is thrown away, never run.
/// </summary>
public sealed class RunCacheTests : IDisposable
{
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "hlsharp-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    // ReadyToRun compilation of entries is RunCacheReadyToRunTests' subject: off here, so these
    // entries stay IL whatever crossgen2 the machine has.
    private CliResult Run(string bytecodePath) =>
        HlSharpCli.RunWithEnvironment(new Dictionary<string, string> { ["HLSHARP_CACHE"] = _cache, ["HLSHARP_CROSSGEN2"] = "off" }, "run", bytecodePath);

    private string Entry() => Assert.Single(Directory.GetDirectories(_cache));

    [Fact]
    public void A_first_run_leaves_the_compiled_program_and_a_second_run_loads_it()
    {
        var hello = HaxeFixtures.Compile("Hello");
        var first = Run(hello);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("Hello from Haxe\n", first.Stdout);
        var entry = Entry();
        var assembly = Assert.Single(Directory.GetFiles(entry, "*.dll"));

        // The entry is trusted once its hash matches: put another program there, and the next run
        // of the same bytecode runs that one, which shows the run loaded the entry instead of compiling.
        var other = Path.Combine(_cache, "other");
        var written = HlCompiler.CompileAssembly(HaxeFixtures.Bytes("LangMath"), Path.GetFileNameWithoutExtension(assembly), other);
        File.Copy(written, assembly, overwrite: true);
        File.WriteAllText(Path.Combine(entry, CacheFingerprint.EntryFile), CacheFingerprint.OfFile(assembly));
        Directory.Delete(other, recursive: true);

        var second = Run(hello);

        Assert.True(second.ExitCode == 0, second.ToString());
        var expected = File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "LangMath", "expected.txt")).ReplaceLineEndings("\n");
        Assert.Equal(expected, second.Stdout);
    }

    [Fact]
    public void A_damaged_entry_is_replaced_and_the_run_prints_what_the_program_prints()
    {
        var hello = HaxeFixtures.Compile("Hello");
        Assert.Equal(0, Run(hello).ExitCode);
        var assembly = Assert.Single(Directory.GetFiles(Entry(), "*.dll"));
        var bytes = File.ReadAllBytes(assembly);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(assembly, bytes);

        var run = Run(hello);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Hello from Haxe\n", run.Stdout);
        // Written again, whole: its hash matches once more.
        var rewritten = Assert.Single(Directory.GetFiles(Entry(), "*.dll"));
        Assert.Equal(
            File.ReadAllText(Path.Combine(Entry(), CacheFingerprint.EntryFile)).Trim(),
            CacheFingerprint.OfFile(rewritten));
    }

    [Fact]
    public void Writing_an_entry_removes_the_entries_other_builds_wrote_for_the_same_program()
    {
        var hello = HaxeFixtures.Compile("Hello");
        var program = CacheFingerprint.OfFile(hello);
        var otherBuild = Directory.CreateDirectory(Path.Combine(_cache, program + "-0000000000000000"));
        File.WriteAllText(Path.Combine(otherBuild.FullName, CacheFingerprint.EntryFile), "");
        var otherProgram = Directory.CreateDirectory(Path.Combine(_cache, new string('0', 32) + "-0000000000000000"));

        var run = Run(hello);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(Directory.Exists(otherBuild.FullName), "the other build's entry is still there");
        Assert.True(Directory.Exists(otherProgram.FullName), "another program's entry was removed");
        Assert.Single(Directory.GetDirectories(_cache), d => Path.GetFileName(d).StartsWith(program, StringComparison.Ordinal));
    }

    [Fact]
    public void With_the_cache_off_a_run_writes_nothing()
    {
        var home = Path.Combine(_cache, "xdg");
        var run = HlSharpCli.RunWithEnvironment(new Dictionary<string, string> { ["HLSHARP_CACHE"] = "off", ["XDG_CACHE_HOME"] = home }, "run", HaxeFixtures.Compile("Hello"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(Directory.Exists(Path.Combine(home, "hlsharp")));
    }
}
