using System.Globalization;
using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Samples;

/// <summary>
/// The samples commit their compiled <c>.hl</c> beside the Haxe source, so running them needs no
/// Haxe compiler. This checks that a committed file is what the source compiles to today.
/// </summary>
internal static class CommittedBytecode
{
    /// <summary>
    /// Compiles <paramref name="main"/> in <paramref name="sampleDir"/> (relative to the repository)
    /// into a temporary folder, as <c>cd sampleDir &amp;&amp; haxe -main Main -hl file</c> does, and fails
    /// unless the committed <paramref name="hlFile"/> is the same program.
    /// </summary>
    public static void AssertCompiledFromSource(string sampleDir, string main, string hlFile)
    {
        var dir = Path.Combine(RepoPaths.Root, sampleDir);
        var committedPath = Path.Combine(dir, hlFile);
        var rebuild = $"cd {sampleDir} && haxe -main {main} -hl {hlFile}";
        var temp = Directory.CreateTempSubdirectory("hlsharp-sample-");
        try
        {
            // Compile from the sample's own folder, as its rebuild command does: haxe records the
            // main source's path as given, so another working directory would change the output.
            var fresh = Path.Combine(temp.FullName, hlFile);
            var (exit, output) = HaxeFixtures.RunHaxe(["-main", main, "-hl", fresh], dir);
            Assert.True(exit == 0, $"haxe could not compile {sampleDir}/{main}.hx (exit {exit}):\n{output}");

            var committedBytes = File.ReadAllBytes(committedPath);
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
                {sampleDir}/{hlFile} is stale: it is not what haxe {HaxeFixtures.Version} compiles from {main}.hx.
                Rebuild it with `{rebuild}` and commit it (it was compiled with Debian's haxe 4.2.5).
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
