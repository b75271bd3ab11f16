namespace HlSharp.Api.Tests;

/// <summary>
/// <see cref="HlVm.Timers"/> on a fake clock, in every mode: each kind of timer fires at its due
/// time (or frame) and not one tick before, repeats without drift, coalesces late calls into one
/// (counting the due points passed as missed), keeps sub-millisecond intervals, and runs due
/// timers in due order (ties by scheduling order).
/// </summary>
public sealed class TimerClockTests
{
    public static TheoryData<TimerDrive> AllDrives => [TimerDrive.Pump, TimerDrive.Update, TimerDrive.Serialized, TimerDrive.Threaded];

    /// <summary>The drives that run callbacks one at a time in due order.</summary>
    public static TheoryData<TimerDrive> OrderedDrives => [TimerDrive.Pump, TimerDrive.Update, TimerDrive.Serialized];

    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void After_fires_once_at_its_due_time_and_not_a_tick_before(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var timer = h.Timers.After(TimeSpan.FromMilliseconds(10), h.Logs("a"));
        Assert.True(timer.IsActive);

        Assert.Empty(h.Step(TimeSpan.FromMilliseconds(10) - OneTick, 0));
        Assert.Equal(0, timer.FireCount);
        Assert.Equal(["a@10"], h.Step(OneTick, 1));
        Assert.Empty(h.Step(100, 0));

        Assert.Equal(1, timer.FireCount);
        Assert.Equal(0, timer.MissedCount);
        Assert.False(timer.IsActive);
        Assert.Equal(0, h.Timers.ActiveCount);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void Every_fires_at_each_interval_without_drift_over_a_thousand_steps(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var timer = h.Timers.Every(TimeSpan.FromMilliseconds(16), h.Logs("e"));

        for (var step = 1; step <= 1000; step++)
        {
            var calls = h.Step(16, 1);
            Assert.Equal($"e@{step * 16}", calls[0]);
        }

        Assert.Equal(1000, timer.FireCount);
        Assert.Equal(0, timer.MissedCount);
        Assert.True(timer.IsActive);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void Every_with_a_Func_stops_when_it_returns_false_and_fires_each_interval_until_then(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var timer = h.Timers.Every(TimeSpan.FromMilliseconds(10), h.LogsWhile("f", call => call < 3));

        Assert.Empty(h.Step(TimeSpan.FromMilliseconds(10) - OneTick, 0));
        Assert.Equal(["f@10"], h.Step(OneTick, 1));
        Assert.Equal(["f@20"], h.Step(10, 1));
        Assert.Equal(["f@30"], h.Step(10, 1));
        Assert.Empty(h.Step(50, 0));

        Assert.Equal(3, timer.FireCount);
        Assert.False(timer.IsActive);
        Assert.Equal(0, h.Timers.ActiveCount);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void AfterFrames_fires_once_at_its_frame_and_not_one_frame_before(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var frames = new List<long>();
        var timer = h.Timers.AfterFrames(3, () =>
        {
            frames.Add(h.Timers.Frame);
            h.Record("a");
        });
        var start = h.Timers.Frame;

        Assert.Empty(h.StepFrame(0));
        Assert.Empty(h.StepFrame(0));
        Assert.Single(h.StepFrame(1));
        for (var i = 0; i < 5; i++)
        {
            Assert.Empty(h.StepFrame(0));
        }

        Assert.Equal([start + 3], frames);
        Assert.Equal(1, timer.FireCount);
        Assert.False(timer.IsActive);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void EveryFrames_with_an_Action_fires_every_nth_frame(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var frames = new List<long>();
        var timer = h.Timers.EveryFrames(2, () =>
        {
            frames.Add(h.Timers.Frame);
            h.Record("e");
        });
        var start = h.Timers.Frame;

        for (var frame = 1; frame <= 10; frame++)
        {
            h.StepFrame(frame % 2 == 0 ? 1 : 0);
        }

        Assert.Equal([start + 2, start + 4, start + 6, start + 8, start + 10], frames);
        Assert.Equal(5, timer.FireCount);
        Assert.Equal(0, timer.MissedCount);
        Assert.True(timer.IsActive);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void EveryFrames_with_a_Func_fires_every_frame_until_it_returns_false(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var timer = h.Timers.EveryFrames(1, h.LogsWhile("f", call => call < 4));

        for (var frame = 1; frame <= 4; frame++)
        {
            Assert.Single(h.StepFrame(1));
        }

        Assert.Empty(h.StepFrame(0));
        Assert.Empty(h.StepFrame(0));
        Assert.Equal(4, timer.FireCount);
        Assert.False(timer.IsActive);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_clock_jump_of_three_and_a_half_intervals_gives_one_call_and_counts_two_missed(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var timer = h.Timers.Every(TimeSpan.FromMilliseconds(10), h.Logs("e"));

        // Due at 10, 20, 30 by 35: one call stands for 30, the two before it are missed.
        Assert.Equal(["e@35"], h.Step(35, 1));
        Assert.Equal(1, timer.FireCount);
        Assert.Equal(2, timer.MissedCount);

        // The next due point is 40, on the original grid: no drift from the late call.
        Assert.Empty(h.Step(TimeSpan.FromMilliseconds(5) - OneTick, 0));
        Assert.Equal(["e@40"], h.Step(OneTick, 1));
        Assert.Equal(["e@50"], h.Step(10, 1));
        Assert.Equal(3, timer.FireCount);
        Assert.Equal(2, timer.MissedCount);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_late_one_shot_fires_once_and_counts_nothing_missed(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var timer = h.Timers.After(TimeSpan.FromMilliseconds(10), h.Logs("a"));

        Assert.Equal(["a@100"], h.Step(100, 1));
        Assert.Equal(0, timer.MissedCount);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_callback_that_overruns_its_interval_is_called_again_at_once_for_the_latest_due_point_and_counts_the_rest_missed(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var calls = 0;
        var timer = h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            h.Record("e");
            if (Interlocked.Increment(ref calls) == 1)
            {
                // The first call (due 10) takes 25 ms: it returns at 35, past the due points 20 and 30.
                h.Clock.Advance(TimeSpan.FromMilliseconds(25));
            }
        });

        // The next call comes without the clock moving, stands for 30, and 20 is missed: on timer
        // threads at once, in pumped mode at the next pump (a pump runs only what was due when it began).
        if (h.OnThreads)
        {
            Assert.Equal(["e@10", "e@35"], h.Step(10, 2));
        }
        else
        {
            Assert.Equal(["e@10"], h.Step(10, 1));
            Assert.Equal(["e@35"], h.Step(0, 1));
        }

        Assert.Equal(1, timer.MissedCount);
        Assert.Equal(["e@40"], h.Step(5, 1));
        Assert.Equal(3, timer.FireCount);
        Assert.Equal(1, timer.MissedCount);
    }

    [Theory]
    [InlineData(TimerDrive.Pump)]
    [InlineData(TimerDrive.Update)]
    public void Frame_timers_coalesce_the_frames_counted_between_pumps(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var timer = h.Timers.EveryFrames(1, h.Logs("f"));

        // Three frames counted without a pump (AdvanceFrame does not pump), then one that pumps: one call, for the fourth frame.
        h.Timers.AdvanceFrame();
        h.Timers.AdvanceFrame();
        h.Timers.AdvanceFrame();
        Assert.Single(h.StepFrame(1));

        Assert.Equal(1, timer.FireCount);
        Assert.Equal(3, timer.MissedCount);
        Assert.Single(h.StepFrame(1));
        Assert.Equal(3, timer.MissedCount);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_quarter_millisecond_interval_fires_every_quarter_millisecond(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var interval = TimeSpan.FromMilliseconds(0.25);
        var every = h.Timers.Every(interval, h.Logs("e"));

        for (var step = 1; step <= 8; step++)
        {
            Assert.Equal([FormattableString.Invariant($"e@{step * 0.25:0.###}")], h.Step(interval, 1));
        }

        Assert.Equal(8, every.FireCount);
        Assert.Equal(0, every.MissedCount);
        every.Stop();

        var once = h.Timers.After(interval, h.Logs("a"));
        Assert.Empty(h.Step(interval - OneTick, 0));
        Assert.Equal(["a@2.25"], h.Step(OneTick, 1));
        Assert.Equal(1, once.FireCount);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void Delays_beyond_what_a_system_timer_takes_wait_and_fire_and_shorter_ones_go_on(TimerDrive drive)
    {
        // 60 days is past the 49.7 days (uint.MaxValue - 1 ms) that Timer.Change accepts; 10,000 years is near TimeSpan.MaxValue.
        using var h = new TimerHarness(drive);
        var far = h.Timers.After(TimeSpan.FromDays(60), h.Logs("far"));
        var farther = h.Timers.Every(TimeSpan.FromDays(3_650_000), h.Logs("farther"));
        h.Timers.Every(TimeSpan.FromMilliseconds(10), h.Logs("near"));

        Assert.Equal(["near@10"], h.Step(10, 1));
        Assert.Equal(["near@20"], h.Step(10, 1));
        Assert.True(far.IsActive);
        Assert.True(farther.IsActive);
        Assert.Contains("due in", far.ToString(), StringComparison.Ordinal);

        var last = h.Step(TimeSpan.FromDays(60) - TimeSpan.FromMilliseconds(20), 2);
        Assert.Equal(["far@5184000000", "near@5184000000"], [.. last.Order(StringComparer.Ordinal)]);
        Assert.False(far.IsActive);
        Assert.True(farther.IsActive);
    }

    [Theory]
    [MemberData(nameof(OrderedDrives))]
    public void Timers_due_in_one_step_run_by_due_time_and_ties_by_scheduling_order(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        h.Timers.After(TimeSpan.FromMilliseconds(30), h.Logs("c30"));
        h.Timers.After(TimeSpan.FromMilliseconds(10), h.Logs("a10"));
        h.Timers.After(TimeSpan.FromMilliseconds(20), h.Logs("b20"));
        h.Timers.After(TimeSpan.FromMilliseconds(20), h.Logs("b20-later"));
        h.Timers.Every(TimeSpan.FromMilliseconds(10), h.Logs("e10"));
        h.Timers.After(TimeSpan.FromMilliseconds(0.5), h.Logs("first"));

        Assert.Equal(["first@30", "a10@30", "e10@30", "b20@30", "b20-later@30", "c30@30"], h.Step(30, 6));
    }

    [Theory]
    [MemberData(nameof(OrderedDrives))]
    public void A_timer_restarted_to_the_same_due_time_as_another_goes_after_it(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var first = h.Timers.After(TimeSpan.FromMilliseconds(10), h.Logs("first"));
        h.Timers.After(TimeSpan.FromMilliseconds(10), h.Logs("second"));

        // Restarting schedules it again (same due time, the clock has not moved): it is now the later of the two.
        first.Restart();

        Assert.Equal(["second@10", "first@10"], h.Step(10, 2));
    }

    [Fact]
    public void Threaded_callbacks_run_in_parallel_two_that_wait_for_each_other_both_complete()
    {
        using var h = new TimerHarness(TimerDrive.Threaded);
        using var meet = new Barrier(2);
        var met = new bool[2];
        using var done = new CountdownEvent(2);
        h.Timers.After(TimeSpan.FromMilliseconds(10), () =>
        {
            met[0] = meet.SignalAndWait(TimerHarness.Patience);
            done.Signal();
        });
        h.Timers.After(TimeSpan.FromMilliseconds(10), () =>
        {
            met[1] = meet.SignalAndWait(TimerHarness.Patience);
            done.Signal();
        });

        h.Clock.Advance(TimeSpan.FromMilliseconds(10));

        Assert.True(done.Wait(TimerHarness.Patience * 2));
        Assert.Equal([true, true], met);
    }

    [Theory]
    [InlineData(TimerDrive.Serialized)]
    [InlineData(TimerDrive.Pump)]
    public void Serialized_callbacks_never_overlap(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var running = 0;
        var most = 0;
        var threads = new HashSet<int>();
        for (var i = 0; i < 20; i++)
        {
            h.Timers.Every(TimeSpan.FromMilliseconds(1 + (i % 3)), () =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                lock (threads)
                {
                    threads.Add(Environment.CurrentManagedThreadId);
                }

                // Long enough for another thread to come in, if one could.
                Thread.SpinWait(20_000);
                Interlocked.Decrement(ref running);
                h.Record("x");
            });
        }

        var total = 0;
        for (var ms = 1; ms <= 12; ms++)
        {
            var due = Enumerable.Range(0, 20).Count(i => ms % (1 + (i % 3)) == 0);
            total += h.Step(1, due).Length;
        }

        Assert.Equal(1, most);
        Assert.Single(threads);
        Assert.True(total > 100);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var now && now != seen)
        {
            seen = now;
        }
    }
}
