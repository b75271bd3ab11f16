using System.Text;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Natives;

/// <summary>Runs a self-checking fixture in-process and splits its output into lines.</summary>
internal static class NativeFixture
{
    public static string[] Run(string fixture)
    {
        using var output = new MemoryStream();
        using (var vm = HlVm.Load(HaxeFixtures.Bytes(fixture), new HlVmOptions { StandardOutput = output }))
        {
            vm.RunEntry();
        }

        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Asserts that the fixture ran to its end, failed no check and passed the expected number.</summary>
    public static void AssertAllOk(string[] lines, int expectedOk)
    {
        Assert.Equal([], lines.Where(l => !l.StartsWith("ok ", StringComparison.Ordinal) && l != "done").ToArray());
        Assert.Equal("done", lines[^1]);
        Assert.Equal(expectedOk, lines.Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));
    }
}
