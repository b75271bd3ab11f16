using System.Diagnostics;
using HlSharp.Timers;

namespace HlSharp.Tests.Timers;

/// <summary>
/// The sub-millisecond sleep the system clock's waiter spends the last stretch before a due
/// time in (instead of yielding the processor): it must really sleep, for at least what it is
/// asked (a wrong <c>timespec</c> would make the call fail at once and the waiter spin again),
/// and say so only where it can.
/// </summary>
public sealed class PreciseSleepTests
{
    [Fact]
    public void On_64_bit_Linux_it_sleeps_at_least_the_time_asked_and_elsewhere_it_declines()
    {
        var ticks = Stopwatch.Frequency / 500; // 2 ms: more than a failed call could ever take.
        var start = Stopwatch.GetTimestamp();

        var slept = PreciseSleep.TrySleep(ticks);

        var elapsed = Stopwatch.GetTimestamp() - start;
        if (OperatingSystem.IsLinux() && Environment.Is64BitProcess)
        {
            Assert.True(slept);
            Assert.True(elapsed >= ticks, $"slept {elapsed} ticks of the {ticks} asked");
        }
        else
        {
            Assert.False(slept);
        }
    }

    [Fact]
    public void A_sleep_of_over_a_second_splits_into_seconds_and_nanoseconds()
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return;
        }

        // 1.001 s: with the nanoseconds not split off the seconds (or over 999,999,999) the call fails at once.
        var ticks = Stopwatch.Frequency + (Stopwatch.Frequency / 1000);
        var start = Stopwatch.GetTimestamp();

        Assert.True(PreciseSleep.TrySleep(ticks));

        Assert.True(Stopwatch.GetTimestamp() - start >= ticks);
    }
}
