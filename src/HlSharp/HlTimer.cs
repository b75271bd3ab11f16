using HlSharp.Timers;

namespace HlSharp;

/// <summary>
/// One timer of <see cref="HlVm.Timers"/>, as <see cref="HlTimers.After"/> and the other adding
/// methods return it. Any thread may use it; its state is read consistently.
/// </summary>
public sealed class HlTimer
{
    private readonly TimerScheduler _scheduler;

    internal HlTimer(TimerScheduler scheduler, TimerEntry entry)
    {
        _scheduler = scheduler;
        Entry = entry;
    }

    internal TimerEntry Entry { get; }

    /// <summary>The timer's id (unique among the VM's live timers; Haxe code sees timers by id too).</summary>
    public int Id => Entry.Id;

    /// <summary>Whether it will fire again: it waits for its time or frame, or runs and is neither stopped nor a one-shot.</summary>
    public bool IsActive => _scheduler.Read(Entry).IsActive;

    /// <summary>How many times its callback has been called.</summary>
    public long FireCount => _scheduler.Read(Entry).FireCount;

    /// <summary>
    /// How many due points of a repeating timer passed without a call of their own: when a call
    /// comes late (the callback overran its interval, the host pumped late, the clock jumped),
    /// the due points passed meanwhile are coalesced into that call and counted here.
    /// </summary>
    public long MissedCount => _scheduler.Read(Entry).MissedCount;

    /// <summary>
    /// Stops the timer: it does not fire again. A callback running now finishes (this may be
    /// called from it). False when it was not going to fire again anyway (stopped already, or a
    /// one-shot that has fired or is firing now).
    /// </summary>
    public bool Stop() => _scheduler.Stop(Entry);

    /// <summary>
    /// Makes the timer fire one whole delay, interval or frame count from now, whether it is
    /// waiting (the wait starts again), running (it goes on after this call, also from its own
    /// callback, also if the callback then returns false) or stopped or finished (it is active again).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The VM was disposed.</exception>
    /// <exception cref="InvalidOperationException">The timer has ended and, ids having wrapped around after 2^31 timers, a newer timer has its id.</exception>
    public void Restart() => _scheduler.Restart(Entry);

    /// <summary>Its line of <see cref="HlTimers.Dump"/>: id, kind and period, when it is due, the handler, the calls so far.</summary>
    public override string ToString() => _scheduler.Describe(Entry);
}
