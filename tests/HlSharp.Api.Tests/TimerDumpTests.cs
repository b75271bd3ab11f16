namespace HlSharp.Api.Tests;

/// <summary>
/// <see cref="HlTimers.Dump"/>: one line per live timer, by id, with its kind and period, when it
/// is due, its handler's name and how often it fired (and missed); <see cref="HlTimer.ToString"/>
/// is that line. The parts are asserted, not the whole line, so wording may improve.
/// </summary>
public sealed class TimerDumpTests
{
    [Fact]
    public void Each_live_timer_has_one_line_with_id_kind_period_due_handler_and_fired_count()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        var after = h.Timers.After(TimeSpan.FromMilliseconds(10), Tick);
        var every = h.Timers.Every(TimeSpan.FromMilliseconds(0.25), Tick);
        var everyFunc = h.Timers.Every(TimeSpan.FromMilliseconds(40), KeepTicking);
        var afterFrames = h.Timers.AfterFrames(3, Tick);
        var everyFrames = h.Timers.EveryFrames(1, Tick);
        var everyTwoFrames = h.Timers.EveryFrames(2, KeepTicking);

        var lines = Lines(h.Timers.Dump());

        Assert.Equal(6, lines.Length);
        HlTimer[] byId = [after, every, everyFunc, afterFrames, everyFrames, everyTwoFrames];
        Assert.Equal([.. byId.Select(t => t.Id).Order()], lines.Select(IdOf));
        AssertLine(after, lines, "After", "10 ms", "due in 10 ms", "TimerDumpTests.Tick", "fired 0");
        AssertLine(every, lines, "Every", "0.25 ms", "due in 0.25 ms", "TimerDumpTests.Tick", "fired 0");
        AssertLine(everyFunc, lines, "Every", "40 ms", "due in 40 ms", "TimerDumpTests.KeepTicking", "fired 0");
        AssertLine(afterFrames, lines, "AfterFrames", "3 frames", "due at frame 3 (now 0)", "TimerDumpTests.Tick", "fired 0");
        AssertLine(everyFrames, lines, "EveryFrames", "1 frame", "due at frame 1 (now 0)", "TimerDumpTests.Tick", "fired 0");
        AssertLine(everyTwoFrames, lines, "EveryFrames", "2 frames", "due at frame 2 (now 0)", "TimerDumpTests.KeepTicking", "fired 0");
        Assert.All(byId, t => Assert.Contains(t.ToString(), lines));
    }

    [Fact]
    public void Lines_follow_the_timers_due_times_fired_and_missed_counts()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        var every = h.Timers.Every(TimeSpan.FromMilliseconds(10), Tick);
        var frames = h.Timers.EveryFrames(2, Tick);

        h.Clock.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Contains("due in 6 ms", every.ToString(), StringComparison.Ordinal);

        h.Clock.Advance(TimeSpan.FromMilliseconds(31));   // at 35: one call for 30, two missed
        h.Timers.AdvanceFrame();
        h.Timers.AdvanceFrame();
        Assert.Equal(2, h.Timers.Pump(TimeSpan.Zero));

        var line = every.ToString();
        Assert.Contains("fired 1", line, StringComparison.Ordinal);
        Assert.Contains("missed 2", line, StringComparison.Ordinal);
        Assert.Contains("due in 5 ms", line, StringComparison.Ordinal);
        Assert.Contains("fired 1", frames.ToString(), StringComparison.Ordinal);
        Assert.Contains("due at frame 4 (now 2)", frames.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("missed", frames.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Finished_and_stopped_timers_are_not_in_the_dump_and_their_own_line_says_what_they_are()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        var once = h.Timers.After(TimeSpan.FromMilliseconds(10), Tick);
        var stopped = h.Timers.Every(TimeSpan.FromMilliseconds(10), Tick);
        var live = h.Timers.Every(TimeSpan.FromMilliseconds(10), Tick);
        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(3, h.Timers.Pump(TimeSpan.Zero));
        stopped.Stop();

        var lines = Lines(h.Timers.Dump());

        Assert.Equal([live.Id], lines.Select(IdOf));
        Assert.Contains("finished", once.ToString(), StringComparison.Ordinal);
        Assert.Contains("fired 1", once.ToString(), StringComparison.Ordinal);
        Assert.Contains("stopped", stopped.ToString(), StringComparison.Ordinal);
        Assert.Equal(live.ToString(), Assert.Single(lines));

        h.Timers.StopAll();
        Assert.Equal("", h.Timers.Dump());
    }

    [Fact]
    public void A_running_timer_says_so_in_the_dump_a_callback_takes()
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        string? dump = null;
        HlTimer? self = null;
        self = h.Timers.Every(TimeSpan.FromMilliseconds(10), () => dump = h.Timers.Dump());
        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        h.Timers.Pump(TimeSpan.Zero);

        var line = Assert.Single(Lines(dump!));
        Assert.Contains($"#{self.Id} ", line, StringComparison.Ordinal);
        Assert.Contains("running", line, StringComparison.Ordinal);
        Assert.Contains("fired 1", line, StringComparison.Ordinal);
    }

    private static void Tick()
    {
    }

    private static bool KeepTicking() => true;

    private static string[] Lines(string dump) => dump.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static int IdOf(string line) => int.Parse(line[1..line.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertLine(HlTimer timer, string[] lines, params string[] parts)
    {
        var line = Assert.Single(lines, l => l.StartsWith($"#{timer.Id} ", StringComparison.Ordinal));
        Assert.Equal(line, timer.ToString());
        foreach (var part in parts)
        {
            Assert.Contains(part, line, StringComparison.Ordinal);
        }
    }
}
