using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Natives;

/// <summary>Runs a self-checking native fixture (lines "ok name" / "FAIL name: ..." then "done") in-process.</summary>
internal static class NativeFixture
{
    /// <summary>Compiles and runs a fixture, returning its output lines and the natives it names that are missing.</summary>
    public static (string[] Lines, IReadOnlyList<string> Missing) Run(string fixture)
    {
        var result = FixtureRun.Run(fixture);
        return (result.NonEmptyLines, result.Missing);
    }

    /// <summary>Asserts no check failed, all ran to "done", and exactly <paramref name="okCount"/> checks passed.</summary>
    public static void AssertAllPassed(string[] lines, int okCount)
    {
        Assert.DoesNotContain(lines, l => !l.StartsWith("ok ", StringComparison.Ordinal) && l != "done");
        Assert.Equal("done", lines[^1]);
        Assert.Equal(okCount, lines.Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));
    }
}
