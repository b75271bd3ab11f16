namespace HlSharp.Tests.Natives;

/// <summary>
/// std@bsort_i32 and bsort_f64 (Array&lt;Int&gt;.sort, Array&lt;Float&gt;.sort): the Sorting fixture checks
/// results, stability, and that the comparator is called exactly as HashLink's merge sort calls it
/// (call counts, the permutation an inconsistent comparator produces, the state a throwing
/// comparator leaves), through typed, bound and dynamic comparators.
/// </summary>
public sealed class SortingTests
{
    [Fact]
    public void Byte_sorts_run_HashLinks_stable_merge_sort()
    {
        var (lines, missing) = NativeFixture.Run("Sorting");

        NativeFixture.AssertAllPassed(lines, okCount: 30);
        Assert.DoesNotContain(missing, m => m.StartsWith("std@bsort", StringComparison.Ordinal));
    }
}
