namespace HlSharp.Tests.Natives;

public sealed class GcTests
{
    [Fact]
    public void Hl_Gc_reports_the_CLR_collector_and_refuses_what_it_cannot_do()
    {
        var (lines, missing) = NativeFixture.Run("GcApi");

        NativeFixture.AssertAllPassed(lines, 8);
        Assert.DoesNotContain(missing, n => n.StartsWith("std@gc_", StringComparison.Ordinal) || n == "std@blocking");
    }
}
