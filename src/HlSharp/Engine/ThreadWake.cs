namespace HlSharp.Engine;

/// <summary>
/// Something that needs a Haxe thread's attention at its next safe point or while it waits in a
/// blocking native: a host call being cancelled, calls posted to a dedicated VM thread, a pause
/// for reload. It runs on that thread; it may throw (the exception unwinds the thread's Haxe code,
/// as a cancellation does) or do work there (serve posted calls) and return.
/// </summary>
internal interface IThreadAttention
{
    /// <summary>Runs on the thread the attention was asked of.</summary>
    void Attend();
}

/// <summary>
/// One thread's way to be interrupted while it runs one VM's Haxe code. <see cref="Wake"/> wakes
/// its blocking waits (the token they wait on is cancelled); <see cref="Interrupt"/> also makes
/// every safe-point poll of the VM take its slow path until this thread attended, so a thread in
/// a loop that calls nothing notices too. Either way the thread runs the attentions registered
/// here (<see cref="Add"/>) on itself, in order, and then goes on (or unwinds, if one throws).
/// </summary>
internal sealed class ThreadWake : IDisposable
{
    private readonly VmStop _stop;
    private readonly object _gate = new();
    private readonly List<IThreadAttention> _attentions = [];
    private CancellationTokenSource _source;
    private int _pollsRaised;

    public ThreadWake(VmStop stop)
    {
        _stop = stop;
        _source = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
    }

    /// <summary>The thread that owns this record.</summary>
    public Thread Thread { get; } = Thread.CurrentThread;

    /// <summary>What this thread's blocking waits observe: cancelled by a stop request or by <see cref="Wake"/>.</summary>
    public CancellationToken Token
    {
        get
        {
            lock (_gate)
            {
                return _source.Token;
            }
        }
    }

    /// <summary>Registers something this thread attends to whenever it is woken or interrupted (any thread may add).</summary>
    public void Add(IThreadAttention attention)
    {
        lock (_gate)
        {
            _attentions.Add(attention);
        }
    }

    /// <summary>
    /// Removes what <see cref="Add"/> registered. When nothing is left to attend to, an interrupt
    /// the thread never attended (a call cancelled just as it returned) is withdrawn: left
    /// raised, it would send every poll of every thread of the VM down the slow path until this
    /// thread next ran Haxe code.
    /// </summary>
    public void Remove(IThreadAttention attention)
    {
        lock (_gate)
        {
            _attentions.Remove(attention);
            if (_attentions.Count == 0)
            {
                WithdrawInterrupt();
            }
        }
    }

    /// <summary>Wakes this thread's blocking wait, if it is in one (any thread may call).</summary>
    public void Wake()
    {
        lock (_gate)
        {
            _source.Cancel();
        }
    }

    /// <summary>Wakes this thread and makes it stop at its next safe point too (any thread may call).</summary>
    public void Interrupt()
    {
        lock (_gate)
        {
            if (_pollsRaised++ == 0)
            {
                _stop.RaiseAttention();
            }

            _source.Cancel();
        }
    }

    /// <summary>
    /// True while an attention runs because a blocking wait of this thread was woken
    /// (<see cref="VmStop.Block"/>), false while it runs at a safe-point poll in running code.
    /// Work that may only interleave with Haxe code at its waits (calls posted to a dedicated VM
    /// thread) checks it; read it at the start of <see cref="IThreadAttention.Attend"/>.
    /// </summary>
    public bool AttendingWait { get; private set; }

    /// <summary>
    /// On this thread, at a safe point or when a blocking wait was woken (<paramref name="inWait"/>):
    /// throws if the VM is stopping, then runs the registered attentions. Cheap when nothing is pending.
    /// </summary>
    public void Attend(bool inWait = false)
    {
        _stop.ThrowIfRequested();
        IThreadAttention[] attentions;
        lock (_gate)
        {
            WithdrawInterrupt();

            if (_source.IsCancellationRequested)
            {
                _source.Dispose();
                _source = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            }

            attentions = _attentions.Count == 0 ? [] : [.. _attentions];
        }

        foreach (var attention in attentions)
        {
            // Set before each: an attention may run Haxe code whose own safe points attend again.
            AttendingWait = inWait;
            attention.Attend();
        }

        // A hot reload's pause is the VM's, not this thread's: it parks every thread but its owner.
        if (_stop.Pause is { } pause)
        {
            AttendingWait = inWait;
            pause.Attend();
        }
    }

    /// <summary>Under the lock: takes back this thread's raised poll attention, if any.</summary>
    private void WithdrawInterrupt()
    {
        if (_pollsRaised > 0)
        {
            _pollsRaised = 0;
            _stop.LowerAttention();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            WithdrawInterrupt();

            _source.Dispose();
        }
    }
}
