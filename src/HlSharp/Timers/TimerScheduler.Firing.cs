using System.Diagnostics;

namespace HlSharp.Timers;

/// <summary>How due timers are taken and their callbacks run: by the dispatcher thread, by pool threads, or by a pump.</summary>
internal sealed partial class TimerScheduler
{
    /// <summary>The scheduler whose callback runs on this thread now, if any (a pump must not run inside one, StopAll must not wait for its caller).</summary>
    [ThreadStatic]
    private static TimerScheduler? t_runningOn;

    private long _tickets;
    private Thread? _pumping;

    /// <summary>
    /// The dispatcher thread's loop: takes due timers one at a time, in due order, and runs each
    /// itself (serialized) or hands it to a pool thread (threaded); idles in pumped mode. Ends
    /// when the scheduler is disposed.
    /// </summary>
    internal void Dispatch()
    {
        lock (_gate)
        {
            while (!_closed)
            {
                if (_mode == TimerMode.Pumped)
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                if (TakeDue(Now, _frame) is not { } entry)
                {
                    _waiter.Wait(_byTime.Peek()?.Due ?? DueWaiter.Never, DueWaiter.Never);
                    continue;
                }

                if (_mode == TimerMode.Serialized)
                {
                    RunOutsideLock(entry);
                }
                else
                {
                    entry.State = TimerState.Dispatched;
                    entry.Ticket = ++_tickets;
                    _threads.Pool.Post(entry, entry.Ticket);
                }
            }
        }
    }

    /// <summary>A pool thread runs a timer the dispatcher handed it, unless it was stopped, restarted or re-queued since.</summary>
    internal void RunDispatched(TimerEntry entry, long ticket)
    {
        lock (_gate)
        {
            if (_closed || entry.State != TimerState.Dispatched || entry.Ticket != ticket)
            {
                return;
            }

            RunOutsideLock(entry);
        }
    }

    /// <summary>
    /// Runs, on the calling thread, the pumped callbacks due now (time and frame timers), one at a
    /// time in due order; when none is due, waits up to <paramref name="timeout"/> (real time) for
    /// one to become due, and runs what is due then. Returns how many ran. Callbacks that come
    /// due while it runs (a repeating timer's next call, a timer a callback adds) wait for the
    /// next pump, so a pump always ends.
    /// </summary>
    public int Pump(TimeSpan timeout) => PumpCore(timeout, onlyWhenPumped: false);

    /// <summary>
    /// What <c>Update</c> and the dedicated VM thread do each frame: in pumped mode, runs the due
    /// callbacks without waiting; in the other modes (checked under the lock, so a mode change on
    /// another thread cannot race it), nothing.
    /// </summary>
    public int PumpIfPumped() => PumpCore(TimeSpan.Zero, onlyWhenPumped: true);

    private int PumpCore(TimeSpan timeout, bool onlyWhenPumped)
    {
        lock (_gate)
        {
            if (onlyWhenPumped && (_closed || _mode != TimerMode.Pumped))
            {
                return 0;
            }

            ThrowIfClosed();
            if (t_runningOn == this)
            {
                throw new InvalidOperationException("Pump (or Update) was called from inside a timer callback; timers are not pumped re-entrantly.");
            }

            if (_mode != TimerMode.Pumped)
            {
                throw new InvalidOperationException($"Pump runs pumped timers, and the timer mode is {_mode}: its callbacks run on timer threads. Set Mode to Pumped first.");
            }

            if (_pumping is { } other)
            {
                throw new InvalidOperationException(
                    $"Timers are being pumped on managed thread {other.ManagedThreadId} already; pumped callbacks run one at a time, on one thread.");
            }

            _pumping = Thread.CurrentThread;
            try
            {
                return PumpLocked(timeout);
            }
            finally
            {
                _pumping = null;
            }
        }
    }

    private int PumpLocked(TimeSpan timeout)
    {
        var realDeadline = DueWaiter.RealDeadline(timeout);
        var ran = 0;
        while (true)
        {
            var (now, frame) = (Now, _frame);
            while (!_closed && _mode == TimerMode.Pumped && TakeDue(now, frame) is { } entry)
            {
                RunOutsideLock(entry);
                ran++;
            }

            if (ran > 0 || _closed || _mode != TimerMode.Pumped || Stopwatch.GetTimestamp() >= realDeadline)
            {
                return ran;
            }

            _waiter.Wait(_byTime.Peek()?.Due ?? DueWaiter.Never, realDeadline);
        }
    }

    /// <summary>Takes the timer due first: time timers due by <paramref name="now"/>, then frame timers due by <paramref name="frame"/>.</summary>
    private TimerEntry? TakeDue(long now, long frame)
    {
        var queue = _byTime.Peek() is { } byTime && byTime.Due <= now ? _byTime
            : _byFrame.Peek() is { } byFrame && byFrame.Due <= frame ? _byFrame
            : null;
        if (queue?.Peek() is not { } entry)
        {
            return null;
        }

        queue.Remove(entry);
        return entry;
    }

    /// <summary>
    /// Runs a taken timer's callback with the lock released, then settles what comes next. The
    /// call stands for every due point passed by now: the ones before the latest are missed,
    /// counted, and not called, so a late timer catches up with one call, not a burst.
    /// </summary>
    private void RunOutsideLock(TimerEntry entry)
    {
        var current = entry.Kind.CountsFrames() ? _frame : Now;
        var late = entry.Kind.Repeats() && current > entry.Due ? (current - entry.Due) / entry.Period : 0;
        entry.MissedCount += late;
        entry.FireDue = entry.Due + (late * entry.Period);
        var wasActive = entry.IsActive;
        entry.State = TimerState.Running;
        entry.AfterRun = TimerAfterRun.Schedule;
        Track(wasActive, entry);
        entry.FireCount++;
        _running++;
        var outcome = TimerOutcome.Failed;
        var previous = t_runningOn;
        t_runningOn = this;
        Monitor.Exit(_gate);
        try
        {
            outcome = _host.Run(entry);
        }
        finally
        {
            t_runningOn = previous;
            Monitor.Enter(_gate);
            _running--;
            Settle(entry, outcome);
        }
    }

    private void Settle(TimerEntry entry, TimerOutcome outcome)
    {
        switch (entry.AfterRun)
        {
            case TimerAfterRun.Restart when !_closed && outcome != TimerOutcome.Failed:
                Schedule(entry, entry.RestartDue);
                break;
            case TimerAfterRun.Schedule when !_closed && outcome == TimerOutcome.Continue && entry.Kind.Repeats():
                // From the due point this call stood for, not from now: repeats do not drift.
                Schedule(entry, SaturatingAdd(entry.FireDue, entry.Period));
                break;
            default:
                MakeIdle(entry);
                break;
        }

        Changed();
    }
}
