using System.Globalization;

namespace HlSharp.Timers;

/// <summary>The checks every way of adding a timer shares, C# or Haxe, so both get the same messages.</summary>
internal static class TimerArguments
{
    public static void CheckInterval(TimeSpan interval, string parameter)
    {
        if (interval <= TimeSpan.Zero)
        {
            var hint = interval == Timeout.InfiniteTimeSpan ? " (Timeout.InfiniteTimeSpan: a timer that never fires is no timer)" : string.Empty;
            throw new ArgumentOutOfRangeException(parameter, interval, $"A timer's delay or interval must be positive; it was {Describe(interval)}{hint}.");
        }

        if (interval == TimeSpan.MaxValue)
        {
            throw new ArgumentOutOfRangeException(parameter, interval, "A timer's delay or interval must be finite; it was TimeSpan.MaxValue.");
        }
    }

    /// <summary>What is wrong with a delay or interval in milliseconds as Haxe passes it, or null when it is a positive, finite span.</summary>
    public static string? MillisecondsProblem(double milliseconds)
    {
        if (double.IsNaN(milliseconds) || double.IsInfinity(milliseconds) || milliseconds <= 0)
        {
            return $"A timer's delay or interval must be a positive, finite number of milliseconds; it was {milliseconds.ToString(CultureInfo.InvariantCulture)}.";
        }

        return milliseconds * TimeSpan.TicksPerMillisecond >= TimeSpan.MaxValue.Ticks
            ? $"A timer's delay or interval must be finite; {milliseconds.ToString(CultureInfo.InvariantCulture)} ms is beyond TimeSpan.MaxValue."
            : null;
    }

    /// <summary>Milliseconds <see cref="MillisecondsProblem"/> accepted, as a span (a positive fraction of a tick counts as one tick).</summary>
    public static TimeSpan FromMilliseconds(double milliseconds) =>
        TimeSpan.FromTicks(Math.Max(1, (long)(milliseconds * TimeSpan.TicksPerMillisecond)));

    /// <summary>What is wrong with a frame count, or null when it is at least 1.</summary>
    public static string? FramesProblem(int frames) => frames < 1 ? $"A frame timer's count must be at least 1; it was {frames}." : null;

    public static void CheckFrames(int frames, string parameter)
    {
        if (FramesProblem(frames) is { } problem)
        {
            throw new ArgumentOutOfRangeException(parameter, frames, problem);
        }
    }

    /// <summary>Milliseconds, below one to the tick (0.0001 ms), so that no span that is not zero reads "0 ms" or "-0 ms".</summary>
    public static string Describe(TimeSpan span) =>
        span.TotalMilliseconds.ToString(Math.Abs(span.TotalMilliseconds) < 1 ? "0.####" : "0.##", CultureInfo.InvariantCulture) + " ms";
}
