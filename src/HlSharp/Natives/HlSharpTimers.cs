using System.Diagnostics;
using HlSharp.Runtime;
using HlSharp.Timers;

namespace HlSharp.Natives;

/// <summary>
/// The <c>hlsharp</c> library's timers (<c>hlsharp.Timers</c>): the VM's one scheduler, the one
/// <c>vm.Timers</c> shows the host, so ids, the mode and the frame count are shared with C#.
/// Timers are named by their id; an id no live timer has (stopped, finished, never added)
/// answers false, -1 or 0, as each native says. Bad arguments are Haxe exceptions with the
/// scheduler's own messages, prefixed with the Haxe function that got them.
/// </summary>
internal static class HlSharpTimers
{
    /// <summary>How long <c>Timers.stopAll</c> waits for callbacks running on other threads, as the host's <c>StopAll()</c> does.</summary>
    private static readonly TimeSpan StopAllTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a waiting <c>stopAll</c> looks up from its wait: <c>Sys.exit</c>, <c>Dispose</c>
    /// and the VM's other requests to a thread (a hot reload's pause) reach it between slices.
    /// </summary>
    private static readonly TimeSpan StopAllSlice = TimeSpan.FromMilliseconds(20);

    [HlNative("hlsharp", "timer_after")]
    public static int After(NativeContext m, double milliseconds, object? callback) =>
        AddTimed(m, "after", TimerKind.After, milliseconds, callback);

    [HlNative("hlsharp", "timer_every")]
    public static int Every(NativeContext m, double milliseconds, object? callback) =>
        AddTimed(m, "every", TimerKind.Every, milliseconds, callback);

    [HlNative("hlsharp", "timer_after_frames")]
    public static int AfterFrames(NativeContext m, int frames, object? callback) =>
        AddFrames(m, "afterFrames", TimerKind.AfterFrames, frames, callback);

    [HlNative("hlsharp", "timer_every_frames")]
    public static int EveryFrames(NativeContext m, int frames, object? callback) =>
        AddFrames(m, "everyFrames", TimerKind.EveryFrames, frames, callback);

    [HlNative("hlsharp", "timer_stop")]
    public static bool Stop(NativeContext m, int id) => m.Timers.Find(id) is { } entry && m.Timers.Stop(entry);

    [HlNative("hlsharp", "timer_stop_handler")]
    public static int StopHandler(NativeContext m, object? handler) =>
        handler is HlClosure closure ? m.Timers.StopMatching(closure) : throw NotAFunction(m, "stopHandler", "handler", handler);

    /// <summary>
    /// Stops every timer (the host's too) and waits, at most 5 seconds, for callbacks running on
    /// other threads to return; false if one still ran then. A callback calling it is not waited for.
    /// </summary>
    [HlNative("hlsharp", "timer_stop_all")]
    public static bool StopAll(NativeContext m)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var left = StopAllTimeout - Stopwatch.GetElapsedTime(started);
            var slice = left >= StopAllSlice ? StopAllSlice : left > TimeSpan.Zero ? left : TimeSpan.Zero;
            // Each slice stops again what a running callback added meanwhile: when it returns true, none will start.
            if (m.Timers.StopAll(slice))
            {
                return true;
            }

            if (left <= StopAllSlice)
            {
                return false;
            }

            m.Stop.CurrentThread.Attend(inWait: true);
        }
    }

    [HlNative("hlsharp", "timer_restart")]
    public static bool Restart(NativeContext m, int id)
    {
        if (m.Timers.Find(id) is not { } entry)
        {
            return false;
        }

        try
        {
            m.Timers.Restart(entry);
            return true;
        }
        catch (ObjectDisposedException)
        {
            throw Closed(m, "restart");
        }
    }

    [HlNative("hlsharp", "timer_is_active")]
    public static bool IsActive(NativeContext m, int id) => m.Timers.Find(id) is { } entry && m.Timers.Read(entry).IsActive;

    /// <summary>How many times the timer's callback has started; -1 when no live timer has the id.</summary>
    [HlNative("hlsharp", "timer_fire_count")]
    public static int FireCount(NativeContext m, int id) => m.Timers.Find(id) is { } entry ? Clamp(m.Timers.Read(entry).FireCount) : -1;

    /// <summary>How many due points the timer coalesced into later calls; -1 when no live timer has the id.</summary>
    [HlNative("hlsharp", "timer_missed_count")]
    public static int MissedCount(NativeContext m, int id) => m.Timers.Find(id) is { } entry ? Clamp(m.Timers.Read(entry).MissedCount) : -1;

    [HlNative("hlsharp", "timer_active_count")]
    public static int ActiveCount(NativeContext m) => m.Timers.ActiveCount;

    [HlNative("hlsharp", "timer_dump")]
    public static HlBytes Dump(NativeContext m) => HlBytes.FromString(m.Timers.Dump());

    [HlNative("hlsharp", "timer_frame")]
    public static int Frame(NativeContext m) => Clamp(m.Timers.Frame);

    /// <summary>The mode as the numbers of <see cref="TimerMode"/> (Haxe's <c>hlsharp.TimerMode</c> has the same): only the host sets it.</summary>
    [HlNative("hlsharp", "timer_mode")]
    public static int Mode(NativeContext m) => (int)m.Timers.Mode;

    private static int AddTimed(NativeContext m, string function, TimerKind kind, double milliseconds, object? callback)
    {
        var handler = Handler(m, function, callback);
        if (TimerArguments.MillisecondsProblem(milliseconds) is { } problem)
        {
            throw BadArgument(m, function, problem);
        }

        return Add(m, function, kind, TimerArguments.FromMilliseconds(milliseconds), 0, handler);
    }

    private static int AddFrames(NativeContext m, string function, TimerKind kind, int frames, object? callback)
    {
        var handler = Handler(m, function, callback);
        if (TimerArguments.FramesProblem(frames) is { } problem)
        {
            throw BadArgument(m, function, problem);
        }

        return Add(m, function, kind, TimeSpan.Zero, frames, handler);
    }

    private static int Add(NativeContext m, string function, TimerKind kind, TimeSpan interval, int frames, HaxeTimerHandler handler)
    {
        try
        {
            return m.Timers.Add(kind, interval, frames, handler).Id;
        }
        catch (ObjectDisposedException)
        {
            throw Closed(m, function);
        }
    }

    /// <summary>The callback as a timer handler: a closure the timer can call with no arguments.</summary>
    private static HaxeTimerHandler Handler(NativeContext m, string function, object? callback)
    {
        if (callback is not HlClosure closure)
        {
            throw NotAFunction(m, function, "callback", callback);
        }

        if (closure.Type.Arguments.Length != 0)
        {
            throw m.Runtime.MakeError(
                $"Timers.{function}: the callback takes {closure.Type.Arguments.Length} argument(s), and a timer calls it with none");
        }

        return new HaxeTimerHandler(m, closure);
    }

    private static Exception NotAFunction(NativeContext m, string function, string parameter, object? value) =>
        m.Runtime.MakeError(value is null
            ? $"Timers.{function}: the {parameter} is null; a function is needed"
            : $"Timers.{function}: the {parameter} is not a function but {m.Runtime.TypeOfValue(value).TypeString()}");

    private static Exception Closed(NativeContext m, string function) =>
        m.Runtime.MakeError($"Timers.{function}: the VM's timers are closed (the VM is being disposed)");

    /// <summary>A bad argument as a Haxe error: the scheduler's own reason (it names the value), after the Haxe function that got it.</summary>
    private static Exception BadArgument(NativeContext m, string function, string problem) => m.Runtime.MakeError($"Timers.{function}: {problem}");

    private static int Clamp(long value) => (int)Math.Min(value, int.MaxValue);
}
