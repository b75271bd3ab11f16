using HlSharp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace HlSharp.Api.Tests;

/// <summary>
/// <see cref="HlVmOptions.Clock"/>: <c>Sys.time</c>, <c>haxe.Timer.stamp</c>, <c>Date.now</c> and
/// the <c>haxe.Timer</c> events that <see cref="HlVm.Update"/> runs read the VM's clock, so a fake
/// clock decides exactly when each timer fires. The fixture's <c>main</c> schedules a 100 ms
/// <c>haxe.Timer.delay</c> ("delay") and a 30 ms repeating <c>haxe.Timer</c> ("tick n").
/// </summary>
public sealed class ClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static HlVm Load(TimeProvider? clock = null)
    {
        var options = clock is null ? new HlVmOptions() : new HlVmOptions { Clock = clock };
        var vm = HlVm.LoadFile(HaxeFixtures.Compile("VmClock"), options);
        vm.RunEntry();
        return vm;
    }

    /// <summary>Moves the clock, runs one frame, and returns what fired in it.</summary>
    private static string Step(HlVm vm, FakeTimeProvider clock, int milliseconds)
    {
        clock.Advance(TimeSpan.FromMilliseconds(milliseconds));
        vm.Update();
        return vm.CallStatic<string>("Main", "takeFired");
    }

    [Fact]
    public void Each_timer_fires_when_the_fake_clock_reaches_its_due_time_and_not_a_millisecond_before()
    {
        var clock = new FakeTimeProvider(Start);
        using var vm = Load(clock);

        Assert.Equal("", Step(vm, clock, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(30), vm.TimeUntilNextWork);
        Assert.Equal("", Step(vm, clock, 29));
        Assert.Equal(TimeSpan.FromMilliseconds(1), vm.TimeUntilNextWork);
        Assert.Equal("tick 1", Step(vm, clock, 1));      // 30 ms
        Assert.Equal(TimeSpan.FromMilliseconds(30), vm.TimeUntilNextWork);
        Assert.Equal("tick 2", Step(vm, clock, 30));     // 60 ms
        Assert.Equal("tick 3", Step(vm, clock, 30));     // 90 ms
        Assert.Equal(TimeSpan.FromMilliseconds(10), vm.TimeUntilNextWork);
        Assert.Equal("", Step(vm, clock, 9));            // 99 ms: the delay is not due yet
        Assert.Equal("delay", Step(vm, clock, 1));       // 100 ms
        Assert.Equal(TimeSpan.FromMilliseconds(20), vm.TimeUntilNextWork);
        Assert.Equal("tick 4", Step(vm, clock, 20));     // 120 ms: the delay ran once and is gone
        Assert.Equal("", Step(vm, clock, 29));

        vm.CallStatic("Main", "stopRepeating");
        Assert.False(vm.HasPendingWork);
        Assert.Null(vm.TimeUntilNextWork);
        Assert.Equal("", Step(vm, clock, 1000));
    }

    [Theory]
    [InlineData(0L)]                        // 1970-01-01: as float seconds, the due time would miss step 10
    [InlineData(1_000_000_000_000L)]        // 1970-01-12: and step 3
    [InlineData(1_796_205_600_000_000L)]    // 2026-12-02
    [InlineData(3_615_729_985_912_361L)]    // 2084, at .912361 s: the first due time, 30 ms on, is a float a last bit too late
    public void A_repeating_timer_fires_once_per_Update_when_the_clock_moves_one_interval_per_step(long startMicroseconds)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddTicks(startMicroseconds * TimeSpan.TicksPerMicrosecond));
        using var vm = Load(clock);

        var frames = new List<string>();
        for (var step = 0; step < 40; step++)
        {
            frames.Add(Step(vm, clock, 30));
            // Without the clock moving, another frame finds nothing due.
            Assert.Equal("", Step(vm, clock, 0));
        }

        // Due times do not drift: after 40 exact steps the timer is still due on each, and the
        // delay (due at 100 ms) ran in the frame at 120 ms, after the tick (Haxe keeps its events
        // in the order of their first due time).
        string[] expected = [.. Enumerable.Range(1, 40).Select(n => n == 4 ? "tick 4,delay" : $"tick {n}")];
        Assert.Equal(expected, frames);
        Assert.Equal(TimeSpan.FromMilliseconds(30), vm.TimeUntilNextWork);
    }

    [Fact]
    public void Intervals_the_clock_jumped_over_fire_one_per_Update_as_in_Haxe_event_loop()
    {
        var clock = new FakeTimeProvider(Start);
        using var vm = Load(clock);

        // Haxe's loop advances a repeating event's due time by one interval per round, so a clock
        // that jumps three intervals makes the timer late three times: it fires in three frames.
        Assert.Equal("tick 1", Step(vm, clock, 90));
        Assert.Equal(TimeSpan.Zero, vm.TimeUntilNextWork);
        Assert.Equal("tick 2", Step(vm, clock, 0));
        Assert.Equal("tick 3", Step(vm, clock, 0));
        Assert.Equal("", Step(vm, clock, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(10), vm.TimeUntilNextWork);
    }

    [Fact]
    public void A_timer_Haxe_code_schedules_later_counts_from_the_fake_clock_at_that_moment()
    {
        var clock = new FakeTimeProvider(Start);
        using var vm = Load(clock);
        vm.CallStatic("Main", "stopRepeating");
        clock.Advance(TimeSpan.FromSeconds(10));

        vm.CallStatic("Main", "delay", "late", 50);

        // The 100 ms delay of main is long overdue; the new one is 50 ms away.
        Assert.Equal("delay", Step(vm, clock, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(50), vm.TimeUntilNextWork);
        Assert.Equal("", Step(vm, clock, 49));
        Assert.Equal("late", Step(vm, clock, 1));
        Assert.False(vm.HasPendingWork);
    }

    [Fact]
    public void Sys_time_Timer_stamp_and_Date_now_read_the_fake_clock()
    {
        var clock = new FakeTimeProvider(Start);
        using var vm = Load(clock);
        var now = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1_234_560);   // .123456 s
        clock.SetUtcNow(now);

        var seconds = (now - DateTimeOffset.UnixEpoch).TotalSeconds;
        Assert.Equal(seconds, vm.CallStatic<double>("Main", "sysTime"), 1e-6);
        Assert.Equal(seconds, vm.CallStatic<double>("Main", "stamp"), 1e-6);
        // HashLink's Date has whole seconds.
        Assert.Equal(now.ToUnixTimeSeconds() * 1000.0, vm.CallStatic<double>("Main", "dateNow"));

        clock.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(seconds + 1.5, vm.CallStatic<double>("Main", "sysTime"), 1e-6);
        Assert.Equal(seconds + 1.5, vm.CallStatic<double>("Main", "stamp"), 1e-6);
        Assert.Equal((now.ToUnixTimeSeconds() + 1) * 1000.0, vm.CallStatic<double>("Main", "dateNow"));
    }

    [Fact]
    public void With_the_default_clock_Sys_time_and_Date_now_are_the_system_wall_time()
    {
        using var vm = Load();

        // A loose bound: this guards against reading the wrong clock, not against slowness.
        var unixNow = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalSeconds;
        Assert.InRange(vm.CallStatic<double>("Main", "sysTime"), unixNow - 5, unixNow + 5);
        Assert.InRange(vm.CallStatic<double>("Main", "stamp"), unixNow - 5, unixNow + 5);
        Assert.InRange(vm.CallStatic<double>("Main", "dateNow") / 1000, unixNow - 5, unixNow + 5);
    }
}
