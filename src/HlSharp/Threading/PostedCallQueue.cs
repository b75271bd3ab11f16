using HlSharp.Engine;

namespace HlSharp.Threading;

/// <summary>
/// The calls posted to a dedicated VM thread, and where that thread serves them. Posting wakes
/// the thread's blocking wait (<see cref="ThreadWake.Wake"/>), where this queue, registered as
/// one of its attentions, runs the calls; and it signals the thread's idle wait
/// (<see cref="WaitForPost"/>), where it waits once <c>main</c> and its event loop have returned.
/// <para>
/// Calls run only where the thread waits, never at a poll in running code
/// (<see cref="ThreadWake.AttendingWait"/>): a call runs between two Haxe statements of <c>main</c>
/// only where <c>main</c> is blocked anyway, inside <c>Sys.sleep</c>, <c>Lock.wait</c>,
/// <c>Deque.pop</c> or a mutex wait. That is as safe as a Haxe callback run by the event loop:
/// the waiting native holds no VM state (a <c>Lock.wait</c> or a mutex wait holds only the .NET
/// primitive it waits on, which the served call does not touch), and its Haxe frames sit below
/// the call's on the same stack, as any caller's do. A served call that blocks serves the next
/// one nested inside it; the outer call resumes when the inner one returns.
/// </para>
/// </summary>
internal sealed class PostedCallQueue : IThreadAttention
{
    private readonly Queue<PostedCall> _calls = new();
    private readonly ThreadWake _wake;
    private readonly VmStop _stop;
    private bool _closed;
    private bool _postedSinceIdle;
    private int _running;

    /// <summary>A queue served by the calling thread (the dedicated VM thread), over its wake record.</summary>
    public PostedCallQueue(VmStop stop)
    {
        _stop = stop;
        _wake = stop.CurrentThread;
        _wake.Add(this);
    }

    /// <summary>How many calls are running on the VM thread now (nested ones count); any thread may read it.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Queues a call and wakes the VM thread; false once the queue is closed (the call is not queued).</summary>
    public bool TryPost(PostedCall call)
    {
        lock (_calls)
        {
            if (_closed)
            {
                return false;
            }

            _calls.Enqueue(call);
            _postedSinceIdle = true;
            Monitor.PulseAll(_calls);
        }

        _wake.Wake();
        return true;
    }

    /// <inheritdoc/>
    public void Attend()
    {
        if (_wake.AttendingWait)
        {
            Serve();
        }
    }

    /// <summary>On the VM thread: runs every queued call, in order, until none is left or the queue is closed.</summary>
    public void Serve()
    {
        while (TryTake(out var call))
        {
            Interlocked.Increment(ref _running);
            try
            {
                call.Run(_stop);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    /// <summary>
    /// On the VM thread, idle: waits until a call is posted, the queue is closed or the timeout
    /// passes. A post between the previous <see cref="Serve"/> and this wait is not missed:
    /// <see cref="BeginIdle"/> clears the signal before serving, and a post sets it after queueing.
    /// </summary>
    public void WaitForPost(TimeSpan timeout)
    {
        var infinite = timeout == Timeout.InfiniteTimeSpan;
        var deadline = DateTime.UtcNow + (infinite ? TimeSpan.Zero : timeout);
        lock (_calls)
        {
            while (!_postedSinceIdle && !_closed)
            {
                if (infinite)
                {
                    Monitor.Wait(_calls);
                }
                else if (deadline - DateTime.UtcNow is var left && (left <= TimeSpan.Zero || !Monitor.Wait(_calls, left)))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Ends the VM thread's idle wait without a call: something else it serves (pumped timers) needs it.</summary>
    public void Nudge()
    {
        lock (_calls)
        {
            _postedSinceIdle = true;
            Monitor.PulseAll(_calls);
        }
    }

    /// <summary>On the VM thread, before it serves and then waits idle (<see cref="WaitForPost"/>).</summary>
    public void BeginIdle()
    {
        lock (_calls)
        {
            _postedSinceIdle = false;
        }
    }

    /// <summary>Stops taking calls (any thread may close): returns those never started, for the caller to fail.</summary>
    public IReadOnlyList<PostedCall> Close()
    {
        PostedCall[] left;
        lock (_calls)
        {
            _closed = true;
            left = [.. _calls];
            _calls.Clear();
            Monitor.PulseAll(_calls);
        }

        return left;
    }

    /// <summary>On the VM thread, when it ends: no longer attends to wakes.</summary>
    public void Detach() => _wake.Remove(this);

    private bool TryTake(out PostedCall call)
    {
        lock (_calls)
        {
            if (!_closed && _calls.TryDequeue(out call!))
            {
                return true;
            }

            call = null!;
            return false;
        }
    }
}
