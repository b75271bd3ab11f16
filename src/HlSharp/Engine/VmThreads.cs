using System.Collections.Concurrent;

namespace HlSharp.Engine;

/// <summary>
/// The threads Haxe code started in one VM. Every such thread is registered here before it
/// runs and removed when it ends, so the VM always knows which threads may be running its code.
/// </summary>
internal sealed class VmThreads
{
    private readonly ConcurrentDictionary<Thread, byte> _running = new();

    public void Started(Thread thread) => _running[thread] = 0;

    public void Exited(Thread thread) => _running.TryRemove(thread, out _);
}
