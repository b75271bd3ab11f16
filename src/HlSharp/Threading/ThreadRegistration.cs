namespace HlSharp.Threading;

/// <summary>
/// One registration of a thread with a VM (what <c>vm.EnterThread()</c> returns, and what the VM
/// holds for its main thread, the threads it starts and an automatic registration). Disposing it
/// on its thread ends it; the outermost one's end runs the thread's exit hooks.
/// </summary>
internal sealed class ThreadRegistration : IDisposable
{
    private readonly ThreadRegistry _registry;

    public ThreadRegistration(ThreadRegistry registry, VmThread thread, VmThreadKind kind)
    {
        _registry = registry;
        Thread = thread;
        Kind = kind;
    }

    public VmThread Thread { get; }

    /// <summary>Why this registration was made (the thread's kind is that of its outermost one).</summary>
    public VmThreadKind Kind { get; }

    public bool Ended { get; set; }

    /// <summary>What the thread misuse messages call this registration.</summary>
    public string Description => Kind switch
    {
        VmThreadKind.Host => "a vm.EnterThread() registration",
        VmThreadKind.AutoRegistered => "an automatic registration",
        _ => $"the {Kind} registration",
    };

    /// <exception cref="HlThreadException">Disposed on another thread, twice, before a registration made after it, or (outermost) inside Haxe code.</exception>
    public void Dispose() => _registry.Unregister(this);
}
