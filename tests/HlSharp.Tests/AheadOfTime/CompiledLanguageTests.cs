using System.Text;
using HlSharp.Tests.Engine;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.AheadOfTime;

/// <summary>
/// Every language fixture compiled ahead of time (<see cref="HlCompiler"/>) and run through
/// <see cref="HlVm.Load(System.Reflection.Assembly, HlVmOptions?)"/> prints what HashLink prints,
/// exactly as the same fixture loaded as bytecode does (<see cref="LanguageTests"/>).
/// </summary>
public sealed class CompiledLanguageTests
{
    public static TheoryData<string> Areas => LanguageTests.Areas;

    [Theory]
    [MemberData(nameof(Areas))]
    public void Compiled_fixture_prints_what_HashLink_prints(string area)
    {
        var expected = File.ReadAllText(Path.Combine(RepoPaths.Fixtures, area, "expected.txt")).ReplaceLineEndings("\n");
        using var output = new MemoryStream();
        var report = new StringBuilder();

        using (var vm = HlVm.Load(CompiledFixtures.Load(area), new HlVmOptions { StandardOutput = output, RunEventLoop = true }))
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

        Assert.Equal(expected, Encoding.UTF8.GetString(output.ToArray()) + report);
    }
}
