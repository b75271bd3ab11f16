using System.Diagnostics;

namespace HlSharp.Timers;

/// <summary>
/// Waits, holding the scheduler's lock as <see cref="Monitor.Wait(object)"/> does, until a clock
/// timestamp comes, a real-time limit passes, or the scheduler pulses the lock because something
/// changed. The two clocks need two ways: the system clock is real time, waited for precisely;
/// any other <see cref="TimeProvider"/> (a fake clock) moves only when its owner moves it, which
/// only its own timers observe.
/// </summary>
internal abstract class DueWaiter : IDisposable
{
    /// <summary>No due time: wait for a change (or the real-time limit).</summary>
    public const long Never = long.MaxValue;

    public static DueWaiter For(TimeProvider clock, object gate, Func<int> changes) =>
        ReferenceEquals(clock, TimeProvider.System) ? new SystemClockWaiter(gate, changes) : new ProviderTimerWaiter(clock, gate);

    /// <summary>
    /// Waits with the scheduler's lock held until the clock reaches <paramref name="due"/>
    /// (or <see cref="Never"/>), the real timestamp <paramref name="realDeadline"/> passes
    /// (<see cref="Stopwatch.GetTimestamp"/>; <see cref="Never"/> for none), or a pulse; it may
    /// also return early, so callers look again at what they wait for.
    /// </summary>
    public abstract void Wait(long due, long realDeadline);

    public abstract void Dispose();

    /// <summary>The longest timed wait <see cref="Monitor.Wait(object, TimeSpan)"/> takes (int.MaxValue ms, about 24.8 days); a longer one wakes then and looks again.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>
    /// The Stopwatch deadline <paramref name="timeout"/> from now: <see cref="Never"/> for
    /// <see cref="Timeout.InfiniteTimeSpan"/> and for spans too long to be one (TimeSpan.MaxValue
    /// is beyond what a Stopwatch timestamp counts, and would wrap into the past).
    /// </summary>
    public static long RealDeadline(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return Never;
        }

        var now = Stopwatch.GetTimestamp();
        var deadline = now + ((Int128)timeout.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond);
        return deadline >= Never ? Never : (long)deadline;
    }

    /// <summary>The real time left until a Stopwatch deadline, as a wait timeout: infinite for <see cref="Never"/>, zero once passed, at most what a timed wait takes.</summary>
    public static TimeSpan RealLeft(long realDeadline)
    {
        if (realDeadline == Never)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), realDeadline);
        return left <= TimeSpan.Zero ? TimeSpan.Zero : left > LongestWait ? LongestWait : left;
    }
}

/// <summary>
/// The system clock, waited for to a fraction of a millisecond: .NET's timed waits count whole
/// milliseconds and oversleep by about 0.1 ms on Linux, so the lock is waited on until 0.25 to
/// 1.25 ms before the due time, and the rest is spent with the lock released and an eye on the
/// scheduler's change count: in short precise sleeps (<see cref="PreciseSleep"/>) until
/// <see cref="SpinWindow"/> before the due time, then yielding the processor. Where precise
/// sleeps are not available, the whole rest is spent yielding: the waiting thread then stays
/// runnable for up to 1.25 ms before each due time, which costs a core at 1 ms intervals and,
/// on a busy machine, makes the scheduler of the operating system favour it less.
/// </summary>
internal sealed class SystemClockWaiter(object gate, Func<int> changes) : DueWaiter
{
    /// <summary>How much before the due time the lock wait ends: the wait's oversleep, with a margin.</summary>
    private static readonly long CoarseMargin = Stopwatch.Frequency / 4000;

    /// <summary>How much before the due time the precise sleeps end: their oversleep (the timer slack, 50 µs), with a margin.</summary>
    private static readonly long SpinWindow = Stopwatch.Frequency / 10_000;

    /// <summary>The longest precise sleep: a change (an earlier timer, a stop) is seen at most this late.</summary>
    private static readonly long SleepSlice = Stopwatch.Frequency / 5000;

    public override void Wait(long due, long realDeadline)
    {
        var end = Math.Min(due, realDeadline);
        var now = Stopwatch.GetTimestamp();
        if (end == Never)
        {
            Monitor.Wait(gate);
            return;
        }

        if (end <= now)
        {
            return;
        }

        var coarse = (end - now - CoarseMargin) * 1000 / Stopwatch.Frequency;
        if (coarse >= 1)
        {
            Monitor.Wait(gate, (int)Math.Min(coarse, int.MaxValue));
            return;
        }

        var seen = changes();
        Monitor.Exit(gate);
        try
        {
            while ((now = Stopwatch.GetTimestamp()) < end && changes() == seen)
            {
                if (end - now <= SpinWindow || !PreciseSleep.TrySleep(Math.Min(end - now - SpinWindow, SleepSlice)))
                {
                    Thread.Yield();
                }
            }
        }
        finally
        {
            Monitor.Enter(gate);
        }
    }

    public override void Dispose()
    {
    }
}

/// <summary>
/// A clock that is not the system's, observed through one timer of its own, re-armed for each
/// wait: a fake clock fires it, and so wakes the waiter, when a test moves time past the due
/// time. The real-time limit is kept by the lock wait.
/// </summary>
internal sealed class ProviderTimerWaiter : DueWaiter
{
    private readonly TimeProvider _clock;
    private readonly object _gate;
    private readonly ITimer _timer;

    public ProviderTimerWaiter(TimeProvider clock, object gate)
    {
        _clock = clock;
        _gate = gate;
        _timer = clock.CreateTimer(static state => ((ProviderTimerWaiter)state!).Fired(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public override void Wait(long due, long realDeadline)
    {
        if (due != Never)
        {
            var now = _clock.GetTimestamp();
            if (due <= now)
            {
                return;
            }

            _timer.Change(ClockSpan(due - now), Timeout.InfiniteTimeSpan);
            // Time may have moved between reading it and arming the timer, which then counts from the later time.
            if (_clock.GetTimestamp() >= due)
            {
                return;
            }
        }

        var left = RealLeft(realDeadline);
        if (left == Timeout.InfiniteTimeSpan)
        {
            Monitor.Wait(_gate);
        }
        else if (left > TimeSpan.Zero)
        {
            Monitor.Wait(_gate, left);
        }
    }

    public override void Dispose() => _timer.Dispose();

    /// <summary>
    /// The longest wait a timer is armed for: ITimer.Change refuses more than uint.MaxValue - 1
    /// milliseconds (about 49.7 days; FakeTimeProvider's and the system's timers alike), and would
    /// throw on the dispatcher thread. A longer wait wakes at this limit and is armed again.
    /// </summary>
    private static readonly TimeSpan LongestArm = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Timestamp ticks as a span, rounded up so that the timer never fires before the due time, at most <see cref="LongestArm"/>.</summary>
    private TimeSpan ClockSpan(long ticks)
    {
        var frequency = _clock.TimestampFrequency;
        var spanTicks = (long)Int128.Min(((Int128)ticks * TimeSpan.TicksPerSecond + frequency - 1) / frequency, LongestArm.Ticks);
        return TimeSpan.FromTicks(Math.Max(spanTicks, 1));
    }

    private void Fired()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }
}
