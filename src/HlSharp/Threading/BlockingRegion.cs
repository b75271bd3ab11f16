namespace HlSharp.Threading;

/// <summary>
/// A stretch of a native in which its thread waits outside Haxe code (what <c>vm.Blocking()</c>
/// returns): Dispose of the VM, and later hot reload, do not wait for the thread, and the thread
/// may not call into Haxe code until the region ends.
/// </summary>
internal sealed class BlockingRegion : IDisposable
{
    private readonly ThreadRegistry _registry;

    public BlockingRegion(ThreadRegistry registry, VmThread thread)
    {
        _registry = registry;
        Thread = thread;
    }

    public VmThread Thread { get; }

    public bool Ended { get; set; }

    /// <exception cref="HlThreadException">Disposed on another thread, twice, or before a region opened after it.</exception>
    public void Dispose() => _registry.EndBlocking(this);
}
