using HlSharp.Threading;

namespace HlSharp.Natives;

/// <summary>
/// A recursive lock of the VM, released by the thread that holds it: Haxe's <c>sys.thread.Mutex</c>,
/// hlsharp's named locks and its <c>Critical</c> section. A monitor underneath; waits go through
/// the VM's blocking waits, so a stop or a wake reaches a thread waiting here. With a
/// <see cref="WaitForGraph"/> (deadlock detection on), holders and untimed waits are recorded and
/// a wait that would close a cycle raises a Haxe exception naming it; without one, the paths are
/// those of a bare monitor.
/// </summary>
internal sealed class VmLock(string description, WaitForGraph? deadlocks)
{
    private readonly object _gate = new();

    /// <summary>How messages name the lock: <c>mutex #3</c>, <c>lock 'db'</c>, <c>the critical section</c>.</summary>
    public string Description { get; } = description;

    /// <summary>Takes the lock, waiting as long as it takes (or until the VM stops the thread).</summary>
    public void Acquire(NativeContext m)
    {
        if (Monitor.TryEnter(_gate))
        {
            deadlocks?.Acquired(this, m.CurrentThreadHandle);
            return;
        }

        if (deadlocks is null)
        {
            m.Stop.Enter(_gate);
            return;
        }

        var me = m.CurrentThreadHandle;
        if (deadlocks.BeginWait(me, this) is { } cycle)
        {
            throw m.Runtime.MakeError(cycle);
        }

        var entered = false;
        try
        {
            m.Stop.Enter(_gate);
            entered = true;
        }
        finally
        {
            deadlocks.EndWait(me, this, entered);
        }
    }

    /// <summary>
    /// Takes the lock without the VM's stop: for host code that must get an answer while the
    /// program exits (the event loop's state). Only for locks Haxe code holds briefly.
    /// </summary>
    public void AcquireUnstoppable(NativeContext m)
    {
        Monitor.Enter(_gate);
        deadlocks?.Acquired(this, m.CurrentThreadHandle);
    }

    /// <summary>
    /// Takes the lock if it can within <paramref name="timeout"/> (zero: only if free now). A timed
    /// wait ends by itself, so it is never part of a deadlock and is not recorded as a wait.
    /// </summary>
    public bool TryAcquire(NativeContext m, TimeSpan timeout)
    {
        var got = Monitor.TryEnter(_gate) || (timeout > TimeSpan.Zero && m.Stop.Block(timeout, (token, left) => TryEnterWithin(left, token)));
        if (got)
        {
            deadlocks?.Acquired(this, m.CurrentThreadHandle);
        }

        return got;
    }

    /// <summary>Releases one hold; a thread that does not hold the lock gets a Haxe exception saying so.</summary>
    public void Release(NativeContext m)
    {
        if (!Monitor.IsEntered(_gate))
        {
            throw m.Runtime.MakeError($"Can't release {Description}: it is not held by the current thread");
        }

        deadlocks?.Releasing(this);
        Monitor.Exit(_gate);
    }

    /// <summary>Whether the calling thread holds the lock.</summary>
    public bool IsHeldByCurrentThread => Monitor.IsEntered(_gate);

    // Monitors cannot wait on a token: wait in slices, so the VM's wake cancels within one.
    private bool TryEnterWithin(TimeSpan left, CancellationToken token)
    {
        var slice = TimeSpan.FromMilliseconds(20);
        var deadline = DateTime.UtcNow + left;
        while (true)
        {
            token.ThrowIfCancellationRequested();
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            if (Monitor.TryEnter(_gate, remaining < slice ? remaining : slice))
            {
                return true;
            }
        }
    }
}
