using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// Stopping timers for good: once <see cref="HlVm.Dispose"/> or <see cref="HlTimers.StopAll()"/>
/// returns, no callback starts, and the callbacks running then have returned (or StopAll says
/// false at its timeout).
/// </summary>
public sealed class TimerShutdownTests
{
    private static readonly TimeSpan Patience = TimerHarness.Patience;

    private static TimeSpan LongTimeout(double days) => double.IsInfinity(days) ? TimeSpan.MaxValue : TimeSpan.FromDays(days);

    /// <summary>A real-clock VM with four 1 ms timers in threaded mode, counting the callbacks that start after <see cref="Stopped"/>.</summary>
    private sealed class BusyTimers
    {
        private int _calls;
        private int _running;
        private int _startsAfterStop;
        private int _stopped;

        public BusyTimers()
        {
            Vm = HlVm.LoadFile(HaxeFixtures.Compile("Hello"), new HlVmOptions { StandardOutput = new MemoryStream(), StandardError = new MemoryStream() });
            Vm.ThreadStarted += (_, t) => Count(t, ref _timerThreadsStarted);
            Vm.ThreadExiting += (_, t) => Count(t, ref _timerThreadsExited);
            Vm.Timers.Mode = HlTimerMode.Threaded;
            for (var i = 0; i < 4; i++)
            {
                Vm.Timers.Every(TimeSpan.FromMilliseconds(1), Tick);
            }
        }

        private int _timerThreadsStarted;
        private int _timerThreadsExited;

        public HlVm Vm { get; }

        public ManualResetEventSlim Warm { get; } = new();

        public int Running => Volatile.Read(ref _running);

        public int StartsAfterStop => Volatile.Read(ref _startsAfterStop);

        public int TimerThreadsStarted => Volatile.Read(ref _timerThreadsStarted);

        public int TimerThreadsExited => Volatile.Read(ref _timerThreadsExited);

        public void Stopped() => Volatile.Write(ref _stopped, 1);

        private static void Count(HlThread thread, ref int counter)
        {
            if (thread.Kind == HlThreadKind.Timer)
            {
                Interlocked.Increment(ref counter);
            }
        }

        private void Tick()
        {
            Interlocked.Increment(ref _running);
            if (Volatile.Read(ref _stopped) == 1)
            {
                Interlocked.Increment(ref _startsAfterStop);
            }

            if (Interlocked.Increment(ref _calls) >= 40)
            {
                Warm.Set();
            }

            Thread.SpinWait(1000);
            Interlocked.Decrement(ref _running);
        }
    }

    [Fact]
    public void After_Dispose_returns_no_callback_starts_and_none_is_running()
    {
        var busy = new BusyTimers();
        Assert.True(busy.Warm.Wait(Patience));

        busy.Vm.Dispose();
        busy.Stopped();

        Assert.Equal(0, busy.Running);
        // Dispose has waited for the timer threads to end, so nothing can start from here on either.
        Assert.True(busy.TimerThreadsStarted >= 2);
        Assert.Equal(busy.TimerThreadsStarted, busy.TimerThreadsExited);
        Assert.Equal(0, busy.StartsAfterStop);
        Assert.Equal(0, busy.Vm.Timers.ActiveCount);
    }

    [Fact]
    public void After_StopAll_returns_no_callback_starts_and_none_is_running()
    {
        var busy = new BusyTimers();
        using var vm = busy.Vm;
        Assert.True(busy.Warm.Wait(Patience));

        Assert.True(vm.Timers.StopAll());
        busy.Stopped();
        Assert.Equal(0, busy.Running);
        Assert.Equal(0, vm.Timers.ActiveCount);

        // A witness due after the stopped 1 ms timers would have been: by the time it fires, a timer StopAll missed would have too.
        using var witness = new ManualResetEventSlim();
        vm.Timers.After(TimeSpan.FromMilliseconds(5), witness.Set);
        Assert.True(witness.Wait(Patience));
        Assert.Equal(0, busy.StartsAfterStop);

        // The timers work again once added again.
        using var again = new ManualResetEventSlim();
        vm.Timers.After(TimeSpan.FromMilliseconds(1), again.Set);
        Assert.True(again.Wait(Patience));
    }

    [Theory]
    [InlineData(TimerDrive.Serialized)]
    [InlineData(TimerDrive.Threaded)]
    public void StopAll_waits_for_the_running_callback_and_returns_true_after_it_returned(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        using var entered = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var returned = 0;
        h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            entered.Set();
            Assert.True(proceed.Wait(Patience));
            Volatile.Write(ref returned, 1);
        });
        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(entered.Wait(Patience));

        var sawReturned = -1;
        bool? result = null;
        var stop = new Thread(() =>
        {
            result = h.Timers.StopAll();
            sawReturned = Volatile.Read(ref returned);
        });
        stop.Start();

        // While the callback is held, StopAll cannot have returned (a wait that can let a wrong StopAll pass, never fail a right one).
        Assert.False(stop.Join(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(0, h.Timers.ActiveCount);
        proceed.Set();
        Assert.True(stop.Join(Patience));
        Assert.True(result);
        Assert.Equal(1, sawReturned);
    }

    [Theory]
    [InlineData(30.0)]                      // past the 24.8 days a timed Monitor.Wait takes
    [InlineData(double.PositiveInfinity)]   // TimeSpan.MaxValue: past what a Stopwatch deadline counts
    public void StopAll_with_a_timeout_of_weeks_or_TimeSpan_MaxValue_waits_for_the_running_callback(double days)
    {
        using var h = new TimerHarness(TimerDrive.Serialized);
        using var entered = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            entered.Set();
            Assert.True(proceed.Wait(Patience));
        });
        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(entered.Wait(Patience));

        bool? result = null;
        var stop = new Thread(() => result = h.Timers.StopAll(LongTimeout(days)));
        stop.Start();

        // Thousands of years are no deadline already passed (as a Stopwatch deadline they overflow).
        Assert.False(stop.Join(TimeSpan.FromMilliseconds(100)));
        proceed.Set();
        Assert.True(stop.Join(Patience));
        Assert.True(result);
    }

    [Fact]
    public void StopAll_with_a_short_timeout_returns_false_while_a_callback_is_blocked_and_the_timer_does_not_fire_again()
    {
        using var h = new TimerHarness(TimerDrive.Serialized);
        using var entered = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var timer = h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            entered.Set();
            Assert.True(proceed.Wait(Patience));
            h.Record("blocked");
        });
        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(entered.Wait(Patience));

        Assert.False(h.Timers.StopAll(TimeSpan.FromMilliseconds(50)));
        Assert.False(timer.IsActive);

        proceed.Set();
        Assert.Equal(["blocked@10"], h.WaitForCalls(1));
        Assert.True(h.Timers.StopAll(Patience));
        Assert.Empty(h.Step(50, 0));
        Assert.Equal(1, timer.FireCount);
    }

    [Fact]
    public void Dispose_waits_for_a_running_callback()
    {
        var h = new TimerHarness(TimerDrive.Threaded);
        using var entered = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var returned = 0;
        h.Timers.After(TimeSpan.FromMilliseconds(10), () =>
        {
            entered.Set();
            Assert.True(proceed.Wait(Patience));
            Volatile.Write(ref returned, 1);
        });
        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(entered.Wait(Patience));

        var sawReturned = -1;
        var dispose = new Thread(() =>
        {
            h.Dispose();
            sawReturned = Volatile.Read(ref returned);
        });
        dispose.Start();

        Assert.False(dispose.Join(TimeSpan.FromMilliseconds(100)));
        proceed.Set();
        Assert.True(dispose.Join(Patience));
        Assert.Equal(1, sawReturned);
    }

    [Fact]
    public void Timers_waiting_on_a_fake_clock_never_fire_after_Dispose_even_when_the_clock_moves()
    {
        var h = new TimerHarness(TimerDrive.Serialized);
        var calls = 0;
        h.Timers.Every(TimeSpan.FromMilliseconds(10), () => Interlocked.Increment(ref calls));
        h.Timers.AfterFrames(1, () => Interlocked.Increment(ref calls));
        h.Dispose();

        h.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, calls);
    }
}
