using HlSharp.Engine;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// The main thread's <c>sys.thread.EventLoop</c>, driven from the host one frame at a time
/// (<see cref="HlVm.Update"/>). On HashLink every kind of main-thread event ends up in that loop:
/// <c>haxe.Timer</c> is a repeating event of it, <c>haxe.MainLoop</c> re-injects itself into it
/// as a repeating event, and <c>Thread.current().events.run</c> and <c>runInMainThread</c> add
/// one-time events (Haxe 4.2.5's <c>std/haxe/Timer.hx</c>, <c>std/haxe/MainLoop.hx</c>,
/// <c>std/haxe/EntryPoint.hx</c>).
/// <para>
/// One frame is one round of the loop's own <c>__progress</c> (<c>std/sys/thread/EventLoop.hx</c>),
/// done here over the loop's fields rather than by calling compiled code: the public
/// <c>EventLoop.progress</c> is removed by dead-code elimination in every program that does not
/// call it, and <c>loop()</c> repeats rounds until it has to wait, which a <c>MainLoop</c> callback
/// (due on every round) never lets it do. The round is the same as Haxe's: under the loop's mutex,
/// the repeating events that are due are collected and their next run time advanced by their
/// interval; they run (unless cancelled meanwhile); then the one-time events queued so far are
/// taken and run. Events a callback adds run in a later frame, so every call fires each due event
/// exactly once. The loop's wake-up lock is drained as Haxe's round drains it, so that its count
/// does not grow without bound while nobody waits on it.
/// </para>
/// <para>
/// "Now" is the VM's clock (<see cref="NativeContext.Clock"/>), as <c>Sys.time</c> reads it, so a
/// fake clock decides which timers are due. One difference from Haxe's round: due times are
/// compared and advanced in whole microseconds rather than float seconds (<see cref="Due"/>).
/// </para>
/// </summary>
internal sealed class MainEventLoop
{
    private readonly HlModule _module;
    private readonly NativeContext _natives;
    private readonly HlRuntime _runtime;
    private readonly int _threadStatics;
    private readonly int _mainThread, _events, _mutex, _oneTimeEvents, _oneTimeEventsIdx, _waitLock, _promised, _regularEvents;
    private readonly int _nextRunTime, _interval, _run, _next, _cancelled, _wait, _array, _length;

    public MainEventLoop(HlModule module, NativeContext natives)
    {
        _module = module;
        _natives = natives;
        _runtime = module.Runtime;
        // HashLink's Thread is an abstract over the private class HaxeThread, whose statics hold
        // the main thread (std/hl/_std/sys/thread/Thread.hx); a program without threads has none.
        // The class's global holds its statics object (of type sys.thread._Thread.$HaxeThread).
        _threadStatics = module.Types.FirstOrDefault(t => t.Name == "sys.thread._Thread.HaxeThread" && t.GlobalIndex >= 0)?.GlobalIndex ?? -1;
        var h = module.Hashes;
        (_mainThread, _events, _mutex, _oneTimeEvents, _oneTimeEventsIdx) =
            (h.Hash("mainThread"), h.Hash("events"), h.Hash("mutex"), h.Hash("oneTimeEvents"), h.Hash("oneTimeEventsIdx"));
        (_waitLock, _promised, _regularEvents) = (h.Hash("waitLock"), h.Hash("promisedEventsCount"), h.Hash("regularEvents"));
        (_nextRunTime, _interval, _run, _next, _cancelled) =
            (h.Hash("nextRunTime"), h.Hash("interval"), h.Hash("run"), h.Hash("next"), h.Hash("cancelled"));
        (_wait, _array, _length) = (h.Hash("wait"), h.Hash("array"), h.Hash("length"));
        Unsupported = CheckLayout(module);
    }

    /// <summary>
    /// Why this program's event loop cannot be driven, or null: the fields read here are those of
    /// Haxe 4.2.5's standard library, and another version's <c>EventLoop</c> may differ.
    /// </summary>
    public string? Unsupported { get; }

    private static string? CheckLayout(HlModule module)
    {
        string[] loopFields = ["mutex", "oneTimeEvents", "oneTimeEventsIdx", "waitLock", "promisedEventsCount", "regularEvents"];
        string[] eventFields = ["nextRunTime", "interval", "run", "next", "cancelled"];
        foreach (var (typeName, fields) in new[] { ("sys.thread.EventLoop", loopFields), ("sys.thread._EventLoop.RegularEvent", eventFields) })
        {
            if (module.Types.FirstOrDefault(t => t.Name == typeName && t.Kind == Bytecode.HlTypeKind.Obj) is not { } type)
            {
                // Dead-code elimination removes what the program never uses; a loop without events is fine.
                continue;
            }

            var missing = fields.Where(f => type.FindField(module.Hashes.Hash(f)) < 0).ToList();
            if (missing.Count > 0)
            {
                return $"the program's {typeName} has no field {string.Join(", ", missing)}: HlSharp drives the event loop of " +
                    "Haxe 4.2.5's standard library (std/sys/thread/EventLoop.hx), and this program was compiled with another; " +
                    "set HlVmOptions.RunEventLoop to run the program's own loop instead";
            }
        }

        return null;
    }

    /// <summary>The main thread's event loop object, or null before static initialisation or in a program without one.</summary>
    private HlInstance? Loop()
    {
        if (_threadStatics < 0 || _module.GetGlobal(_threadStatics) is not HlInstance statics)
        {
            return null;
        }

        return Get(statics, _mainThread) is HlInstance main ? Get(main, _events) as HlInstance : null;
    }

    /// <summary>Runs one round of the main thread's event loop; false when the program has none.</summary>
    public bool Progress()
    {
        if (Loop() is not { } loop)
        {
            return false;
        }

        var mutex = (VmLock)Get(loop, _mutex)!;
        var now = HaxeClock.NowMicroseconds(_natives.Clock);
        var regular = new List<HlInstance>();
        StdThread.MutexAcquire(_natives, mutex);
        try
        {
            if (Get(loop, _waitLock) is { } waitLock)
            {
                while (_runtime.CallMethodByHash(waitLock, _wait, [0.0]) is true)
                {
                }
            }

            for (var e = Get(loop, _regularEvents) as HlInstance; e is not null; e = Get(e, _next) as HlInstance)
            {
                if (Due((double)Get(e, _nextRunTime)!, (double)Get(e, _interval)!, now) is { } following)
                {
                    regular.Add(e);
                    _runtime.DynSetField(e, _nextRunTime, following);
                }
            }
        }
        finally
        {
            StdThread.MutexRelease(_natives, mutex);
        }

        foreach (var e in regular)
        {
            if (Get(e, _cancelled) is not true)
            {
                _runtime.CallDynamic(Get(e, _run), []);
            }
        }

        var oneTime = new List<object>();
        StdThread.MutexAcquire(_natives, mutex);
        try
        {
            var queue = (HlInstance)Get(loop, _oneTimeEvents)!;
            var length = (int)Get(queue, _length)!;
            var items = (object?[])((HlArray)Get(queue, _array)!).Data;
            for (var i = 0; i < length && items[i] is { } item; i++)
            {
                oneTime.Add(item);
                items[i] = null;
            }

            _runtime.DynSetField(loop, _oneTimeEventsIdx, 0);
        }
        finally
        {
            StdThread.MutexRelease(_natives, mutex);
        }

        foreach (var callback in oneTime)
        {
            _runtime.CallDynamic(callback, []);
        }

        return true;
    }

    /// <summary>
    /// Whether the loop has work: a queued one-time event, a repeating event (timers and
    /// <c>MainLoop</c> callbacks are), or a promised event (<c>MainLoop.addThread</c>); and when
    /// the earliest is due, null when no event is scheduled at a known time. Under <c>hl</c> the
    /// program ends exactly when this says there is no work.
    /// </summary>
    public (bool Pending, TimeSpan? Next) Peek()
    {
        if (Loop() is not { } loop)
        {
            return (false, null);
        }

        // Not the stoppable acquire Haxe code uses: a host reading this while the program exits
        // gets an answer, not the stop that unwinds Haxe threads. The loop's mutex is held only briefly.
        var mutex = (VmLock)Get(loop, _mutex)!;
        mutex.AcquireUnstoppable(_natives);
        try
        {
            var queue = (HlInstance)Get(loop, _oneTimeEvents)!;
            if ((int)Get(queue, _length)! > 0 && ((object?[])((HlArray)Get(queue, _array)!).Data)[0] is not null)
            {
                return (true, TimeSpan.Zero);
            }

            double? earliest = null;
            for (var e = Get(loop, _regularEvents) as HlInstance; e is not null; e = Get(e, _next) as HlInstance)
            {
                var next = (double)Get(e, _nextRunTime)!;
                earliest = earliest is { } known ? Math.Min(known, next) : next;
            }

            if (earliest is { } at)
            {
                return (true, Until(at, HaxeClock.NowMicroseconds(_natives.Clock)));
            }

            return ((int)Get(loop, _promised)! > 0, null);
        }
        finally
        {
            mutex.Release(_natives);
        }
    }

    /// <summary>
    /// When a repeating event that is due at <paramref name="next"/> runs next, or null when it is
    /// not due at <paramref name="now"/>. Haxe's round compares and adds float seconds; here they
    /// are whole microseconds (<see cref="HaxeClock"/>), the clock's grid, so that a clock moved by
    /// exactly an interval finds the event due: in float seconds the sum drifts by a last bit per
    /// repeat, and a 100 ms timer started at 2000-01-01 would miss its third exact step.
    /// </summary>
    private static double? Due(double next, double interval, long now)
    {
        if (!double.IsFinite(next) || !double.IsFinite(interval))
        {
            // Nothing Haxe's library schedules; compared as Haxe compares it.
            return next <= HaxeClock.ToSeconds(now) ? next + interval : null;
        }

        var due = HaxeClock.ToMicroseconds(next);
        return due <= now ? HaxeClock.ToSeconds(due + HaxeClock.ToMicroseconds(interval)) : null;
    }

    /// <summary>The time from <paramref name="now"/> to a due time in seconds, zero once it has passed.</summary>
    private static TimeSpan Until(double at, long now)
    {
        if (!double.IsFinite(at))
        {
            return at > 0 ? TimeSpan.MaxValue : TimeSpan.Zero;
        }

        return TimeSpan.FromMicroseconds(Math.Max(0, HaxeClock.ToMicroseconds(at) - now));
    }

    private object? Get(HlInstance obj, int hash) => _runtime.DynGetField(obj, hash);
}
