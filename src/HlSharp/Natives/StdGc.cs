
namespace HlSharp.Natives;

/// <summary>
/// <c>hl.Gc</c> mapped onto the CLR's collector. What the CLR can tell or do is answered from it;
/// what it cannot (counting allocations, switching collection off, dumping HashLink's heap) is said
/// plainly rather than faked.
/// </summary>
internal static class StdGc
{
    [HlNative("std", "gc_major")]
    public static void Major() => GC.Collect();

    /// <summary>
    /// The CLR's collector cannot be switched off, so this only records the request: HashLink
    /// programs disable the collector around allocation bursts as an optimisation, never for
    /// correctness, so carrying on collecting changes no result.
    /// </summary>
    [HlNative("std", "gc_enable")]
    public static void Enable(NativeContext m, bool enabled) => m.GcEnabled = enabled;

    /// <summary>
    /// Bytes allocated so far and the managed heap's size, from the CLR. The CLR does not count
    /// allocations, so the allocation count is -1 (no Haxe code can mistake it for a count).
    /// </summary>
    [HlNative("std", "gc_stats")]
    public static void Stats(HlSharp.Runtime.HlRef<double> totalAllocated, HlSharp.Runtime.HlRef<double> allocationCount, HlSharp.Runtime.HlRef<double> currentMemory)
    {
        totalAllocated.Value = GC.GetTotalAllocatedBytes();
        allocationCount.Value = -1;
        currentMemory.Value = GC.GetTotalMemory(forceFullCollection: false);
    }

    [HlNative("std", "gc_get_flags")]
    public static int GetFlags(NativeContext m) => m.GcFlags;

    /// <summary>Stores the flags so <c>hl.Gc.flags</c> reads back what was set; none of them changes how the CLR collects.</summary>
    [HlNative("std", "gc_set_flags")]
    public static void SetFlags(NativeContext m, int flags) => m.GcFlags = flags;

    [HlNative("std", "gc_dump_memory")]
    public static void DumpMemory(NativeContext m, HlSharp.Runtime.HlBytes? fileName)
    {
        _ = fileName;
        throw m.Runtime.MakeError("hl.Gc.dumpMemory is not supported in HlSharp: its heap is the CLR's (use dotnet-gcdump)");
    }

    /// <summary>HashLink's blocking sections let its collector run while a thread waits outside Haxe; the CLR's collector never waits for threads, so there is nothing to do.</summary>
    [HlNative("std", "blocking")]
    public static void Blocking(bool entering) => _ = entering;
}
