using System.Globalization;
using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Samples;

/// <summary>
/// The README's first command runs <c>samples/hello/hello.hl</c>, which is committed so a new user
/// needs no Haxe compiler. These tests keep it honest: readable, and compiled from the
/// <c>Hello.hx</c> beside it rather than from an older version of it.
/// </summary>
public sealed class HelloSampleTests
{
    private const string RebuildCommand = "cd samples/hello && haxe -main Hello -hl hello.hl";

    private static string SampleDir => Path.Combine(RepoPaths.Root, "samples", "hello");

    private static string CommittedPath => Path.Combine(SampleDir, "hello.hl");

    [Fact]
    public void The_committed_sample_is_readable_bytecode()
    {
        var code = HlCode.ReadFile(CommittedPath);

        Assert.Equal(4, code.Version);
        Assert.True(code.HasDebugInfo);
        Assert.NotNull(code.GetFunction(code.EntryPoint));
        Assert.Contains(code.Functions, f => f.Name == "Hello.main");
        Assert.Contains(code.Functions, f => f.Name == "Greeter.greet");
        Assert.Contains(code.Types, t => t is HlObjectType { Name: "Greeter" });
        Assert.Contains("Hello from Haxe, running on HlSharp!", code.Strings);
        Assert.Contains(code.Natives, n => n.Library == "std");
    }

    [Fact]
    public void The_committed_sample_is_compiled_from_its_source()
    {
        var temp = Directory.CreateTempSubdirectory("hlsharp-sample-");
        try
        {
            // Compile from the sample's own folder, as its rebuild command does: haxe records the
            // main source's path as given, so another working directory would change the output.
            var fresh = Path.Combine(temp.FullName, "hello.hl");
            var (exit, output) = HaxeFixtures.RunHaxe(["-main", "Hello", "-hl", fresh], SampleDir);
            Assert.True(exit == 0, $"haxe could not compile samples/hello/Hello.hx (exit {exit}):\n{output}");

            var committedBytes = File.ReadAllBytes(CommittedPath);
            var freshBytes = File.ReadAllBytes(fresh);
            if (committedBytes.AsSpan().SequenceEqual(freshBytes))
            {
                return;
            }

            // Haxe 4.2.5 is deterministic, but it records the standard library's absolute paths as
            // debug file names, so a compiler installed elsewhere writes different bytes for the
            // same program. Compare what the program is instead, with those paths cut to file names.
            var committed = Describe(HlCode.Read(committedBytes));
            var current = Describe(HlCode.Read(freshBytes));
            var at = FirstDifference(committed, current);
            if (at < 0)
            {
                return;
            }

            Assert.Fail($"""
                samples/hello/hello.hl is stale: it is not what haxe {HaxeFixtures.Version} compiles from Hello.hx.
                Rebuild it with `{RebuildCommand}` and commit it (it was compiled with Debian's haxe 4.2.5).
                First difference, item {at}:
                  committed: {Item(committed, at)}
                  from source: {Item(current, at)}
                """);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>Writes out everything the bytecode says, one item a line, except where it was compiled.</summary>
    private static List<string> Describe(HlCode code)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string> { $"version {code.Version}, debug {code.HasDebugInfo}, entry {code.EntryPoint}" };
        lines.AddRange(code.Ints.Select(i => $"int {i}"));
        lines.AddRange(code.Floats.Select(f => $"float {f.ToString("R", c)}"));
        lines.AddRange(code.Strings.Select(s => $"string {s}"));
        lines.Add("bytes " + Convert.ToHexString(code.BytesData.Span));
        lines.AddRange(code.DebugFiles.Select(f => $"file {Path.GetFileName(f)}"));
        lines.AddRange(code.Types.Select(t => $"type {t.Index} {t.Kind} {t}"));
        lines.AddRange(code.Globals.Select(g => $"global {g}"));
        lines.AddRange(code.Natives.Select(n => $"native {n.Index} {n} {n.Type}"));
        lines.AddRange(code.Constants.Select(k => $"constant {k.GlobalIndex} [{string.Join(',', k.Fields)}]"));
        foreach (var f in code.Functions)
        {
            lines.Add($"function {f.Index} {f.Name} {f.Type} registers [{string.Join(", ", f.Registers)}]");
            lines.AddRange(f.Ops.Select(op => $"  {op.Opcode} {op.P1} {op.P2} {op.P3} [{string.Join(',', op.Extra)}]"));
            lines.Add("  lines " + string.Join(',', f.Debug.Select(d => $"{d.FileIndex}:{d.Line}")));
        }

        return lines;
    }

    private static int FirstDifference(List<string> a, List<string> b)
    {
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return a.Count == b.Count ? -1 : Math.Min(a.Count, b.Count);
    }

    private static string Item(List<string> lines, int index) => index < lines.Count ? lines[index] : "(nothing: the program ends here)";
}
