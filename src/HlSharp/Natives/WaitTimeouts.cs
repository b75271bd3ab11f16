using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>How the threading natives read a Haxe <c>?timeout:Float</c> in seconds: null waits forever, zero or less does not wait.</summary>
internal static class WaitTimeouts
{
    /// <summary>
    /// The longest a wait on a monitor lasts before its caller checks its state again. A pulse
    /// sent just as a timed <see cref="Monitor.Wait(object, TimeSpan)"/> times out is lost to
    /// that waiter, so the natives never wait longer than this for one: they wait in slices and
    /// re-check what they wait for (items in a channel, a signal of a condition) after each.
    /// </summary>
    public static readonly TimeSpan MonitorSlice = TimeSpan.FromMilliseconds(20);

    /// <summary>What is left of <paramref name="left"/> (infinite or not) for one slice of a monitor wait.</summary>
    public static TimeSpan Slice(TimeSpan left) => left == Timeout.InfiniteTimeSpan || left > MonitorSlice ? MonitorSlice : left;

    public static TimeSpan FromSeconds(object? seconds) => seconds is null ? Timeout.InfiniteTimeSpan : FromSeconds(RuntimeOps.DynToDouble(seconds));

    public static TimeSpan FromSeconds(double seconds) => seconds <= 0 || double.IsNaN(seconds) ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue / 1000.0));
}
