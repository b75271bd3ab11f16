using HlSharp.Bytecode;

namespace HlSharp.Tests.Infrastructure;

/// <summary>
/// The <c>DumpSample</c> fixture: its compiled bytecode, and the source lines its
/// <c>// dump: name</c> comments mark, so tests compute expected positions instead of hard-coding them.
/// </summary>
internal static class DumpSample
{
    public const string Fixture = "DumpSample";

    private static readonly Lazy<string[]> SourceLines = new(() => File.ReadAllLines(Path.Combine(RepoPaths.Fixtures, Fixture, "Main.hx")));

    public static string BytecodePath => HaxeFixtures.Compile(Fixture);

    public static HlCode Code => HlCode.ReadFile(BytecodePath);

    /// <summary>The 1-based line of the statement carrying the marker <c>// dump: <paramref name="marker"/></c>.</summary>
    public static int LineOf(string marker)
    {
        var lines = SourceLines.Value;
        var index = Array.FindIndex(lines, l => l.EndsWith("// dump: " + marker, StringComparison.Ordinal));
        return index >= 0 ? index + 1 : throw new InvalidOperationException($"no '// dump: {marker}' marker in the {Fixture} fixture");
    }
}
