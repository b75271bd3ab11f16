using HlSharp.Natives;

namespace HlSharp.Tests.Natives;

public sealed class SystemWallClockTests
{
    [Fact]
    public void The_direct_reading_agrees_with_the_system_time_provider()
    {
        var before = TimeProvider.System.GetUtcNow();
        var read = SystemWallClock.TryNowMicroseconds(out var microseconds);
        var after = TimeProvider.System.GetUtcNow();

        // The direct reading is what 64-bit Linux uses; elsewhere the caller reads the provider.
        Assert.Equal(OperatingSystem.IsLinux() && Environment.Is64BitProcess, read);
        if (read)
        {
            var now = DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);
            Assert.InRange(now, before.AddTicks(-TimeSpan.TicksPerMicrosecond), after.AddTicks(TimeSpan.TicksPerMicrosecond));
        }
    }

    [Fact]
    public void Sys_time_reads_the_direct_clock_only_for_the_system_provider()
    {
        var fake = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

        Assert.Equal(fake.GetUtcNow().ToUnixTimeMilliseconds() * 1000, HaxeClock.NowMicroseconds(fake));
        var system = HaxeClock.NowMicroseconds(TimeProvider.System);
        Assert.InRange(system - (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000), -2_000_000, 2_000_000);
    }
}
