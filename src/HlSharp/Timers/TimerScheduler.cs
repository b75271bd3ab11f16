using System.Globalization;
using System.Text;
using HlSharp.Threading;

namespace HlSharp.Timers;

/// <summary>
/// One VM's timers: after a delay, every interval, after a number of frames, every number of
/// frames; fired in one of three <see cref="TimerMode"/>s. Due times are timestamps of the VM's
/// clock (monotonic); a repeating timer's next due time is its previous one plus the interval,
/// so it does not drift, and when a call comes late (the callback overran, or the clock jumped)
/// the due points that passed meanwhile are coalesced into that one call and counted as missed.
/// Everything here is guarded by one lock; callbacks always run outside it.
/// </summary>
internal sealed partial class TimerScheduler : IDisposable
{
    private readonly object _gate = new();
    private readonly TimeProvider _clock;
    private readonly ITimerHost _host;
    private readonly TimerQueue _byTime = new();
    private readonly TimerQueue _byFrame = new();

    /// <summary>Every timer that is not idle (scheduled, dispatched or running), by id.</summary>
    private readonly Dictionary<int, TimerEntry> _live = [];
    private readonly DueWaiter _waiter;
    private readonly TimerThreads _threads;
    private TimerMode _mode = TimerMode.Serialized;
    private long _frame;
    private long _sequence;
    private int _lastId;
    private int _running;

    /// <summary>How many timers <see cref="TimerEntry.IsActive"/> says are active, kept as their state changes (<see cref="Track"/>).</summary>
    private int _activeCount;

    /// <summary>How many of the running callbacks are inside <see cref="StopAll"/>, waiting for the others.</summary>
    private int _stoppingCallbacks;
    private int _changes;
    private bool _closed;

    public TimerScheduler(TimeProvider clock, ThreadRegistry threads, ITimerHost host, int threadStackSize)
    {
        _clock = clock;
        _host = host;
        _waiter = DueWaiter.For(clock, _gate, () => Volatile.Read(ref _changes));
        _threads = new TimerThreads(this, threads, threadStackSize);
    }

    /// <summary>How due callbacks run. Changing it while a callback runs is refused: a mode change must not cut a callback in two worlds.</summary>
    public TimerMode Mode
    {
        get
        {
            lock (_gate)
            {
                return _mode;
            }
        }

        set
        {
            lock (_gate)
            {
                ThrowIfClosed();
                if (_running > 0)
                {
                    throw new InvalidOperationException(
                        $"The timer mode cannot change while a timer callback runs ({_running} running now, {RunningHere()}); change it between callbacks.");
                }

                if (value == _mode)
                {
                    return;
                }

                // Timers handed to pool threads that have not started keep their due times and wait again, under the new mode.
                foreach (var entry in _live.Values.Where(e => e.State == TimerState.Dispatched).ToList())
                {
                    Schedule(entry, entry.Due);
                }

                _mode = value;
                ChangedSchedule();
                StartThreadsIfNeeded();
            }
        }
    }

    /// <summary>The number of frames counted so far (<see cref="AdvanceFrame"/>).</summary>
    public long Frame
    {
        get
        {
            lock (_gate)
            {
                return _frame;
            }
        }
    }

    /// <summary>How many timers will fire again: scheduled ones, and running ones neither stopped nor finished.</summary>
    public int ActiveCount
    {
        get
        {
            lock (_gate)
            {
                return _activeCount;
            }
        }
    }

    /// <summary>Whether nothing is left to do: no timer will fire again and no callback runs (read in one step, so a callback that adds a timer as it returns is never missed).</summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _activeCount == 0 && _running == 0;
            }
        }
    }

    /// <summary>The clock's current timestamp.</summary>
    private long Now => _clock.GetTimestamp();

    /// <summary>Adds a timer; it counts from now (or from the current frame).</summary>
    public TimerEntry Add(TimerKind kind, TimeSpan interval, int frames, TimerHandler callback)
    {
        lock (_gate)
        {
            ThrowIfClosed();
            var period = kind.CountsFrames() ? frames : ClockTicks(interval);
            // Ids are never reused while a timer holds one: a stop by a stale id must not stop a newer timer.
            do
            {
                _lastId = _lastId == int.MaxValue ? 1 : _lastId + 1;
            }
            while (_live.ContainsKey(_lastId));

            var entry = new TimerEntry(_lastId, kind, period, kind.CountsFrames() ? TimeSpan.Zero : interval, callback);
            _live.Add(entry.Id, entry);
            Schedule(entry, FirstDue(entry));
            ChangedSchedule();
            StartThreadsIfNeeded();
            return entry;
        }
    }

    /// <summary>The live timer with an id, or null.</summary>
    public TimerEntry? Find(int id)
    {
        lock (_gate)
        {
            return _live.GetValueOrDefault(id);
        }
    }

    /// <summary>
    /// Stops a timer: a scheduled one does not fire; a running one finishes its call and does not
    /// fire again. False when it was not going to fire again anyway (stopped, finished, or a one-shot now running).
    /// </summary>
    public bool Stop(TimerEntry entry)
    {
        lock (_gate)
        {
            return StopLocked(entry);
        }
    }

    /// <summary>Stops every timer whose callback is <paramref name="handler"/>; returns how many.</summary>
    public int StopMatching(object handler)
    {
        lock (_gate)
        {
            return _live.Values.Where(e => e.Callback.Matches(handler)).ToList().Count(StopLocked);
        }
    }

    /// <summary>
    /// Stops every timer, then waits up to <paramref name="timeout"/> for the callbacks running on
    /// other threads to return (one running on the calling thread is the caller itself). From its
    /// return on no callback starts. False when a callback was still running at the timeout.
    /// </summary>
    public bool StopAll(TimeSpan timeout)
    {
        var deadline = DueWaiter.RealDeadline(timeout);
        lock (_gate)
        {
            foreach (var entry in _live.Values.ToList())
            {
                StopLocked(entry);
            }

            // A callback waits for the others, not for itself, nor for other callbacks waiting here
            // too: two threaded callbacks stopping everything at once would wait for each other.
            var fromCallback = t_runningOn == this;
            if (fromCallback)
            {
                _stoppingCallbacks++;
                Changed();
            }

            try
            {
                while (_running - (fromCallback ? _stoppingCallbacks : 0) > 0)
                {
                    var left = DueWaiter.RealLeft(deadline);
                    if (left == TimeSpan.Zero)
                    {
                        return false;
                    }

                    Monitor.Wait(_gate, left);
                }

                return true;
            }
            finally
            {
                if (fromCallback)
                {
                    _stoppingCallbacks--;
                }
            }
        }
    }

    /// <summary>Makes a timer fire a whole delay (or interval, or frame count) from now, whatever it was doing; a running one does after its call.</summary>
    public void Restart(TimerEntry entry)
    {
        lock (_gate)
        {
            ThrowIfClosed();
            var due = FirstDue(entry);
            switch (entry.State)
            {
                case TimerState.Scheduled:
                    QueueOf(entry).Remove(entry);
                    Schedule(entry, due);
                    break;
                case TimerState.Dispatched:
                    Schedule(entry, due);
                    break;
                case TimerState.Running:
                    var wasActive = entry.IsActive;
                    entry.AfterRun = TimerAfterRun.Restart;
                    entry.RestartDue = due;
                    Track(wasActive, entry);
                    break;
                default:
                    if (_live.TryGetValue(entry.Id, out var holder) && holder != entry)
                    {
                        // Only after 2^31 timers: ids wrapped around, and a newer timer has this one's.
                        throw new InvalidOperationException($"Timer #{entry.Id} cannot restart: its id now belongs to a newer timer (ids wrapped around); add a new timer instead.");
                    }

                    _live[entry.Id] = entry;
                    Schedule(entry, due);
                    break;
            }

            ChangedSchedule();
            StartThreadsIfNeeded();
        }
    }

    /// <summary>Counts a frame: frame timers due at it fire (at the next <see cref="Pump"/> in pumped mode).</summary>
    public void AdvanceFrame()
    {
        lock (_gate)
        {
            ThrowIfClosed();
            _frame++;
            if (_byFrame.Peek() is { } first && first.Due <= _frame)
            {
                ChangedSchedule();
            }
        }
    }

    /// <summary>
    /// In pumped mode, how long until a callback is due: zero when one is, null when no timer
    /// waits for a time or frame (or the mode is not pumped, so pumping has nothing to do).
    /// </summary>
    public TimeSpan? TimeUntilNextPumped
    {
        get
        {
            lock (_gate)
            {
                if (_closed || _mode != TimerMode.Pumped)
                {
                    return null;
                }

                if (_byFrame.Peek() is { } frameTimer && frameTimer.Due <= _frame)
                {
                    return TimeSpan.Zero;
                }

                return _byTime.Peek() is { } timeTimer ? ClockSpan(Math.Max(0, timeTimer.Due - Now)) : null;
            }
        }
    }

    /// <summary>What a timer is doing, read consistently.</summary>
    public (bool IsActive, long FireCount, long MissedCount) Read(TimerEntry entry)
    {
        lock (_gate)
        {
            return (entry.IsActive, entry.FireCount, entry.MissedCount);
        }
    }

    /// <summary>One line per live timer, by id: id, kind and period, when it is next due, the handler, the calls so far.</summary>
    public string Dump()
    {
        lock (_gate)
        {
            var text = new StringBuilder();
            foreach (var entry in _live.Values.OrderBy(e => e.Id))
            {
                text.Append(DescribeLocked(entry)).Append('\n');
            }

            return text.ToString();
        }
    }

    /// <summary>The <see cref="Dump"/> line of one timer (also for idle ones).</summary>
    public string Describe(TimerEntry entry)
    {
        lock (_gate)
        {
            return DescribeLocked(entry);
        }
    }

    /// <summary>Stops every timer and ends the timer threads once their callbacks return: from here on no callback starts.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            foreach (var entry in _byTime.Clear().Concat(_byFrame.Clear()))
            {
                entry.State = TimerState.Idle;
            }

            foreach (var entry in _live.Values)
            {
                // As Stop does: one handed to a timer thread but not started never starts (that
                // thread finds it idle), and one running does not come back. Either way it no longer
                // reads as active once Dispose returns, though a thread may not have looked yet.
                if (entry.State == TimerState.Dispatched)
                {
                    entry.State = TimerState.Idle;
                }
                else
                {
                    entry.AfterRun = TimerAfterRun.Stop;
                }
            }

            _live.Clear();
            _activeCount = 0;
            _waiter.Dispose();
            Changed();
        }

        _threads.Close();
    }

    private bool StopLocked(TimerEntry entry)
    {
        if (!entry.IsActive)
        {
            return false;
        }

        switch (entry.State)
        {
            case TimerState.Scheduled:
                QueueOf(entry).Remove(entry);
                MakeIdle(entry);
                break;
            case TimerState.Dispatched:
                // The pool thread that holds it sees it idle and does not start it.
                MakeIdle(entry);
                break;
            default:
                entry.AfterRun = TimerAfterRun.Stop;
                _activeCount--;
                break;
        }

        Changed();
        return true;
    }

    private void MakeIdle(TimerEntry entry)
    {
        var wasActive = entry.IsActive;
        entry.State = TimerState.Idle;
        Track(wasActive, entry);
        if (_live.GetValueOrDefault(entry.Id) == entry)
        {
            _live.Remove(entry.Id);
        }
    }

    private long FirstDue(TimerEntry entry) => entry.Kind.CountsFrames() ? _frame + entry.Period : SaturatingAdd(Now, entry.Period);

    private void Schedule(TimerEntry entry, long due)
    {
        var wasActive = entry.IsActive;
        entry.Due = due;
        entry.Sequence = ++_sequence;
        entry.State = TimerState.Scheduled;
        entry.AfterRun = TimerAfterRun.Schedule;
        Track(wasActive, entry);
        QueueOf(entry).Add(entry);
    }

    /// <summary>Counts a change of <see cref="TimerEntry.IsActive"/> made by a state change: <see cref="ActiveCount"/> is read every frame by some hosts, so it is kept rather than counted.</summary>
    private void Track(bool wasActive, TimerEntry entry)
    {
        if (entry.IsActive != wasActive)
        {
            _activeCount += wasActive ? -1 : 1;
        }
    }

    private TimerQueue QueueOf(TimerEntry entry) => entry.Kind.CountsFrames() ? _byFrame : _byTime;

    /// <summary>
    /// Called, with the scheduler's lock held, when pumped work may have come due sooner (a timer
    /// added or restarted, a frame counted, the mode changed): a thread that pumps while it waits
    /// for other things (the dedicated VM thread) looks again. It must not call back into the scheduler.
    /// </summary>
    public Action? PumpedWorkChanged { get; set; }

    /// <summary>Wakes whoever waits on the lock (the dispatcher, a pump, a <see cref="StopAll"/>) to look again.</summary>
    private void Changed()
    {
        Volatile.Write(ref _changes, _changes + 1);
        Monitor.PulseAll(_gate);
    }

    /// <summary>As <see cref="Changed"/>, when what changed may make pumped work due sooner.</summary>
    private void ChangedSchedule()
    {
        Changed();
        if (_mode == TimerMode.Pumped)
        {
            PumpedWorkChanged?.Invoke();
        }
    }

    /// <summary>The dispatcher thread exists once a timer waits in a mode that fires on threads.</summary>
    private void StartThreadsIfNeeded()
    {
        if (_mode != TimerMode.Pumped && _live.Count > 0)
        {
            _threads.EnsureDispatcher();
        }
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);

    private string RunningHere() => t_runningOn == this ? "one of them on this thread" : "none on this thread";

    /// <summary>A span as clock timestamp ticks, at least one.</summary>
    private long ClockTicks(TimeSpan span)
    {
        var ticks = (Int128)span.Ticks * _clock.TimestampFrequency / TimeSpan.TicksPerSecond;
        return (long)Int128.Clamp(ticks, 1, long.MaxValue / 4);
    }

    private TimeSpan ClockSpan(long ticks) => TimeSpan.FromTicks((long)Int128.Min((Int128)ticks * TimeSpan.TicksPerSecond / _clock.TimestampFrequency, TimeSpan.MaxValue.Ticks));

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue - 1 : a + b;

    private string DescribeLocked(TimerEntry entry)
    {
        var period = entry.Kind.CountsFrames()
            ? entry.Period == 1 ? "1 frame" : $"{entry.Period} frames"
            : TimerArguments.Describe(entry.Interval);
        var when = entry.State switch
        {
            TimerState.Scheduled when entry.Kind.CountsFrames() => $"due at frame {entry.Due} (now {_frame})",
            TimerState.Scheduled => $"due in {TimerArguments.Describe(ClockSpan(Math.Max(0, entry.Due - Now)))}",
            TimerState.Dispatched => "due now",
            TimerState.Running => entry.AfterRun == TimerAfterRun.Stop ? "running, stopped" : "running",
            _ => entry.Kind.Repeats() || entry.FireCount == 0 ? "stopped" : "finished",
        };
        var missed = entry.MissedCount > 0 ? string.Create(CultureInfo.InvariantCulture, $", missed {entry.MissedCount}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"#{entry.Id} {entry.Kind} {period}: {when}, handler {entry.Callback.Name}, fired {entry.FireCount}{missed}");
    }
}
