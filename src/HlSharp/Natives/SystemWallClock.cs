using System.Runtime.InteropServices;

namespace HlSharp.Natives;

/// <summary>
/// The system's wall clock read straight from <c>clock_gettime(CLOCK_REALTIME)</c> on 64-bit
/// Linux, the clock <see cref="TimeProvider.System"/> reads too. <c>haxe.Timer.stamp</c> is
/// what game loops and benchmark harnesses call around every frame or sample, and the clock
/// itself costs about 33 ns on the virtual machine it was measured on: going through
/// <see cref="TimeProvider"/> and <see cref="DateTimeOffset"/>, with the runtime's
/// garbage-collector transition around the call, adds about a tenth to that. The call cannot
/// block or call back, which is what makes suppressing the transition safe. Elsewhere, or if the
/// call is missing, <see cref="TryNowMicroseconds"/> says so and the caller reads its
/// <see cref="TimeProvider"/>, which gives the same time.
/// </summary>
internal static class SystemWallClock
{
    private const int ClockRealtime = 0;

    // The struct below is the 64-bit layout; the probe also settles the library's loading, so
    // the hot path has nothing left to fail.
    private static readonly bool s_available = OperatingSystem.IsLinux() && Environment.Is64BitProcess && Probe();

    /// <summary>Wall time in whole microseconds since 1970; false where this clock cannot be read.</summary>
    public static bool TryNowMicroseconds(out long microseconds)
    {
        if (s_available && NativeMethods.ClockGettime(ClockRealtime, out var now) == 0)
        {
            microseconds = (now.Seconds * 1_000_000) + (now.Nanoseconds / 1000);
            return true;
        }

        microseconds = 0;
        return false;
    }

    private static bool Probe()
    {
        try
        {
            return NativeMethods.ClockGettime(ClockRealtime, out _) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The C <c>struct timespec</c> of 64-bit Linux: seconds and nanoseconds, both <c>long</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Timespec
    {
        public readonly long Seconds;
        public readonly long Nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "clock_gettime")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        [SuppressGCTransition]
        public static extern int ClockGettime(int clock, out Timespec time);
    }
}
