using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>How the threading natives read a Haxe <c>?timeout:Float</c> in seconds: null waits forever, zero or less does not wait.</summary>
internal static class WaitTimeouts
{
    public static TimeSpan FromSeconds(object? seconds) => seconds is null ? Timeout.InfiniteTimeSpan : FromSeconds(RuntimeOps.DynToDouble(seconds));

    public static TimeSpan FromSeconds(double seconds) => seconds <= 0 || double.IsNaN(seconds) ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue / 1000.0));
}
