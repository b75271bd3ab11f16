using System.Collections.Concurrent;
using System.Diagnostics;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// The threads behind the timers: announced to <see cref="HlVm.ThreadStarted"/> as
/// <see cref="HlThreadKind.Timer"/> threads, each exiting at Dispose, none in pumped mode; and a
/// few bounded runs on the real clock.
/// </summary>
public sealed class TimerThreadTests
{
    private static readonly TimeSpan Patience = TimerHarness.Patience;

    [Theory]
    [InlineData(TimerDrive.Serialized)]
    [InlineData(TimerDrive.Threaded)]
    public void Timer_threads_are_announced_as_Timer_threads_run_the_callbacks_and_each_exits_at_Dispose(TimerDrive drive)
    {
        var h = new TimerHarness(drive);
        var started = new ConcurrentDictionary<int, HlThreadKind>();
        var exited = new ConcurrentDictionary<int, HlThreadKind>();
        var startedOnItself = true;
        h.Vm.ThreadStarted += (_, t) =>
        {
            started[t.ManagedThreadId] = t.Kind;
            startedOnItself &= t.ManagedThreadId == Environment.CurrentManagedThreadId;
        };
        h.Vm.ThreadExiting += (_, t) => exited[t.ManagedThreadId] = t.Kind;
        var ranOn = new ConcurrentBag<int>();
        using var meet = new Barrier(drive == TimerDrive.Threaded ? 2 : 1);
        for (var i = 0; i < 2; i++)
        {
            h.Timers.After(TimeSpan.FromMilliseconds(10), () =>
            {
                ranOn.Add(Environment.CurrentManagedThreadId);
                // In threaded mode both run at once, so the pool has (at least) two threads.
                Assert.True(meet.SignalAndWait(Patience));
                h.Record("t");
            });
        }

        Assert.Equal(2, h.Step(10, 2).Length);
        h.Dispose();

        Assert.NotEmpty(started);
        Assert.All(started.Values, kind => Assert.Equal(HlThreadKind.Timer, kind));
        Assert.True(startedOnItself);
        Assert.Equal(started.Keys.Order(), exited.Keys.Order());
        Assert.All(ranOn, id => Assert.Contains(id, started.Keys));
        Assert.Equal(drive == TimerDrive.Threaded ? 2 : 1, ranOn.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TimerClockTests.AllDrives), MemberType = typeof(TimerClockTests))]
    public void A_CSharp_callback_calls_into_Haxe_on_whichever_thread_it_runs(TimerDrive drive)
    {
        // The VmClock fixture's Main.sysTime returns Sys.time(), which reads the VM's (fake) clock.
        using var h = new TimerHarness(drive, "VmClock", runEntry: true);
        var times = new List<double>();
        h.Timers.Every(TimeSpan.FromMilliseconds(250), () =>
        {
            times.Add(h.Vm.CallStatic<double>("Main", "sysTime"));
            h.Record("call");
        });

        Assert.Equal(["call@250"], h.Step(250, 1));
        Assert.Equal(["call@500"], h.Step(250, 1));

        var start = TimerHarness.Start.ToUnixTimeMilliseconds() / 1000.0;
        Assert.Equal(2, times.Count);
        Assert.Equal(start + 0.25, times[0], 0.000_001);
        Assert.Equal(start + 0.5, times[1], 0.000_001);
    }

    [Fact]
    public void Pumped_mode_starts_no_thread()
    {
        var h = new TimerHarness(TimerDrive.Update);
        var started = new ConcurrentBag<HlThread>();
        h.Vm.ThreadStarted += (_, t) => started.Add(t);
        h.Timers.Every(TimeSpan.FromMilliseconds(1), h.Logs("e"));
        h.Timers.EveryFrames(1, h.Logs("f"));

        Assert.Equal(2, h.Step(1, 2).Length);
        Assert.Equal(2, h.Step(1, 2).Length);
        h.Dispose();

        Assert.Empty(started);
    }

    [Fact]
    public void Adding_timers_in_the_default_mode_starts_one_dispatcher_thread_and_no_more()
    {
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile("Hello"), new HlVmOptions { StandardOutput = new MemoryStream() });
        var started = new ConcurrentBag<HlThread>();
        vm.ThreadStarted += (_, t) => started.Add(t);
        Assert.Equal(HlTimerMode.Serialized, vm.Timers.Mode);
        using var fired = new CountdownEvent(3);

        for (var i = 0; i < 3; i++)
        {
            vm.Timers.After(TimeSpan.FromMilliseconds(1), () => fired.Signal());
        }

        Assert.True(fired.Wait(Patience));
        var thread = Assert.Single(started);
        Assert.Equal(HlThreadKind.Timer, thread.Kind);
    }

    [Theory]
    [InlineData(HlTimerMode.Threaded)]
    [InlineData(HlTimerMode.Serialized)]
    public void On_the_real_clock_a_1_ms_timer_reaches_50_calls(HlTimerMode mode)
    {
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile("Hello"), new HlVmOptions { StandardOutput = new MemoryStream() });
        vm.Timers.Mode = mode;
        using var fifty = new CountdownEvent(50);
        var timer = vm.Timers.Every(TimeSpan.FromMilliseconds(1), () =>
        {
            if (!fifty.IsSet)
            {
                fifty.Signal();
            }

            return fifty.CurrentCount > 0;
        });

        Assert.True(fifty.Wait(Patience));
        Assert.True(vm.Timers.StopAll());
        Assert.Equal(50, timer.FireCount);
    }

    [Fact]
    public void On_the_real_clock_After_20_ms_fires_once_and_not_before_its_time()
    {
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile("Hello"), new HlVmOptions { StandardOutput = new MemoryStream() });
        using var fired = new ManualResetEventSlim();
        var elapsed = TimeSpan.Zero;
        var started = Stopwatch.GetTimestamp();
        var timer = vm.Timers.After(TimeSpan.FromMilliseconds(20), () =>
        {
            elapsed = Stopwatch.GetElapsedTime(started);
            fired.Set();
        });

        Assert.True(fired.Wait(Patience));
        Assert.True(vm.Timers.StopAll());
        Assert.Equal(1, timer.FireCount);
        Assert.False(timer.IsActive);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(20), $"fired after {elapsed}");
    }

    [Fact]
    public void On_the_real_clock_Pump_waits_for_the_next_due_timer_up_to_its_timeout()
    {
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile("Hello"), new HlVmOptions { StandardOutput = new MemoryStream() });
        vm.Timers.Mode = HlTimerMode.Pumped;
        var calls = 0;
        vm.Timers.After(TimeSpan.FromMilliseconds(5), () => calls++);

        Assert.Equal(1, vm.Timers.Pump(Patience));
        Assert.Equal(1, calls);
        Assert.Null(vm.Timers.TimeUntilNextDue);
        // Nothing waits: a zero timeout returns at once with nothing run.
        Assert.Equal(0, vm.Timers.Pump(TimeSpan.Zero));
    }
}
