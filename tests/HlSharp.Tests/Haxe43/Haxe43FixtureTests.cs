using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Haxe43;

/// <summary>
/// What Haxe 4.3 writes, run here although CI has only Haxe 4.2.5: each folder of
/// <c>tests/fixtures43</c> holds a program's source, the <c>main.hl</c> a 4.3 compiler built from
/// it (<c>tests/fixtures43/build.sh</c>), the hash of the source it was built from, and
/// <c>expected.txt</c>, what HashLink's <c>hl main.hl</c> prints. The committed bytecode must be
/// the source's: its recorded hash must match the source, and when <c>HAXE_4_3</c> names a 4.3
/// compiler, a fresh build must be the committed one.
/// </summary>
public sealed partial class Haxe43FixtureTests
{
    private static string Root => Path.Combine(RepoPaths.Root, "tests", "fixtures43");

    public static TheoryData<string> Fixtures() => [.. Names()];

    private static IEnumerable<string> Names() =>
        Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    [Fact]
    public void Every_fixture_folder_has_its_source_its_build_and_what_hl_prints()
    {
        var folders = Names().ToArray();

        Assert.NotEmpty(folders);
        foreach (var name in folders)
        {
            foreach (var file in new[] { "Main.hx", "build.hxml", "main.hl", "source.sha256", "expected.txt" })
            {
                Assert.True(File.Exists(Path.Combine(Root, name, file)), $"tests/fixtures43/{name} has no {file}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Prints_what_HashLink_prints(string name)
    {
        var expected = File.ReadAllText(Path.Combine(Root, name, "expected.txt")).ReplaceLineEndings("\n");

        var actual = Run(name);

        Assert.Equal(expected, actual);
        Assert.DoesNotContain("FAIL", actual, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Committed_bytecode_is_what_Haxe_4_3_writes_for_the_committed_source(string name)
    {
        var dir = Path.Combine(Root, name);
        var code = HlCode.ReadFile(Path.Combine(dir, "main.hl"));
        var recorded = File.ReadAllText(Path.Combine(dir, "source.sha256")).Trim();

        Assert.True(recorded == SourceHash(dir), $"tests/fixtures43/{name}: the source changed since main.hl was built; rebuild it with tests/fixtures43/build.sh");
        if (Environment.GetEnvironmentVariable("HAXE_4_3") is { Length: > 0 } compiler)
        {
            Assert.Equal(Listing(code), Listing(HlCode.Read(Build(compiler, dir))));
        }
    }

    /// <summary>Runs a fixture and returns its standard output, followed by hl's report of an uncaught exception if one escapes.</summary>
    private static string Run(string name)
    {
        using var output = new MemoryStream();
        var report = new StringBuilder();
        using (var vm = HlVm.Load(File.ReadAllBytes(Path.Combine(Root, name, "main.hl")), new HlVmOptions { StandardOutput = output, RunEventLoop = true }))
        {
            try
            {
                vm.RunEntry();
            }
            catch (HlHaxeException e)
            {
                report.Append(e.UncaughtReport);
            }
        }

        return Encoding.UTF8.GetString(output.ToArray()) + report;
    }

    /// <summary>The hash build.sh records: SHA-256 of "hash  path" lines for every source file, in byte order of path.</summary>
    private static string SourceHash(string dir)
    {
        var outputs = new[] { "main.hl", "expected.txt", "source.sha256" };
        var lines = new StringBuilder();
        var files = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
            .Where(f => !outputs.Contains(f))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            lines.Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, file))))).Append("  ").Append(file).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    /// <summary>
    /// The readable listing of a program, with the standard library's folder left out of file
    /// names: the compiler records the absolute path of its std, which differs between machines.
    /// </summary>
    private static string Listing(HlCode code)
    {
        var text = new StringWriter();
        new HlDisassembler(code).Write(text);
        return StdFolder().Replace(text.ToString(), "<std>/");
    }

    private static byte[] Build(string compiler, string dir)
    {
        var work = Directory.CreateTempSubdirectory("hlsharp-fixture43-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(dir).Where(f => !f.EndsWith("main.hl", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(work.FullName, Path.GetFileName(file)));
            }

            var start = new ProcessStartInfo(compiler, ["build.hxml"]) { WorkingDirectory = work.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            using var haxe = Process.Start(start)!;
            var errors = haxe.StandardError.ReadToEndAsync();
            haxe.StandardOutput.ReadToEnd();
            Assert.True(haxe.WaitForExit(TimeSpan.FromMinutes(2)), "the 4.3 compiler did not finish in two minutes");
            Assert.True(haxe.ExitCode == 0, $"{compiler} build.hxml failed: {errors.Result}");
            return File.ReadAllBytes(Path.Combine(work.FullName, "main.hl"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"[^\s()]*/std/")]
    private static partial Regex StdFolder();
}
