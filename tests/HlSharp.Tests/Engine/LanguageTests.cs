using System.Text;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// Runs one Haxe program per language area in-process and compares its whole output with the
/// fixture's <c>expected.txt</c>, which holds what HashLink's own <c>hl</c> prints for the program
/// (including, for an uncaught exception, the report <c>hl</c> writes to standard output).
/// </summary>
public sealed class LanguageTests
{
    public static TheoryData<string> Areas =>
    [
        "LangOperators", "LangClasses", "LangClosures", "LangEnums", "LangAbstracts", "LangNull", "LangDynamicAnon",
        "LangExceptions", "LangStrings", "LangArrays", "LangMaps", "LangInt64", "LangBytes", "LangFormats", "LangMath", "LangEventLoop", "LangCalls",
        "LangStructCalls", "LangRefs", "LangVirtualViews",
    ];

    [Theory]
    [MemberData(nameof(Areas))]
    public void Fixture_prints_what_HashLink_prints(string area)
    {
        var expected = File.ReadAllText(Path.Combine(RepoPaths.Fixtures, area, "expected.txt")).ReplaceLineEndings("\n");

        var actual = Run(area);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Hlsharp_run_reports_an_uncaught_exception_as_hl_does()
    {
        var expected = File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "LangExceptions", "expected.txt")).ReplaceLineEndings("\n");

        var result = HlSharpCli.Run("run", HaxeFixtures.Compile("LangExceptions"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected, result.Stdout);
    }

    /// <summary>Runs a fixture and returns its standard output, followed by hl's report of an uncaught exception if one escapes.</summary>
    internal static string Run(string area)
    {
        using var output = new MemoryStream();
        var report = new StringBuilder();
        using (var vm = HlVm.Load(HaxeFixtures.Bytes(area), new HlVmOptions { StandardOutput = output, RunEventLoop = true }))
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
}
