using HlSharp.Timers;

namespace HlSharp;

/// <summary>
/// A VM's timers (<see cref="HlVm.Timers"/>): once after a delay, every interval, once after a
/// number of frames, every number of frames. Callbacks are C# delegates here and Haxe closures
/// from Haxe code (the <c>hlsharp.Timers</c> class of the <c>hlsharp</c> library); both kinds
/// share one scheduler, one <see cref="Mode"/> and one id space. Times are on the VM's clock
/// (<see cref="HlVmOptions.Clock"/>); frames are counted by <see cref="HlVm.Update"/> and
/// <see cref="AdvanceFrame"/>. Any thread may use it, callbacks included: a callback may add,
/// stop and restart timers, its own too. A callback that throws is reported through
/// <see cref="HlVm.UnhandledException"/> and its timer stops; the others go on.
/// </summary>
public sealed class HlTimers
{
    private readonly TimerScheduler _scheduler;

    internal HlTimers(TimerScheduler scheduler) => _scheduler = scheduler;

    /// <summary>How long <see cref="StopAll()"/> waits for the callbacks running on other threads: 5 seconds.</summary>
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How due callbacks run: <see cref="HlTimerMode.Serialized"/> (the default),
    /// <see cref="HlTimerMode.Threaded"/> or <see cref="HlTimerMode.Pumped"/>. It may change
    /// while timers wait (they keep their due times), but not while a callback runs.
    /// </summary>
    /// <exception cref="InvalidOperationException">A timer callback is running.</exception>
    /// <exception cref="ObjectDisposedException">The VM was disposed.</exception>
    public HlTimerMode Mode
    {
        get => (HlTimerMode)_scheduler.Mode;
        set => _scheduler.Mode = (TimerMode)value;
    }

    /// <summary>How many timers will fire again (waiting, or running and neither stopped nor one-shot).</summary>
    public int ActiveCount => _scheduler.ActiveCount;

    /// <summary>
    /// Whether the timers have nothing left to do: none will fire again (<see cref="ActiveCount"/>
    /// is 0) and no callback is running (a one-shot whose callback runs is no longer active, but
    /// not done either). Read in one step: a callback that adds a timer as it returns keeps it false.
    /// </summary>
    public bool IsIdle => _scheduler.IsIdle;

    /// <summary>The frames counted so far by <see cref="HlVm.Update"/> and <see cref="AdvanceFrame"/>.</summary>
    public long Frame => _scheduler.Frame;

    /// <summary>
    /// In <see cref="HlTimerMode.Pumped"/> mode, how long until a callback is due: zero when one
    /// is, null when none waits for a time or frame, or in the other modes.
    /// </summary>
    public TimeSpan? TimeUntilNextDue => _scheduler.TimeUntilNextPumped;

    /// <summary>Calls <paramref name="callback"/> once, <paramref name="delay"/> from now (fractions of a millisecond count).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The delay is zero, negative or <see cref="TimeSpan.MaxValue"/>.</exception>
    /// <exception cref="ArgumentNullException">The callback is null.</exception>
    /// <exception cref="ObjectDisposedException">The VM was disposed.</exception>
    public HlTimer After(TimeSpan delay, Action callback) => AddTimed(TimerKind.After, delay, nameof(delay), new HostTimerHandler(NotNull(callback)));

    /// <summary>
    /// Calls <paramref name="callback"/> every <paramref name="interval"/>, first one interval
    /// from now. Due times do not drift (each is the previous plus the interval); when a call
    /// comes late by more than an interval, the due points passed are coalesced into it
    /// (<see cref="HlTimer.MissedCount"/>). A callback never overlaps itself.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is zero, negative or <see cref="TimeSpan.MaxValue"/>.</exception>
    /// <exception cref="ArgumentNullException">The callback is null.</exception>
    /// <exception cref="ObjectDisposedException">The VM was disposed.</exception>
    public HlTimer Every(TimeSpan interval, Action callback) => AddTimed(TimerKind.Every, interval, nameof(interval), new HostTimerHandler(NotNull(callback)));

    /// <summary>As <see cref="Every(TimeSpan, Action)"/>, and the timer stops when <paramref name="callback"/> returns false.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is zero, negative or <see cref="TimeSpan.MaxValue"/>.</exception>
    /// <exception cref="ArgumentNullException">The callback is null.</exception>
    /// <exception cref="ObjectDisposedException">The VM was disposed.</exception>
    public HlTimer Every(TimeSpan interval, Func<bool> callback) => AddTimed(TimerKind.Every, interval, nameof(interval), new HostTimerHandler(NotNull(callback)));

    /// <summary>Calls <paramref name="callback"/> once, at the <paramref name="frames"/>-th frame from now.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frames"/> is below 1.</exception>
    /// <exception cref="ArgumentNullException">The callback is null.</exception>
    /// <exception cref="ObjectDisposedException">The VM was disposed.</exception>
    public HlTimer AfterFrames(int frames, Action callback) => AddFrames(TimerKind.AfterFrames, frames, new HostTimerHandler(NotNull(callback)));

    /// <summary>Calls <paramref name="callback"/> every <paramref name="frames"/> frames (1: every frame).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frames"/> is below 1.</exception>
    /// <exception cref="ArgumentNullException">The callback is null.</exception>
    /// <exception cref="ObjectDisposedException">The VM was disposed.</exception>
    public HlTimer EveryFrames(int frames, Action callback) => AddFrames(TimerKind.EveryFrames, frames, new HostTimerHandler(NotNull(callback)));

    /// <summary>As <see cref="EveryFrames(int, Action)"/>, and the timer stops when <paramref name="callback"/> returns false.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frames"/> is below 1.</exception>
    /// <exception cref="ArgumentNullException">The callback is null.</exception>
    /// <exception cref="ObjectDisposedException">The VM was disposed.</exception>
    public HlTimer EveryFrames(int frames, Func<bool> callback) => AddFrames(TimerKind.EveryFrames, frames, new HostTimerHandler(NotNull(callback)));

    /// <summary>Stops the timer with this id (one added here or by Haxe code); false when no live timer has it, or it was not going to fire again.</summary>
    public bool Stop(int id) => _scheduler.Find(id) is { } entry && _scheduler.Stop(entry);

    /// <summary>Stops every timer whose callback is <paramref name="handler"/> (equal delegates: same method, same target); returns how many.</summary>
    /// <exception cref="ArgumentNullException">The handler is null.</exception>
    public int Stop(Delegate handler) => _scheduler.StopMatching(NotNull(handler));

    /// <summary>
    /// Stops every timer, and waits up to <see cref="DefaultStopTimeout"/> for the callbacks
    /// running on other threads to return; from then on no callback starts (until timers are
    /// added again). False when one was still running at the timeout (it finishes; its timer
    /// does not fire again). Called from a callback, it does not wait for that callback, nor for
    /// other callbacks calling it at the same time (they would wait for each other).
    /// </summary>
    public bool StopAll() => StopAll(DefaultStopTimeout);

    /// <summary>As <see cref="StopAll()"/>, waiting up to <paramref name="timeout"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative.</exception>
    public bool StopAll(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        return _scheduler.StopAll(timeout);
    }

    /// <summary>
    /// Counts a frame, for hosts that do not call <see cref="HlVm.Update"/> (which counts one
    /// itself): the frame timers due at it fire (in <see cref="HlTimerMode.Pumped"/> mode at the next pump).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The VM was disposed.</exception>
    public void AdvanceFrame() => _scheduler.AdvanceFrame();

    /// <summary>
    /// In <see cref="HlTimerMode.Pumped"/> mode, runs the due callbacks on the calling thread, one
    /// at a time in due order; when none is due, waits up to <paramref name="timeout"/> (real
    /// time; <see cref="Timeout.InfiniteTimeSpan"/> for no limit) for one to come due, and runs
    /// what is due then. Callbacks that come due during the pump wait for the next one. Returns
    /// how many ran. <see cref="HlVm.Update"/> pumps without waiting.
    /// </summary>
    /// <exception cref="InvalidOperationException">The mode is not pumped, another thread is pumping, or this is called from a timer callback.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative (other than infinite).</exception>
    /// <exception cref="ObjectDisposedException">The VM was disposed.</exception>
    public int Pump(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The pump's timeout must be zero or more, or Timeout.InfiniteTimeSpan.");
        }

        return _scheduler.Pump(timeout);
    }

    /// <summary>
    /// One line per live timer, by id, for a host to log: id, kind and period, when it is due
    /// (time left, or frame), the handler's name, and how many times it fired (and missed).
    /// </summary>
    public string Dump() => _scheduler.Dump();

    /// <summary>What <see cref="HlVm.Update"/> does for the timers each frame: counts the frame, then runs the pumped callbacks due.</summary>
    internal void OnUpdate()
    {
        _scheduler.AdvanceFrame();
        _scheduler.PumpIfPumped();
    }

    /// <summary>The dedicated VM thread pumps between frames too: without an event loop to run, it calls no <see cref="HlVm.Update"/>.</summary>
    internal int PumpIfPumped() => _scheduler.PumpIfPumped();

    /// <summary>Lets the dedicated VM thread hear of pumped work that may have come due sooner (see <see cref="TimerScheduler.PumpedWorkChanged"/>).</summary>
    internal Action? PumpedWorkChanged
    {
        set => _scheduler.PumpedWorkChanged = value;
    }

    private HlTimer AddTimed(TimerKind kind, TimeSpan period, string parameter, TimerHandler callback)
    {
        TimerArguments.CheckInterval(period, parameter);
        return ViewOf(_scheduler.Add(kind, period, 0, callback));
    }

    private HlTimer AddFrames(TimerKind kind, int frames, TimerHandler callback)
    {
        TimerArguments.CheckFrames(frames, nameof(frames));
        return ViewOf(_scheduler.Add(kind, TimeSpan.Zero, frames, callback));
    }

    private HlTimer ViewOf(TimerEntry entry) => (HlTimer)(entry.HostView ??= new HlTimer(_scheduler, entry));

    private static T NotNull<T>(T value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return value;
    }
}
