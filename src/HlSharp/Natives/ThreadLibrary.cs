using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using HlSharp.Threading;

namespace HlSharp.Natives;

/// <summary>
/// What the threading natives keep per VM: thread ids, the named locks, the critical section,
/// and the wait-for graph when deadlocks are detected. Made with the VM's natives, so nothing
/// is shared between VMs.
/// </summary>
internal sealed class ThreadLibrary
{
    private readonly ConditionalWeakTable<StdThread.ThreadHandle, StrongBox<int>> _ids = [];
    private readonly ConcurrentDictionary<string, VmLock> _named = new(StringComparer.Ordinal);
    private int _lastThreadId;
    private int _lastMutexId;

    public ThreadLibrary(bool detectDeadlocks)
    {
        Deadlocks = detectDeadlocks ? new WaitForGraph(DescribeThread, static l => ((VmLock)l).Description) : null;
        Critical = new VmLock("the critical section", Deadlocks);
    }

    /// <summary>The wait-for graph, or null when the VM does not detect deadlocks.</summary>
    public WaitForGraph? Deadlocks { get; }

    /// <summary>The one recursive VM-wide lock of <c>hlsharp.thread.Critical</c>.</summary>
    public VmLock Critical { get; }

    /// <summary>A thread's id: 1, 2, ... in the order the library first saw each thread.</summary>
    public int IdOf(StdThread.ThreadHandle thread) =>
        _ids.GetValue(thread, _ => new StrongBox<int>(Interlocked.Increment(ref _lastThreadId))).Value;

    /// <summary>A new <c>sys.thread.Mutex</c>, numbered so deadlock reports can name it.</summary>
    public VmLock NewMutex() => new($"mutex #{Interlocked.Increment(ref _lastMutexId)}", Deadlocks);

    /// <summary>The lock of a name: the same lock for the same name for the life of the VM.</summary>
    public VmLock Named(string name) => _named.GetOrAdd(name, n => new VmLock($"lock '{n}'", Deadlocks));

    private string DescribeThread(object thread)
    {
        var handle = (StdThread.ThreadHandle)thread;
        return handle.Name is { } name ? $"'{name}'" : $"#{IdOf(handle)}";
    }
}
