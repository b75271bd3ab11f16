using System.Collections.Concurrent;
using System.Text;

namespace HlSharp.Api.Tests;

/// <summary>
/// A callback that throws: reported through <see cref="HlVm.UnhandledException"/> (or one line on
/// the program's standard error when nobody listens), its timer stops, the others go on, and
/// nothing reaches the host's thread or the timer threads.
/// </summary>
public sealed class TimerFailureTests
{
    public static TheoryData<TimerDrive> AllDrives => TimerClockTests.AllDrives;

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_throwing_callback_is_reported_with_its_thread_its_repeating_timer_stops_and_the_others_go_on(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        var reports = new ConcurrentQueue<HlUnhandledExceptionEventArgs>();
        using var reported = new SemaphoreSlim(0);
        h.Vm.UnhandledException += (_, e) =>
        {
            reports.Enqueue(e);
            reported.Release();
        };
        var thrownOn = -1;
        var failing = h.Timers.Every(TimeSpan.FromMilliseconds(10), () =>
        {
            thrownOn = Environment.CurrentManagedThreadId;
            h.Record("failing");
            throw new InvalidOperationException("boom from a timer");
        });
        var healthy = h.Timers.Every(TimeSpan.FromMilliseconds(10), h.Logs("healthy"));

        Assert.Equal(["failing@10", "healthy@10"], [.. h.Step(10, 2).Order(StringComparer.Ordinal)]);
        Assert.True(reported.Wait(TimerHarness.Patience));

        var report = Assert.Single(reports);
        Assert.Equal(HlUnhandledExceptionSource.TimerCallback, report.Source);
        var exception = Assert.IsType<InvalidOperationException>(report.Exception);
        Assert.Equal("boom from a timer", exception.Message);
        Assert.Equal(thrownOn, report.Thread.ManagedThreadId);
        var expectedKind = drive switch
        {
            TimerDrive.Pump => HlThreadKind.Host,     // the host's own thread, pumping: not one the VM knows
            TimerDrive.Update => HlThreadKind.Main,   // Update runs on the thread that ran RunEntry
            _ => HlThreadKind.Timer,
        };
        Assert.Equal(expectedKind, report.Thread.Kind);

        Assert.Equal(["healthy@20"], h.Step(10, 1));
        Assert.Equal(["healthy@30"], h.Step(10, 1));
        Assert.False(failing.IsActive);
        Assert.Equal(1, failing.FireCount);
        Assert.Equal(3, healthy.FireCount);
        Assert.Single(reports);
    }

    [Theory]
    [MemberData(nameof(AllDrives))]
    public void A_throwing_callback_stops_its_timer_even_when_it_restarted_itself_first(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        h.Vm.UnhandledException += (_, _) => { };
        HlTimer? self = null;
        self = h.Timers.After(TimeSpan.FromMilliseconds(10), () =>
        {
            self!.Restart();
            h.Record("a");
            throw new InvalidOperationException("after a restart");
        });

        Assert.Equal(["a@10"], h.Step(10, 1));
        Assert.Empty(h.Step(30, 0));
        Assert.False(self.IsActive);
    }

    [Theory]
    [InlineData(TimerDrive.Pump)]
    [InlineData(TimerDrive.Update)]
    [InlineData(TimerDrive.Serialized)]
    public void With_no_UnhandledException_handler_one_line_goes_to_the_programs_standard_error(TimerDrive drive)
    {
        using var h = new TimerHarness(drive);
        h.Timers.Every(TimeSpan.FromMilliseconds(10), h.LogsWhile("failing", _ => throw new FormatException("bad tick")));
        var healthy = h.Timers.Every(TimeSpan.FromMilliseconds(10), h.Logs("healthy"));

        // In serialized mode the step's sentinel runs after the failing call has been reported.
        Assert.Equal(2, h.Step(10, 2).Length);
        Assert.Single(h.Step(10, 1));

        var lines = Encoding.UTF8.GetString(h.Stderr.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.Contains("TimerCallback", line, StringComparison.Ordinal);
        Assert.Contains("FormatException", line, StringComparison.Ordinal);
        Assert.Contains("bad tick", line, StringComparison.Ordinal);
        Assert.Equal(2, healthy.FireCount);
    }

    [Fact]
    public void With_no_handler_a_threaded_callback_that_throws_writes_one_line_and_the_pool_goes_on()
    {
        using var h = new TimerHarness(TimerDrive.Threaded);
        h.Timers.After(TimeSpan.FromMilliseconds(10), () =>
        {
            h.Record("failing");
            throw new FormatException("bad threaded tick");
        });

        Assert.Equal(["failing@10"], h.Step(10, 1));
        // The pool thread that reported it runs the next callbacks too (or another does): they still come.
        var later = h.Timers.Every(TimeSpan.FromMilliseconds(10), h.Logs("later"));
        Assert.Equal(["later@20"], h.Step(10, 1));
        Assert.Equal(["later@30"], h.Step(10, 1));
        Assert.Equal(2, later.FireCount);

        // The line is written before the failing callback returns, and StopAll waits for that.
        Assert.True(h.Timers.StopAll());
        var text = Encoding.UTF8.GetString(h.Stderr.ToArray());
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("bad threaded tick", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_UnhandledException_handler_that_throws_does_not_stop_the_other_timers()
    {
        using var h = new TimerHarness(TimerDrive.Serialized);
        h.Vm.UnhandledException += (_, _) => throw new InvalidOperationException("the handler fails too");
        h.Timers.After(TimeSpan.FromMilliseconds(10), () => throw new FormatException("first"));
        var healthy = h.Timers.Every(TimeSpan.FromMilliseconds(10), h.Logs("healthy"));

        Assert.Equal(["healthy@10"], h.Step(10, 1));
        Assert.Equal(["healthy@20"], h.Step(10, 1));
        Assert.Contains("the handler fails too", Encoding.UTF8.GetString(h.Stderr.ToArray()), StringComparison.Ordinal);
        Assert.Equal(2, healthy.FireCount);
    }
}
