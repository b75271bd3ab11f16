using System.Text;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Natives;

/// <summary>
/// <c>hl.CArray</c>'s element access. HashLink 1.17 lacks <c>carray_get</c> and
/// <c>carray_length</c>, so the committed 4.3 fixture <c>tests/fixtures43/CArray</c> checks only
/// allocation against hl's output; given the argument "access" it also checks what only HlSharp
/// defines, which this test runs.
/// </summary>
public sealed class CArrayTests
{
    [Fact]
    public void Elements_are_instances_held_by_the_array_whose_writes_persist()
    {
        using var output = new MemoryStream();
        var hl = Path.Combine(RepoPaths.Root, "tests", "fixtures43", "CArray", "main.hl");
        using (var vm = HlVm.Load(File.ReadAllBytes(hl), new HlVmOptions { StandardOutput = output, Arguments = ["access"] }))
        {
            vm.RunEntry();
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
        Assert.Equal(
            [
                "length 4, one 1",
                "ok zeroed",
                "ok typed",
                "sum 68, names p0,p1,p2,p3",
                "ok writes persist",
                "ok same element",
                "ok distinct elements",
                "ok method",
                "ok subclass fields",
                "ok struct writes persist",
                "index -1: Out of bounds",
                "index length: Out of bounds",
            ],
            lines[^12..]);
    }
}
