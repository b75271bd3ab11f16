using BenchmarkDotNet.Attributes;
using HlSharp.Natives;

namespace HlSharp.Bench;

/// <summary>
/// What <c>Sys.time()</c> costs now that it reads the VM's <see cref="TimeProvider"/>
/// (<see cref="HaxeClock"/>) with the default system clock, against the expression the native
/// used before, which read <see cref="DateTimeOffset.UtcNow"/> directly. Programs call it in hot
/// loops (timing, <c>haxe.Timer.stamp</c>), so it must stay as cheap and allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class ClockBenchmarks
{
    private readonly TimeProvider _clock = TimeProvider.System;

    [Benchmark(Baseline = true, Description = "UtcNow directly (before)")]
    public double UtcNowDirectly() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    [Benchmark(Description = "Sys.time from the VM's clock")]
    public double SysTimeFromClock() => HaxeClock.NowSeconds(_clock);

    [Benchmark(Description = "timestamp ms from the VM's clock")]
    public long TimestampFromClock() => HaxeClock.TimestampMilliseconds(_clock);
}
