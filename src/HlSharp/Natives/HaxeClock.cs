namespace HlSharp.Natives;

/// <summary>
/// The VM's clock (<see cref="NativeContext.Clock"/>) as Haxe code reads it: <c>Sys.time</c>,
/// which <c>haxe.Timer.stamp</c>, <c>haxe.MainLoop</c> and the event loop's due times are made
/// of, is wall time in seconds since 1970 on a grid of whole microseconds. HashLink's clock has
/// that grid too (it reads <c>gettimeofday</c>); here it also lets the event loop compare due
/// times as whole microseconds (<see cref="ToMicroseconds"/>), which float seconds cannot do
/// exactly.
/// </summary>
internal static class HaxeClock
{
    /// <summary>
    /// Wall time in whole microseconds since 1970, from the clock's <see cref="TimeProvider.GetUtcNow"/>
    /// (for the system's own clock, the same reading taken directly: <see cref="SystemWallClock"/>).
    /// </summary>
    public static long NowMicroseconds(TimeProvider clock) =>
        ReferenceEquals(clock, TimeProvider.System) && SystemWallClock.TryNowMicroseconds(out var now)
            ? now
            : (clock.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    /// <summary><c>Sys.time()</c>: wall time in seconds since 1970, with the fraction to the microsecond.</summary>
    public static double NowSeconds(TimeProvider clock) => ToSeconds(NowMicroseconds(clock));

    /// <summary>Microseconds as the seconds Haxe code computes with (the double nearest to them).</summary>
    public static double ToSeconds(long microseconds) => microseconds / 1e6;

    /// <summary>
    /// The whole number of microseconds nearest to a time in seconds. A time Haxe code made from
    /// <c>Sys.time()</c> plus a whole number of milliseconds is that many microseconds later to
    /// within the roundings of its last bits, under half a microsecond until 2106, so this
    /// recovers the microsecond exactly. The whole seconds are split off first (exactly): scaling
    /// the whole value by a million would add a rounding of its own, which after 2038 can reach
    /// the next microsecond.
    /// </summary>
    public static long ToMicroseconds(double seconds)
    {
        var whole = Math.Floor(seconds);
        return ((long)whole * 1_000_000) + (long)Math.Round((seconds - whole) * 1e6);
    }

    /// <summary>
    /// The clock's monotonic timestamp in milliseconds (<see cref="TimeProvider.GetTimestamp"/>),
    /// computed without the overflow that multiplying a nanosecond timestamp by 1000 would meet.
    /// </summary>
    public static long TimestampMilliseconds(TimeProvider clock)
    {
        var ticks = clock.GetTimestamp();
        var frequency = clock.TimestampFrequency;
        return (ticks / frequency * 1000) + (ticks % frequency * 1000 / frequency);
    }
}
