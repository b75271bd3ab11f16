using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HlSharp.Timers;

/// <summary>
/// Sleeps for less than a millisecond, which no .NET wait can (they all count whole
/// milliseconds): on Linux, <c>clock_nanosleep</c> on the monotonic clock, which wakes within
/// the thread's timer slack (50 µs by default) of the time asked. Elsewhere (other systems,
/// 32-bit processes), or if the call is
/// unavailable, <see cref="TrySleep"/> says so and the caller falls back to yielding.
/// </summary>
internal static class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private const long NanosecondsPerSecond = 1_000_000_000;

    // The struct below is the 64-bit layout.
    private static bool s_unavailable = !OperatingSystem.IsLinux() || !Environment.Is64BitProcess;

    /// <summary>Sleeps about <paramref name="ticks"/> Stopwatch ticks (a signal may end it early); false, without sleeping, where it cannot.</summary>
    public static bool TrySleep(long ticks)
    {
        if (Volatile.Read(ref s_unavailable))
        {
            return false;
        }

        var nanoseconds = (long)((Int128)ticks * NanosecondsPerSecond / Stopwatch.Frequency);
        var request = new Timespec(nanoseconds / NanosecondsPerSecond, nanoseconds % NanosecondsPerSecond);
        try
        {
            // A nonzero result is an interruption (EINTR) or a bad request; either way the caller looks at the clock again.
            _ = NativeMethods.ClockNanosleep(ClockMonotonic, 0, in request, IntPtr.Zero);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref s_unavailable, true);
            return false;
        }
    }

    /// <summary>The C <c>struct timespec</c> of 64-bit Linux: seconds and nanoseconds, both <c>long</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Timespec(long seconds, long nanoseconds)
    {
        public readonly long Seconds = seconds;
        public readonly long Nanoseconds = nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "clock_nanosleep")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remaining);
    }
}
