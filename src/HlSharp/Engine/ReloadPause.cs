namespace HlSharp.Engine;

/// <summary>
/// Parks every Haxe thread that attends to it (at its next safe point, or in a blocking wait the
/// interrupt woke) until <see cref="Release"/>, so a reload is published while no frame runs
/// (issue 11, docs/HOT-RELOAD.md section 7). The thread that made it never parks: it is the one
/// applying the reload.
/// </summary>
internal sealed class ReloadPause : IThreadAttention, IDisposable
{
    private readonly Thread _owner = Thread.CurrentThread;
    private readonly ManualResetEventSlim _released = new(false);
    private readonly HashSet<Thread> _parked = [];
    private readonly Lock _lock = new();

    /// <summary>Whether the calling thread is the one applying the reload.</summary>
    public bool IsOwner => Thread.CurrentThread == _owner;

    public void Attend()
    {
        var thread = Thread.CurrentThread;
        if (thread == _owner || _released.IsSet)
        {
            return;
        }

        lock (_lock)
        {
            _parked.Add(thread);
        }

        try
        {
            // Released in the reloader's finally, whatever happens to the reload.
            _released.Wait();
        }
        finally
        {
            lock (_lock)
            {
                _parked.Remove(thread);
            }
        }
    }

    public bool IsParked(Thread thread)
    {
        lock (_lock)
        {
            return _parked.Contains(thread);
        }
    }

    public void Release() => _released.Set();

    public void Dispose() => _released.Dispose();
}
