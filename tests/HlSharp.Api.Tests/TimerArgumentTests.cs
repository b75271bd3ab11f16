namespace HlSharp.Api.Tests;

/// <summary>
/// Misuse of <see cref="HlVm.Timers"/> gets a clear exception that names the value: bad delays,
/// intervals and frame counts, null callbacks, a mode change or a pump at the wrong moment, any
/// use after the VM is disposed; stopping what is not there is a false, not an exception.
/// </summary>
public sealed class TimerArgumentTests
{
    public static TheoryData<TimeSpan, string> BadIntervals => new()
    {
        { TimeSpan.FromMilliseconds(-5), "-5 ms" },
        { TimeSpan.FromTicks(-1), "it was -0.0001 ms" },          // one tick below zero, not "-0 ms"
        { TimeSpan.FromMilliseconds(-0.5), "it was -0.5 ms" },
        { TimeSpan.Zero, "0 ms" },
        { Timeout.InfiniteTimeSpan, "Timeout.InfiniteTimeSpan" },
        { TimeSpan.MinValue, "must be positive" },
        { TimeSpan.MaxValue, "TimeSpan.MaxValue" },
    };

    [Theory]
    [MemberData(nameof(BadIntervals))]
    public void A_delay_or_interval_that_is_not_positive_and_finite_is_refused_naming_the_value(TimeSpan bad, string named)
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        var after = Assert.Throws<ArgumentOutOfRangeException>(() => h.Timers.After(bad, () => { }));
        var every = Assert.Throws<ArgumentOutOfRangeException>(() => h.Timers.Every(bad, () => { }));
        var everyFunc = Assert.Throws<ArgumentOutOfRangeException>(() => h.Timers.Every(bad, () => true));

        Assert.Equal("delay", after.ParamName);
        Assert.Equal("interval", every.ParamName);
        Assert.Equal("interval", everyFunc.ParamName);
        Assert.All([after, every, everyFunc], e =>
        {
            Assert.Contains(named, e.Message, StringComparison.Ordinal);
            Assert.Equal(bad, e.ActualValue);
        });
        Assert.Equal(0, h.Timers.ActiveCount);
        Assert.Equal("", h.Timers.Dump());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void A_frame_count_below_one_is_refused_naming_the_value(int frames)
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        var errors = new[]
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => h.Timers.AfterFrames(frames, () => { })),
            Assert.Throws<ArgumentOutOfRangeException>(() => h.Timers.EveryFrames(frames, () => { })),
            Assert.Throws<ArgumentOutOfRangeException>(() => h.Timers.EveryFrames(frames, () => true)),
        };

        Assert.All(errors, e =>
        {
            Assert.Equal("frames", e.ParamName);
            Assert.Contains($"it was {frames}", e.Message, StringComparison.Ordinal);
        });
        Assert.Equal(0, h.Timers.ActiveCount);
    }

    [Fact]
    public void A_null_callback_or_handler_is_refused_naming_the_parameter()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        var oneMs = TimeSpan.FromMilliseconds(1);

        Assert.Equal("callback", Assert.Throws<ArgumentNullException>(() => h.Timers.After(oneMs, null!)).ParamName);
        Assert.Equal("callback", Assert.Throws<ArgumentNullException>(() => h.Timers.Every(oneMs, (Action)null!)).ParamName);
        Assert.Equal("callback", Assert.Throws<ArgumentNullException>(() => h.Timers.Every(oneMs, (Func<bool>)null!)).ParamName);
        Assert.Equal("callback", Assert.Throws<ArgumentNullException>(() => h.Timers.AfterFrames(1, null!)).ParamName);
        Assert.Equal("callback", Assert.Throws<ArgumentNullException>(() => h.Timers.EveryFrames(1, (Action)null!)).ParamName);
        Assert.Equal("callback", Assert.Throws<ArgumentNullException>(() => h.Timers.EveryFrames(1, (Func<bool>)null!)).ParamName);
        Assert.Equal("handler", Assert.Throws<ArgumentNullException>(() => h.Timers.Stop((Delegate)null!)).ParamName);
        Assert.Equal(0, h.Timers.ActiveCount);
    }

    [Fact]
    public void Negative_timeouts_for_StopAll_and_Pump_are_refused()
    {
        using var h = new TimerHarness(TimerDrive.Pump);

        Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => h.Timers.StopAll(TimeSpan.FromMilliseconds(-1))).ParamName);
        Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => h.Timers.Pump(TimeSpan.FromMilliseconds(-2))).ParamName);
        Assert.Equal(0, h.Timers.Pump(TimeSpan.Zero));
    }

    [Fact]
    public void Stopping_an_unknown_or_finished_id_returns_false_and_HlTimer_Stop_says_whether_it_stopped()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        var once = h.Timers.After(TimeSpan.FromMilliseconds(5), h.Logs("once"));
        var every = h.Timers.Every(TimeSpan.FromMilliseconds(5), h.Logs("every"));
        Assert.NotEqual(once.Id, every.Id);

        Assert.False(h.Timers.Stop(12345));
        Assert.False(h.Timers.Stop(0));
        Assert.False(h.Timers.Stop(-1));
        Assert.Equal(2, h.Step(5, 2).Length);
        Assert.False(h.Timers.Stop(once.Id));
        Assert.False(once.Stop());

        Assert.True(every.Stop());
        Assert.False(every.Stop());
        Assert.False(h.Timers.Stop(every.Id));

        var byId = h.Timers.Every(TimeSpan.FromMilliseconds(5), h.Logs("by id"));
        Assert.True(h.Timers.Stop(byId.Id));
        Assert.False(h.Timers.Stop(byId.Id));
        Assert.False(byId.Stop());
        Assert.Equal(0, h.Timers.ActiveCount);
    }

    [Fact]
    public void Ids_stay_unique_among_live_timers()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        var timers = Enumerable.Range(0, 200).Select(_ => h.Timers.Every(TimeSpan.FromMilliseconds(1), () => { })).ToList();

        Assert.Equal(200, timers.Select(t => t.Id).Distinct().Count());
        Assert.Equal(200, h.Timers.ActiveCount);
    }

    [Fact]
    public void Changing_the_mode_from_inside_a_callback_throws_and_the_mode_stays()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        Exception? error = null;
        h.Timers.After(TimeSpan.FromMilliseconds(1), () => error = Record.Exception(() => h.Timers.Mode = HlTimerMode.Threaded));

        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, h.Timers.Pump(TimeSpan.Zero));

        var refused = Assert.IsType<InvalidOperationException>(error);
        Assert.Contains("callback runs", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HlTimerMode.Pumped, h.Timers.Mode);
    }

    [Fact]
    public void Changing_the_mode_from_another_thread_while_a_callback_runs_throws_and_works_once_it_returned()
    {
        using var h = new TimerHarness(TimerDrive.Serialized);
        using var entered = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        h.Timers.After(TimeSpan.FromMilliseconds(1), () =>
        {
            entered.Set();
            Assert.True(proceed.Wait(TimerHarness.Patience));
            h.Record("blocked");
        });

        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(entered.Wait(TimerHarness.Patience));
        var refused = Assert.Throws<InvalidOperationException>(() => h.Timers.Mode = HlTimerMode.Pumped);
        Assert.Contains("1 running now", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HlTimerMode.Serialized, h.Timers.Mode);
        proceed.Set();
        h.WaitForCalls(1);
        Assert.True(h.Timers.StopAll());

        h.Timers.Mode = HlTimerMode.Pumped;
        Assert.Equal(HlTimerMode.Pumped, h.Timers.Mode);
    }

    [Theory]
    [InlineData(HlTimerMode.Serialized)]
    [InlineData(HlTimerMode.Threaded)]
    public void Pump_in_a_mode_that_is_not_pumped_throws_naming_the_mode(HlTimerMode mode)
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        h.Timers.Mode = mode;

        var refused = Assert.Throws<InvalidOperationException>(() => h.Timers.Pump(TimeSpan.Zero));
        Assert.Contains(mode.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.Null(h.Timers.TimeUntilNextDue);
    }

    [Fact]
    public void Pump_from_a_callback_throws_and_the_outer_pump_goes_on()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        Exception? error = null;
        h.Timers.After(TimeSpan.FromMilliseconds(1), () => error = Record.Exception(() => h.Timers.Pump(TimeSpan.Zero)));
        h.Timers.After(TimeSpan.FromMilliseconds(1), h.Logs("next"));

        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, h.Timers.Pump(TimeSpan.Zero));

        Assert.IsType<InvalidOperationException>(error);
        Assert.Equal(["next@1"], h.WaitForCalls(1));
    }

    [Fact]
    public void Update_from_a_pumped_callback_throws()
    {
        using var h = new TimerHarness(TimerDrive.Update);
        Exception? error = null;
        h.Timers.After(TimeSpan.FromMilliseconds(1), () => error = Record.Exception(h.Vm.Update));

        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        h.Vm.Update();

        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public void Pump_while_another_thread_pumps_throws_naming_that_thread()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        using var entered = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        h.Timers.After(TimeSpan.FromMilliseconds(1), () =>
        {
            entered.Set();
            Assert.True(proceed.Wait(TimerHarness.Patience));
        });
        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var pumper = new Thread(() => h.Timers.Pump(TimeSpan.Zero));
        pumper.Start();

        Assert.True(entered.Wait(TimerHarness.Patience));
        var refused = Assert.Throws<InvalidOperationException>(() => h.Timers.Pump(TimeSpan.Zero));
        Assert.Contains($"managed thread {pumper.ManagedThreadId}", refused.Message, StringComparison.Ordinal);
        proceed.Set();
        Assert.True(pumper.Join(TimerHarness.Patience));
        Assert.Equal(0, h.Timers.Pump(TimeSpan.Zero));
    }

    [Fact]
    public void After_the_VM_is_disposed_adding_restarting_and_changing_the_mode_throw_ObjectDisposedException()
    {
        var h = new TimerHarness(TimerDrive.Pump);
        var timer = h.Timers.Every(TimeSpan.FromMilliseconds(1), () => { });
        var timers = h.Timers;
        h.Dispose();

        Assert.Throws<ObjectDisposedException>(() => timers.After(TimeSpan.FromMilliseconds(1), () => { }));
        Assert.Throws<ObjectDisposedException>(() => timers.Every(TimeSpan.FromMilliseconds(1), () => { }));
        Assert.Throws<ObjectDisposedException>(() => timers.Every(TimeSpan.FromMilliseconds(1), () => true));
        Assert.Throws<ObjectDisposedException>(() => timers.AfterFrames(1, () => { }));
        Assert.Throws<ObjectDisposedException>(() => timers.EveryFrames(1, () => { }));
        Assert.Throws<ObjectDisposedException>(() => timers.EveryFrames(1, () => true));
        Assert.Throws<ObjectDisposedException>(timer.Restart);
        Assert.Throws<ObjectDisposedException>(() => timers.Mode = HlTimerMode.Threaded);
        Assert.Throws<ObjectDisposedException>(() => timers.Pump(TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(timers.AdvanceFrame);

        // Reading and stopping stay harmless: the timers are all stopped.
        Assert.False(timer.IsActive);
        Assert.False(timer.Stop());
        Assert.Equal(0, timers.ActiveCount);
        Assert.True(timers.StopAll());
        Assert.Equal("", timers.Dump());
    }
}
