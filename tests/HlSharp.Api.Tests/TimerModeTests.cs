namespace HlSharp.Api.Tests;

/// <summary>
/// Mode changes while timers wait, pumping with a timeout, a timer that never overlaps itself,
/// a restart from another thread while a call runs, and a VM disposed from inside a callback or
/// under a waiting pump.
/// </summary>
public sealed class TimerModeTests
{
    private static readonly TimeSpan Patience = TimerHarness.Patience;

    [Theory]
    [InlineData(TimerDrive.Serialized, HlTimerMode.Pumped)]
    [InlineData(TimerDrive.Threaded, HlTimerMode.Pumped)]
    [InlineData(TimerDrive.Pump, HlTimerMode.Serialized)]
    [InlineData(TimerDrive.Pump, HlTimerMode.Threaded)]
    [InlineData(TimerDrive.Serialized, HlTimerMode.Threaded)]
    public void Timers_waiting_across_a_mode_change_keep_their_due_times(TimerDrive from, HlTimerMode to)
    {
        using var h = new TimerHarness(from);
        var every = h.Timers.Every(TimeSpan.FromMilliseconds(10), h.Logs("e"));
        Assert.Equal(["e@10"], h.Step(10, 1));
        h.Clock.Advance(TimeSpan.FromMilliseconds(5));

        h.Timers.Mode = to;
        Assert.Equal(to, h.Timers.Mode);
        Assert.True(every.IsActive);
        using var after = new TimerHarnessView(h, to);
        Assert.Empty(after.Step(4, 0));
        Assert.Equal(["e@20"], after.Step(1, 1));
        Assert.Equal(["e@30"], after.Step(10, 1));
        Assert.Equal(0, every.MissedCount);
    }

    [Theory]
    [InlineData(HlTimerMode.Serialized)]
    [InlineData(HlTimerMode.Threaded)]
    public void Update_counts_frames_in_every_mode_and_frame_timers_then_fire_on_timer_threads(HlTimerMode mode)
    {
        using var h = new TimerHarness(TimerDrive.Update);
        h.Timers.Mode = mode;
        var frames = new List<long>();
        using var fired = new SemaphoreSlim(0);
        var timer = h.Timers.EveryFrames(2, () =>
        {
            lock (frames)
            {
                frames.Add(h.Timers.Frame);
            }

            fired.Release();
        });
        var start = h.Timers.Frame;

        for (var i = 0; i < 2; i++)
        {
            h.Vm.Update();
            h.Vm.Update();
            Assert.True(fired.Wait(Patience));
        }

        Assert.Equal(start + 4, h.Timers.Frame);
        Assert.True(h.Timers.StopAll());
        Assert.Equal(2, timer.FireCount);
        // Each call ran at its frame or later (a timer thread may see the frame count move on meanwhile).
        Assert.True(frames[0] >= start + 2 && frames[1] >= start + 4, string.Join(", ", frames));
    }

    [Fact]
    public void Pump_with_a_timeout_wakes_when_another_thread_moves_the_fake_clock_to_a_due_time()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        h.Timers.After(TimeSpan.FromMilliseconds(10), h.Logs("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), h.Timers.TimeUntilNextDue);
        var mover = new Thread(() => h.Clock.Advance(TimeSpan.FromMilliseconds(10)));

        mover.Start();
        var ran = h.Timers.Pump(Patience);

        Assert.True(mover.Join(Patience));
        Assert.Equal(1, ran);
        Assert.Equal(["a@10"], h.WaitForCalls(1));
    }

    [Fact]
    public void Pump_with_a_timeout_wakes_for_a_frame_counted_on_another_thread()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        h.Timers.AfterFrames(1, h.Logs("f"));
        Assert.Null(h.Timers.TimeUntilNextDue);
        var counter = new Thread(h.Timers.AdvanceFrame);

        counter.Start();
        var ran = h.Timers.Pump(Patience);

        Assert.True(counter.Join(Patience));
        Assert.Equal(1, ran);
        Assert.Equal(["f@0"], h.WaitForCalls(1));
        Assert.Null(h.Timers.TimeUntilNextDue);
    }

    [Theory]
    [InlineData(30.0)]                      // past the 24.8 days a timed Monitor.Wait takes
    [InlineData(double.PositiveInfinity)]   // TimeSpan.MaxValue: past what a Stopwatch deadline counts
    public void Pump_with_a_timeout_of_weeks_or_TimeSpan_MaxValue_waits_for_the_next_due_timer(double days)
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        h.Timers.After(TimeSpan.FromMilliseconds(10), h.Logs("a"));
        var ran = -1;
        var pumper = new Thread(() => ran = h.Timers.Pump(LongTimeout(days)));
        pumper.Start();

        // It waits (as a Stopwatch deadline, thousands of years overflow into the past).
        Assert.False(pumper.Join(TimeSpan.FromMilliseconds(100)));
        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(pumper.Join(Patience));
        Assert.Equal(1, ran);
    }

    [Fact]
    public void TimeUntilNextDue_says_zero_when_due_the_time_left_otherwise_and_null_with_nothing_waiting_or_outside_pumped_mode()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        Assert.Null(h.Timers.TimeUntilNextDue);
        h.Timers.After(TimeSpan.FromMilliseconds(10), () => { });
        h.Clock.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(TimeSpan.FromMilliseconds(6), h.Timers.TimeUntilNextDue);
        h.Clock.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(TimeSpan.Zero, h.Timers.TimeUntilNextDue);

        h.Timers.AfterFrames(1, () => { });
        h.Timers.AdvanceFrame();
        Assert.Equal(TimeSpan.Zero, h.Timers.TimeUntilNextDue);
        Assert.Equal(2, h.Timers.Pump(TimeSpan.Zero));
        Assert.Null(h.Timers.TimeUntilNextDue);

        h.Timers.After(TimeSpan.FromMilliseconds(10), () => { });
        h.Timers.Mode = HlTimerMode.Serialized;
        Assert.Null(h.Timers.TimeUntilNextDue);
    }

    [Fact]
    public void A_threaded_timer_never_overlaps_itself_and_a_long_call_coalesces_the_due_points_it_covered()
    {
        using var h = new TimerHarness(TimerDrive.Threaded);
        using var entered = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var running = 0;
        var overlapped = false;
        var calls = 0;
        var timer = h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            h.Record("e");
            if (Interlocked.Increment(ref calls) == 1)
            {
                entered.Set();
                Assert.True(proceed.Wait(Patience));
            }

            Interlocked.Decrement(ref running);
        });

        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(entered.Wait(Patience));
        // Five more due points pass while the first call is held; other timers still run meanwhile.
        for (var i = 0; i < 5; i++)
        {
            h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        using var other = new ManualResetEventSlim();
        h.Timers.After(TimeSpan.FromMilliseconds(1), other.Set);
        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(other.Wait(Patience));
        proceed.Set();

        // One call for the latest due point (60); 20 to 50 were missed.
        Assert.Equal(["e@10", "e@61"], h.WaitForCalls(2));
        Assert.Equal(["e@70"], h.Step(9, 1));
        Assert.False(overlapped);
        Assert.Equal(4, timer.MissedCount);
    }

    [Theory]
    [InlineData(TimerDrive.Serialized)]
    [InlineData(TimerDrive.Threaded)]
    public void A_restart_from_another_thread_while_the_call_runs_makes_it_due_one_interval_from_the_restart(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        using var entered = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var calls = 0;
        var timer = h.Timers.Every(TimeSpan.FromMilliseconds(10), h.LogsWhile("e", call =>
        {
            if (call == 1)
            {
                entered.Set();
                Assert.True(proceed.Wait(Patience));
            }

            Interlocked.Increment(ref calls);
            return false;
        }));

        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(entered.Wait(Patience));
        h.Clock.Advance(TimeSpan.FromMilliseconds(3));
        timer.Restart();
        Assert.True(timer.IsActive);
        proceed.Set();
        Assert.Equal(["e@10"], h.WaitForCalls(1));

        // Restarted at 13 (winning over the call's false): due at 23, then it stops (that call returns false).
        Assert.Empty(h.Step(9, 0));
        Assert.Equal(["e@23"], h.Step(1, 1));
        Assert.Empty(h.Step(30, 0));
        Assert.False(timer.IsActive);
    }

    [Theory]
    [MemberData(nameof(TimerClockTests.AllDrives), MemberType = typeof(TimerClockTests))]
    public void Disposing_the_VM_from_inside_a_callback_ends_the_timers_without_a_hang(TimerDrive drive)
    {
        var h = new TimerHarness(drive);
        var other = h.Timers.Every(TimeSpan.FromMilliseconds(10), () => { });
        using var disposed = new ManualResetEventSlim();
        Exception? error = null;
        h.Timers.After(TimeSpan.FromMilliseconds(10), () =>
        {
            error = Record.Exception(h.Vm.Dispose);
            disposed.Set();
        });

        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        if (drive == TimerDrive.Pump)
        {
            h.Timers.Pump(TimeSpan.Zero);
        }
        else if (drive == TimerDrive.Update)
        {
            h.Vm.Update();
        }

        Assert.True(disposed.Wait(Patience));
        Assert.Null(error);
        Assert.Throws<ObjectDisposedException>(() => h.Timers.After(TimeSpan.FromMilliseconds(1), () => { }));
        Assert.False(other.IsActive);
        h.Dispose();
    }

    [Fact]
    public void Disposing_the_VM_ends_a_pump_waiting_without_a_timeout()
    {
        var h = new TimerHarness(TimerDrive.Pump);
        h.Timers.After(TimeSpan.FromDays(1), () => { });
        using var pumping = new ManualResetEventSlim();
        Exception? error = null;
        var ran = -1;
        var pumper = new Thread(() =>
        {
            pumping.Set();
            error = Record.Exception(() => ran = h.Timers.Pump(Timeout.InfiniteTimeSpan));
        });
        pumper.Start();
        Assert.True(pumping.Wait(Patience));

        // Whether the pump waits already or not, it ends: a disposed scheduler wakes a waiting pump, and refuses a new one.
        h.Dispose();
        Assert.True(pumper.Join(Patience));
        Assert.True(error is null ? ran == 0 : error is ObjectDisposedException, $"ran {ran}, threw {error}");
    }

    private static TimeSpan LongTimeout(double days) => double.IsInfinity(days) ? TimeSpan.MaxValue : TimeSpan.FromDays(days);

    /// <summary>Steps a harness's VM after its mode changed (the harness steps by the mode it was made with).</summary>
    private sealed class TimerHarnessView(TimerHarness inner, HlTimerMode mode) : IDisposable
    {
        public string[] Step(double milliseconds, int expected)
        {
            if (mode == HlTimerMode.Pumped)
            {
                inner.Clock.Advance(TimeSpan.FromMilliseconds(milliseconds));
                inner.Timers.Pump(TimeSpan.Zero);
                return inner.WaitForCalls(expected);
            }

            using var sentinel = new SemaphoreSlim(0);
            inner.Timers.After(TimeSpan.FromMilliseconds(milliseconds), () => sentinel.Release());
            inner.Clock.Advance(TimeSpan.FromMilliseconds(milliseconds));
            Assert.True(sentinel.Wait(Patience));
            return inner.WaitForCalls(expected);
        }

        public void Dispose()
        {
        }
    }
}
