namespace HlSharp.Timers;

/// <summary>Where a timer is in its life.</summary>
internal enum TimerState
{
    /// <summary>Waiting in a <see cref="TimerQueue"/> for its due time or frame.</summary>
    Scheduled,

    /// <summary>Due, and handed to a pool thread that has not started its callback yet.</summary>
    Dispatched,

    /// <summary>Its callback is running.</summary>
    Running,

    /// <summary>Stopped, or a one-shot that has fired: it fires again only if restarted.</summary>
    Idle,
}

/// <summary>What happens when a running callback returns, when a stop or restart came while it ran.</summary>
internal enum TimerAfterRun
{
    /// <summary>What the schedule says: a repeating timer goes on unless its callback asked to stop.</summary>
    Schedule,

    /// <summary>It was stopped while it ran: it does not fire again.</summary>
    Stop,

    /// <summary>It was restarted while it ran: it goes on from the restart's due time.</summary>
    Restart,
}

/// <summary>
/// One timer: what it calls and when. Its mutable fields belong to the <see cref="TimerScheduler"/>
/// and are read and written only under its lock.
/// </summary>
internal sealed class TimerEntry
{
    public TimerEntry(int id, TimerKind kind, long period, TimeSpan interval, TimerHandler callback)
    {
        Id = id;
        Kind = kind;
        Period = period;
        Interval = interval;
        Callback = callback;
    }

    public int Id { get; }

    public TimerKind Kind { get; }

    /// <summary>The delay or interval in the clock's timestamp ticks, or the number of frames.</summary>
    public long Period { get; }

    /// <summary>The delay or interval as given (zero for frame timers).</summary>
    public TimeSpan Interval { get; }

    public TimerHandler Callback { get; }

    /// <summary>The public view of this timer (the façade's <c>HlTimer</c>), made once.</summary>
    public object? HostView { get; set; }

    public TimerState State { get; set; } = TimerState.Idle;

    /// <summary>When it is due: a clock timestamp, or a frame number.</summary>
    public long Due { get; set; }

    /// <summary>Orders timers due at the same moment: the earlier scheduled first.</summary>
    public long Sequence { get; set; }

    /// <summary>Its place in the queue that holds it, or -1.</summary>
    public int QueueIndex { get; set; } = -1;

    /// <summary>The due point the running (or dispatched) call stands for, after coalescing the missed ones.</summary>
    public long FireDue { get; set; }

    public TimerAfterRun AfterRun { get; set; }

    /// <summary>Which hand-over to a pool thread is the current one: a stale one (the timer was re-queued and handed over again) does not run it.</summary>
    public long Ticket { get; set; }

    /// <summary>Where a restart during the run puts the next due point.</summary>
    public long RestartDue { get; set; }

    /// <summary>How many times its callback has started.</summary>
    public long FireCount { get; set; }

    /// <summary>How many due points of a repeating timer passed without a call of their own (coalesced into a later call).</summary>
    public long MissedCount { get; set; }

    /// <summary>Whether it will fire again: scheduled, or running and neither stopped nor finished.</summary>
    public bool IsActive => State is TimerState.Scheduled or TimerState.Dispatched
        || (State == TimerState.Running && (AfterRun == TimerAfterRun.Restart || (AfterRun == TimerAfterRun.Schedule && Kind.Repeats())));
}
