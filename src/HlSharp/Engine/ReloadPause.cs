namespace HlSharp.Engine;

/// <summary>
/// Parks every Haxe thread that attends to it (at its next safe point, in a blocking wait, at the
/// host gate, leaving a <c>Blocking()</c> region) until <see cref="Release"/>, so a reload is
/// published while no frame runs (issue 11, docs/HOT-RELOAD.md section 7). The thread that made
/// it never parks: it is the one applying the reload. Nothing to dispose: a thread that read the
/// pause just before it ended may attend to it after, and then returns at once.
/// </summary>
internal sealed class ReloadPause : IThreadAttention
{
    private readonly Thread _owner = Thread.CurrentThread;
    private readonly HashSet<Thread> _parked = [];
    private readonly object _lock = new();
    private bool _released;

    /// <summary>Whether the calling thread is the one applying the reload.</summary>
    public bool IsOwner => Thread.CurrentThread == _owner;

    public void Attend()
    {
        var thread = Thread.CurrentThread;
        if (thread == _owner)
        {
            return;
        }

        lock (_lock)
        {
            if (_released)
            {
                return;
            }

            _parked.Add(thread);
            // Released in the reloader's finally, whatever happens to the reload.
            while (!_released)
            {
                Monitor.Wait(_lock);
            }

            _parked.Remove(thread);
        }
    }

    public bool IsParked(Thread thread)
    {
        lock (_lock)
        {
            return _parked.Contains(thread);
        }
    }

    /// <summary>Lets every parked thread go on.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _released = true;
            Monitor.PulseAll(_lock);
        }
    }
}
