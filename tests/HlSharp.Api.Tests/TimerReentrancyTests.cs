namespace HlSharp.Api.Tests;

/// <summary>
/// What callbacks may do to timers, their own included, in every mode: add, stop, restart,
/// stop everything; and a stop from another thread while a callback runs.
/// </summary>
public sealed class TimerReentrancyTests
{
    public static TheoryData<TimerDrive> AllDrives => TimerClockTests.AllDrives;

    public static TheoryData<TimerDrive> ThreadDrives => [TimerDrive.Serialized, TimerDrive.Threaded];

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_callback_adds_a_timer_that_counts_from_the_call(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        HlTimer? added = null;
        h.Timers.After(TimeSpan.FromMilliseconds(10), () =>
        {
            added = h.Timers.After(TimeSpan.FromMilliseconds(5), h.Logs("added"));
            h.Record("a");
        });

        Assert.Equal(["a@10"], h.Step(10, 1));
        Assert.NotNull(added);
        Assert.True(added.IsActive);
        Assert.Empty(h.Step(4, 0));
        Assert.Equal(["added@15"], h.Step(1, 1));
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_callback_stops_another_timer_and_it_does_not_fire(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        HlTimer? other = null;
        var stopped = false;
        h.Timers.After(TimeSpan.FromMilliseconds(10), () =>
        {
            stopped = other!.Stop();
            h.Record("stopper");
        });
        other = h.Timers.Every(TimeSpan.FromMilliseconds(20), h.Logs("other"));

        Assert.Equal(["stopper@10"], h.Step(10, 1));
        Assert.True(stopped);
        Assert.False(other.IsActive);
        Assert.Empty(h.Step(50, 0));
        Assert.Equal(0, other.FireCount);
    }

    [Theory]
    [MemberData(nameof(TimerClockTests.OrderedDrives), MemberType = typeof(TimerClockTests))]
    public void A_callback_stops_a_timer_due_at_the_same_time_after_it_and_that_one_does_not_fire(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        HlTimer? other = null;
        h.Timers.After(TimeSpan.FromMilliseconds(10), () =>
        {
            Assert.True(other!.Stop());
            h.Record("stopper");
        });
        other = h.Timers.Every(TimeSpan.FromMilliseconds(10), h.Logs("other"));

        Assert.Equal(["stopper@10"], h.Step(10, 1));
        Assert.Empty(h.Step(50, 0));
        Assert.Equal(0, other.FireCount);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_repeating_callback_that_stops_itself_and_returns_true_still_stops(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        HlTimer? self = null;
        var stopResult = false;
        var activeInside = true;
        self = h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            stopResult = self!.Stop();
            activeInside = self.IsActive;
            h.Record("self");
            return true;
        });

        Assert.Equal(["self@10"], h.Step(10, 1));
        Assert.Empty(h.Step(50, 0));
        Assert.True(stopResult);
        Assert.False(activeInside);
        Assert.Equal(1, self.FireCount);
        Assert.False(self.IsActive);
        Assert.Equal(0, h.Timers.ActiveCount);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_repeating_callback_that_restarts_itself_is_next_due_one_interval_from_the_call(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var calls = 0;
        HlTimer? self = null;
        self = h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            h.Record("e");
            if (Interlocked.Increment(ref calls) == 1)
            {
                self!.Restart();
            }
        });

        // Called at 15 for the due point 10: without the restart it would be next due at 20; restarted, at 25.
        Assert.Equal(["e@15"], h.Step(15, 1));
        Assert.Empty(h.Step(9, 0));
        Assert.Equal(["e@25"], h.Step(1, 1));
        // And then on the restarted grid.
        Assert.Equal(["e@35"], h.Step(10, 1));
        Assert.Equal(0, self.MissedCount);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_callback_that_restarts_itself_and_returns_false_goes_on(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var calls = 0;
        HlTimer? self = null;
        self = h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            h.Record("f");
            if (Interlocked.Increment(ref calls) == 1)
            {
                self!.Restart();
            }

            return false;
        });

        Assert.Equal(["f@10"], h.Step(10, 1));
        Assert.True(self.IsActive);
        Assert.Equal(["f@20"], h.Step(10, 1));
        // The second call returned false without restarting: now it stops.
        Assert.Empty(h.Step(30, 0));
        Assert.False(self.IsActive);
        Assert.Equal(2, self.FireCount);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_callback_that_stops_and_then_restarts_itself_goes_on_and_one_that_restarts_then_stops_ends(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        HlTimer? goesOn = null;
        HlTimer? ends = null;
        goesOn = h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            h.Record("on");
            goesOn!.Stop();
            goesOn.Restart();
        });
        ends = h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            h.Record("ends");
            ends!.Restart();
            ends.Stop();
        });

        Assert.Equal(["ends@10", "on@10"], [.. h.Step(10, 2).Order(StringComparer.Ordinal)]);
        Assert.Equal(["on@20"], h.Step(10, 1));
        Assert.True(goesOn.IsActive);
        Assert.False(ends.IsActive);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_one_shot_restarted_in_its_callback_fires_again_one_delay_later(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var calls = 0;
        HlTimer? self = null;
        self = h.Timers.After(TimeSpan.FromMilliseconds(10), () =>
        {
            h.Record("a");
            if (Interlocked.Increment(ref calls) == 1)
            {
                self!.Restart();
            }
        });

        Assert.Equal(["a@10"], h.Step(10, 1));
        Assert.Equal(["a@20"], h.Step(10, 1));
        Assert.Empty(h.Step(30, 0));
        Assert.False(self.IsActive);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_finished_or_stopped_timer_restarted_from_outside_fires_again_one_period_from_the_restart(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var once = h.Timers.After(TimeSpan.FromMilliseconds(10), h.Logs("once"));
        var every = h.Timers.Every(TimeSpan.FromMilliseconds(10), h.Logs("every"));
        Assert.Equal(["every@10", "once@10"], Sorted(h.Step(10, 2)));
        Assert.True(every.Stop());
        Assert.Empty(h.Step(13, 0));

        once.Restart();
        every.Restart();
        Assert.True(once.IsActive);
        Assert.True(every.IsActive);
        Assert.Equal(["every@33", "once@33"], Sorted(h.Step(10, 2)));
        Assert.Equal(["every@43"], h.Step(10, 1));
    }

    [Theory]
    [MemberData(nameof(ThreadDrives))]
    public void A_stop_from_another_thread_while_the_callback_runs_lets_that_call_finish_and_prevents_the_next(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        using var entered = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var timer = h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            entered.Set();
            Assert.True(proceed.Wait(TimerHarness.Patience));
            h.Record("finished");
        });

        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(entered.Wait(TimerHarness.Patience));
        Assert.True(timer.IsActive);
        Assert.True(timer.Stop());
        Assert.False(timer.IsActive);
        Assert.False(timer.Stop());
        Assert.Contains("running, stopped", timer.ToString(), StringComparison.Ordinal);
        proceed.Set();

        Assert.Equal(["finished@10"], h.WaitForCalls(1));
        Assert.Empty(h.Step(50, 0));
        Assert.Equal(1, timer.FireCount);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void StopAll_from_a_callback_stops_every_timer_and_returns_without_waiting_for_itself(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        bool? result = null;
        var others = Enumerable.Range(0, 3).Select(i => h.Timers.Every(TimeSpan.FromMilliseconds(20), h.Logs($"o{i}"))).ToList();
        var stopper = h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            result = h.Timers.StopAll();
            h.Record("stopper");
        });

        // On timer threads StopAll stops a step's sentinel too: wait for the call itself.
        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        if (drive == TimerDrive.Pump)
        {
            h.Timers.Pump(TimeSpan.Zero);
        }
        else if (drive == TimerDrive.Update)
        {
            h.Vm.Update();
        }

        Assert.Equal(["stopper@10"], h.WaitForCalls(1));
        Assert.True(result);
        Assert.Equal(0, h.Timers.ActiveCount);
        Assert.False(stopper.IsActive);
        Assert.Empty(h.Step(50, 0));
        Assert.All(others, o => Assert.Equal(0, o.FireCount));
    }

    [Fact]
    public void Threaded_callbacks_that_call_StopAll_at_the_same_time_do_not_wait_for_each_other()
    {
        using var h = new TimerHarness(TimerDrive.Threaded);
        using var both = new Barrier(2);
        var results = new bool?[2];
        var elapsed = new TimeSpan[2];
        for (var i = 0; i < 2; i++)
        {
            var index = i;
            h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
            {
                Assert.True(both.SignalAndWait(TimerHarness.Patience));
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                results[index] = h.Timers.StopAll();
                elapsed[index] = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                h.Record($"s{index}");
            });
        }

        h.Clock.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Equal(2, h.WaitForCalls(2).Length);
        // Each waits for the callbacks running elsewhere, except one that is itself stopping
        // everything: two such would otherwise wait for each other until the timeout.
        Assert.Equal([true, true], results);
        Assert.All(elapsed, e => Assert.True(e < HlTimers.DefaultStopTimeout, $"StopAll took {e}"));
        Assert.Equal(0, h.Timers.ActiveCount);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void Stop_with_a_delegate_stops_every_timer_with_that_delegate_and_no_other(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        Action shared = () => h.Record("shared");
        Action other = () => h.Record("other");
        var a = h.Timers.Every(TimeSpan.FromMilliseconds(10), shared);
        var b = h.Timers.After(TimeSpan.FromMilliseconds(30), shared);
        var c = h.Timers.Every(TimeSpan.FromMilliseconds(10), other);
        Assert.Equal(["other@10", "shared@10"], Sorted(h.Step(10, 2)));

        Assert.Equal(2, h.Timers.Stop(shared));
        Assert.Equal(0, h.Timers.Stop(shared));
        Assert.False(a.IsActive);
        Assert.False(b.IsActive);
        Assert.True(c.IsActive);
        Assert.Equal(["other@20"], h.Step(10, 1));
        Assert.Equal(["other@30"], h.Step(10, 1));
    }

    [Fact]
    public void Stop_with_a_delegate_from_inside_that_delegate_stops_its_own_timers()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        var stopped = -1;
        Action? handler = null;
        handler = () =>
        {
            stopped = h.Timers.Stop(handler!);
            h.Record("h");
        };
        h.Timers.Every(TimeSpan.FromMilliseconds(10), handler);
        h.Timers.Every(TimeSpan.FromMilliseconds(15), handler);

        Assert.Equal(["h@10"], h.Step(10, 1));
        Assert.Equal(2, stopped);
        Assert.Empty(h.Step(50, 0));
    }

    private static string[] Sorted(string[] calls) => [.. calls.Order(StringComparer.Ordinal)];
}
