using HlSharp.Engine;

namespace HlSharp.Threading;

/// <summary>
/// One thread the VM knows, from its outermost registration to its end: why it runs Haxe code,
/// its registrations (nested, innermost last) and its <c>Blocking()</c> regions. Only the thread
/// itself changes the stacks; other threads read <see cref="IsBlocking"/> and
/// <see cref="IsRunningHaxe"/> (Dispose, and later hot reload, to know whom to wait for).
/// </summary>
internal sealed class VmThread
{
    private readonly List<ThreadRegistration> _registrations = [];
    private readonly List<BlockingRegion> _blocking = [];
    private volatile int _blockingDepth;

    public VmThread(Thread thread, VmThreadKind kind)
    {
        Thread = thread;
        Kind = kind;
    }

    public Thread Thread { get; }

    /// <summary>The kind of its outermost registration.</summary>
    public VmThreadKind Kind { get; }

    /// <summary>What the host call paths check; its gate is set while the thread may call in.</summary>
    public ThreadAdmission Admission { get; } = new();

    /// <summary>The façade's public view of this thread (made on first use, on the thread itself).</summary>
    public object? HostView { get; set; }

    /// <summary>Whether the thread is inside a <c>Blocking()</c> region: waiting outside Haxe code, not to be waited for.</summary>
    public bool IsBlocking => _blockingDepth > 0;

    /// <summary>Whether the thread is inside Haxe code of this VM now (a host call, or the body of a thread the VM started).</summary>
    public bool IsRunningHaxe => Volatile.Read(ref Admission.Running) > 0;

    /// <summary>How many registrations are open.</summary>
    public int Depth => _registrations.Count;

    public ThreadRegistration? InnermostRegistration => _registrations.Count == 0 ? null : _registrations[^1];

    public void Push(ThreadRegistration registration) => _registrations.Add(registration);

    public void Pop() => _registrations.RemoveAt(_registrations.Count - 1);

    public BlockingRegion? InnermostBlocking => _blocking.Count == 0 ? null : _blocking[^1];

    public void PushBlocking(BlockingRegion region)
    {
        _blocking.Add(region);
        _blockingDepth = _blocking.Count;
    }

    public void PopBlocking()
    {
        _blocking.RemoveAt(_blocking.Count - 1);
        _blockingDepth = _blocking.Count;
    }
}
