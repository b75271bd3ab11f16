using System.Collections.Concurrent;
using System.Text;
using HlSharp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace HlSharp.Api.Tests;

/// <summary>
/// The haxelib's <c>hlsharp.Timers</c> (the HlSharpTimers fixture), in pumped mode on a fake
/// clock: the test calls a scenario of the fixture, then moves the clock and runs frames with
/// <see cref="HlVm.Update"/>, and asserts the lines the Haxe callbacks printed in each. One test
/// runs on the real clock, where the callbacks run on timer threads.
/// </summary>
public sealed class HlSharpTimersTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The fixture loaded in pumped mode on a fake clock, its <c>main</c> run.</summary>
    private sealed class PumpedProgram : IDisposable
    {
        private readonly MemoryStream _output = new();
        private int _read;

        public PumpedProgram()
        {
            Vm = HlVm.LoadFile(HaxeFixtures.CompileWithLibrary("HlSharpTimers"), new HlVmOptions { Clock = Clock, StandardOutput = _output });
            // Every hlsharp.Timers native binds (the host's natives are given only to the real-clock tests).
            Assert.Equal(["host@block", "host@reached"], Vm.MissingNatives.Order());
            Vm.UnhandledException += (_, e) => Unhandled.Add(e);
            Vm.Timers.Mode = HlTimerMode.Pumped;
            Vm.RunEntry();
            Assert.Equal(["mode Pumped"], Lines());
        }

        public FakeTimeProvider Clock { get; } = new(Start);

        public HlVm Vm { get; }

        public List<HlUnhandledExceptionEventArgs> Unhandled { get; } = [];

        /// <summary>Moves the clock, runs one frame, and returns the lines printed in it.</summary>
        public string[] Step(int milliseconds)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(milliseconds));
            Vm.Update();
            return Lines();
        }

        /// <summary>Calls a scenario of the fixture and returns what it printed.</summary>
        public string[] Call(string function, params object?[] args)
        {
            Vm.CallStatic("Main", function, args);
            return Lines();
        }

        public T Call<T>(string function, params object?[] args) => Vm.CallStatic<T>("Main", function, args);

        /// <summary>The lines printed since the last look.</summary>
        public string[] Lines()
        {
            var bytes = _output.ToArray();
            var text = Encoding.UTF8.GetString(bytes, _read, bytes.Length - _read);
            _read = bytes.Length;
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }

        public void Dispose()
        {
            Vm.Dispose();
            _output.Dispose();
        }
    }

    [Fact]
    public void Each_kind_fires_at_its_due_time_or_frame_and_not_a_millisecond_or_frame_before()
    {
        using var p = new PumpedProgram();
        Assert.Empty(p.Call("kinds"));

        Assert.Empty(p.Step(10));                                  // frame 1, 10 ms
        Assert.Equal(["afterFrames"], p.Step(10));                 // frame 2, 20 ms
        Assert.Equal(["everyFrames"], p.Step(9));                  // frame 3, 29 ms: every is 1 ms away
        Assert.Equal(["every"], p.Step(1));                        // frame 4, 30 ms
        Assert.Equal(["every"], p.Step(30));                       // frame 5, 60 ms
        Assert.Equal(["every", "everyFrames"], p.Step(30));        // frame 6, 90 ms: time timers first
        Assert.Empty(p.Step(9));                                   // frame 7, 99 ms
        Assert.Equal(["after"], p.Step(1));                        // frame 8, 100 ms
        Assert.Equal(["every", "everyFrames"], p.Step(20));        // frame 9, 120 ms
        Assert.Empty(p.Step(0));
        Assert.Empty(p.Step(0));
        Assert.Equal(["everyFrames"], p.Step(0));                  // frame 12: frames count without the clock

        Assert.Equal(12, p.Call<int>("frame"));
        Assert.Equal(12, p.Vm.Timers.Frame);
        Assert.Equal(2, p.Call<int>("activeCount"));
        Assert.Equal(2, p.Vm.Timers.ActiveCount);
    }

    [Fact]
    public void A_repeating_callback_that_returns_false_stops_and_a_Void_one_goes_on()
    {
        using var p = new PumpedProgram();
        var ids = p.Call<string>("boolStop").Split(',').Select(int.Parse).ToArray();
        var (byTime, byFrame, forever) = (ids[0], ids[1], ids[2]);

        Assert.Equal(["every 1", "void", "frames 1"], p.Step(10));
        Assert.Equal("active=true fired=1 missed=0", p.Call<string>("status", byTime));
        Assert.Equal(["every 2", "void", "frames 2"], p.Step(10));
        Assert.Equal("active=false fired=-1 missed=-1", p.Call<string>("status", byFrame));
        Assert.Equal(["every 3", "void"], p.Step(10));
        Assert.Equal(["void"], p.Step(10));
        Assert.Equal(["void"], p.Step(10));

        Assert.Equal("active=false fired=-1 missed=-1", p.Call<string>("status", byTime));
        Assert.Equal("active=true fired=5 missed=0", p.Call<string>("status", forever));
        Assert.Equal(1, p.Vm.Timers.ActiveCount);
    }

    [Fact]
    public void StopHandler_matches_as_Reflect_compareMethods_and_Dump_names_each_handler()
    {
        using var p = new PumpedProgram();

        Assert.Equal(
            ["ok stop-handler-method", "ok stop-handler-again", "ok stop-handler-static", "ok stop-handler-other-lambda",
             "ok stop-handler-unused", "ok stop-by-id", "ok active-count"],
            p.Call("handlers"));

        // Left: b.tick and the first timer of the local function (a timer of a.tick, of the static function and the second local one were stopped).
        var dump = p.Call<string>("dump").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, dump.Length);
        Assert.Matches(@"^#\d+ Every 10 ms: due in 10 ms, handler Ticker\.tick, fired 0$", dump[0]);
        Assert.Matches(@"^#\d+ Every 10 ms: due in 10 ms, handler \$Main\.~handlers\.\d+, fired 0$", dump[1]);
        Assert.Equal(p.Vm.Timers.Dump(), p.Call<string>("dump"));

        Assert.Equal(["b 1", "local"], p.Step(10));
        Assert.Equal(["b 2", "local"], p.Step(10));
        Assert.Matches(@", handler Ticker\.tick, fired 2$", p.Call<string>("dump").Split('\n')[0]);
    }

    [Fact]
    public void Restart_counts_a_whole_delay_from_now_and_a_late_repeat_coalesces_into_one_call_counted_as_missed()
    {
        using var p = new PumpedProgram();
        var late = p.Call<int>("after", 100.0, "late");
        Assert.Empty(p.Step(60));
        Assert.True(p.Call<bool>("restart", late));
        Assert.Empty(p.Step(99));
        Assert.Equal(["late"], p.Step(1));
        Assert.Equal("active=false fired=-1 missed=-1", p.Call<string>("status", late));
        Assert.False(p.Call<bool>("restart", late));

        var coalesced = p.Call<int>("every", 10.0, "e");
        Assert.Equal(["e"], p.Step(35));                          // due at 10, 20 and 30: one call, two missed
        Assert.Equal("active=true fired=1 missed=2", p.Call<string>("status", coalesced));
        Assert.Equal(["e"], p.Step(5));                           // next due at 40: no drift
        Assert.Equal("active=true fired=2 missed=2", p.Call<string>("status", coalesced));
        Assert.Empty(p.Step(9));
        Assert.Equal(["e"], p.Step(1));

        Assert.Equal("false false false -1 -1", p.Call<string>("unknownIds"));

        // Fractions of a millisecond count: due every 0.25 ms, a 1 ms step makes one call that stands for four.
        var quarter = p.Call<int>("every", 0.25, "quarter");
        Assert.Equal(["quarter", "e"], p.Step(10));                // due first: 0.25 ms after it was added
        Assert.Equal("active=true fired=1 missed=39", p.Call<string>("status", quarter));
        Assert.Equal(["quarter"], p.Step(1));
        Assert.Equal("active=true fired=2 missed=42", p.Call<string>("status", quarter));
    }

    [Fact]
    public void Haxe_and_the_host_share_one_id_space_and_stopAll_stops_both()
    {
        using var p = new PumpedProgram();

        // The host stops a timer Haxe added, by its id.
        var haxeTimer = p.Call<int>("every", 10.0, "haxe");
        Assert.Equal(["haxe"], p.Step(10));
        Assert.True(p.Vm.Timers.Stop(haxeTimer));
        Assert.Empty(p.Step(10));
        Assert.False(p.Call<bool>("stop", haxeTimer));

        // Haxe stops a timer the host added, by its id.
        var hostFired = 0;
        var hostTimer = p.Vm.Timers.Every(TimeSpan.FromMilliseconds(10), () => hostFired++);
        Assert.NotEqual(haxeTimer, hostTimer.Id);
        p.Step(10);
        Assert.True(p.Call<bool>("stop", hostTimer.Id));
        Assert.False(hostTimer.IsActive);
        p.Step(10);
        Assert.Equal(1, hostFired);

        p.Vm.Timers.Every(TimeSpan.FromMilliseconds(10), () => hostFired++);
        p.Call<int>("every", 10.0, "x");
        p.Call<int>("after", 10.0, "y");
        Assert.Equal(3, p.Call<int>("activeCount"));
        Assert.True(p.Call<bool>("stopAll"));
        Assert.Equal(0, p.Call<int>("activeCount"));
        Assert.Empty(p.Step(10));
        Assert.Equal(1, hostFired);
        Assert.Equal("", p.Call<string>("dump"));
    }

    [Fact]
    public void Callbacks_add_stop_and_restart_timers_their_own_included()
    {
        using var p = new PumpedProgram();
        Assert.Empty(p.Call("reentrant"));

        // The parent stops itself and the victim (due at the same moment, after it), and adds a
        // child; the restarter restarts itself and returns false: the restart wins.
        Assert.Equal(["parent", "ok own-stop", "ok victim-stop", "restarter 1", "ok own-restart"], p.Step(10));
        Assert.Equal(["child"], p.Step(5));
        Assert.Equal(["restarter 2"], p.Step(5));
        Assert.Empty(p.Step(10));
        Assert.Equal(0, p.Vm.Timers.ActiveCount);
    }

    [Fact]
    public void A_callback_that_throws_is_reported_to_the_host_and_stops_its_timer_only()
    {
        using var p = new PumpedProgram();
        p.Call("throwing");

        Assert.Equal(["thrower", "survivor"], p.Step(10));
        var report = Assert.Single(p.Unhandled);
        Assert.Equal(HlUnhandledExceptionSource.TimerCallback, report.Source);
        var haxe = Assert.IsType<HlHaxeException>(report.Exception);
        Assert.Equal("boom", haxe.Value);
        Assert.Equal(Environment.CurrentManagedThreadId, report.Thread.ManagedThreadId);   // pumped: on the host's thread

        Assert.Equal(["survivor"], p.Step(10));
        Assert.Equal(["survivor"], p.Step(10));
        Assert.Single(p.Unhandled);
        Assert.Equal(1, p.Vm.Timers.ActiveCount);
    }

    [Fact]
    public void Sys_exit_in_a_callback_ends_the_program_there()
    {
        using var p = new PumpedProgram();
        p.Call("exiting");

        Assert.Equal(["tick"], p.Step(10));
        Assert.Equal(["exiting"], p.Step(5));
        Assert.Equal(7, p.Vm.ExitCode);
        Assert.Empty(p.Step(5));
        Assert.Empty(p.Step(10));
        Assert.Empty(p.Unhandled);
    }

    [Fact]
    public void Bad_arguments_are_catchable_Haxe_exceptions_whose_message_names_the_value()
    {
        using var p = new PumpedProgram();

        const string Positive = "A timer's delay or interval must be a positive, finite number of milliseconds; it was";
        Assert.Equal(
            [$"after-nan: Timers.after: {Positive} NaN.",
             $"after-infinite: Timers.after: {Positive} Infinity.",
             $"every-negative-infinite: Timers.every: {Positive} -Infinity.",
             $"after-zero: Timers.after: {Positive} 0.",
             $"every-negative: Timers.every: {Positive} -2.5.",
             "every-huge: Timers.every: A timer's delay or interval must be finite; 1E+300 ms is beyond TimeSpan.MaxValue.",
             "after-frames-zero: Timers.afterFrames: A frame timer's count must be at least 1; it was 0.",
             "every-frames-negative: Timers.everyFrames: A frame timer's count must be at least 1; it was -3.",
             "after-null: Timers.after: the callback is null; a function is needed",
             "every-null: Timers.every: the callback is null; a function is needed",
             "every-frames-null: Timers.everyFrames: the callback is null; a function is needed",
             "stop-handler-null: Timers.stopHandler: the handler is null; a function is needed",
             "active 0"],
            p.Call<string>("badInput").Split('\n'));
        Assert.Equal(0, p.Vm.Timers.ActiveCount);
    }

    [Theory]
    [InlineData(HlTimerMode.Serialized)]
    [InlineData(HlTimerMode.Threaded)]
    public async Task On_the_real_clock_Haxe_callbacks_run_on_timer_threads_until_they_return_false(HlTimerMode mode)
    {
        var timerThreads = new ConcurrentDictionary<int, HlThreadKind>();
        var reached = new TaskCompletionSource<(int Count, int Thread)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new HlVmOptions { StandardOutput = Stream.Null };
        options.Natives.Add("host", "reached", (Action<int>)(count => reached.TrySetResult((count, Environment.CurrentManagedThreadId))));
        using var vm = HlVm.LoadFile(HaxeFixtures.CompileWithLibrary("HlSharpTimers"), options);
        vm.ThreadStarted += (_, thread) => timerThreads[thread.ManagedThreadId] = thread.Kind;
        vm.Timers.Mode = mode;
        vm.RunEntry();

        vm.CallStatic<int>("Main", "countTo", 20);

        // Bounded: only a failure waits this long.
        var (count, thread) = await reached.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(20, count);
        Assert.Equal(HlThreadKind.Timer, timerThreads[thread]);
        Assert.True(SpinWait.SpinUntil(() => vm.Timers.ActiveCount == 0, TimeSpan.FromSeconds(20)), "the timer did not stop after returning false");
    }

    [Fact]
    public async Task StopAll_from_Haxe_returns_once_a_callback_running_on_a_timer_thread_has_returned()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var options = new HlVmOptions { StandardOutput = Stream.Null };
        options.Natives.Add("host", "block", (Action)(() =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(20));
        }));
        using var vm = HlVm.LoadFile(HaxeFixtures.CompileWithLibrary("HlSharpTimers"), options);
        vm.RunEntry();
        vm.CallStatic<int>("Main", "blocking");
        Assert.True(entered.Wait(TimeSpan.FromSeconds(20)), "the timer's callback did not start");

        var stopping = Task.Run(() =>
        {
            using (vm.EnterThread())
            {
                return vm.CallStatic<bool>("Main", "stopAll");
            }
        });

        // Stopped at once (the running call does not count as active), but it waits for that call to return.
        Assert.True(SpinWait.SpinUntil(() => vm.Timers.ActiveCount == 0, TimeSpan.FromSeconds(20)), "stopAll did not stop the timer");
        Assert.False(stopping.IsCompleted);
        release.Set();
        Assert.True(await stopping.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, vm.Timers.ActiveCount);
    }

    [Fact]
    public void On_a_timer_thread_Sys_exit_in_a_callback_ends_the_program_and_its_other_Haxe_timers_stop()
    {
        using var output = new MemoryStream();
        using var vm = HlVm.LoadFile(HaxeFixtures.CompileWithLibrary("HlSharpTimers"), new HlVmOptions { StandardOutput = output });
        var unhandled = new ConcurrentQueue<HlUnhandledExceptionEventArgs>();
        vm.UnhandledException += (_, e) => unhandled.Enqueue(e);
        vm.RunEntry();

        vm.CallStatic("Main", "exiting");

        // Bounded waits on outcomes: the exit comes at 15 ms; the 10 ms ticker, due again, runs no Haxe code and stops.
        Assert.True(SpinWait.SpinUntil(() => vm.ExitCode is not null, TimeSpan.FromSeconds(20)), "the callback's Sys.exit did not end the program");
        Assert.Equal(7, vm.ExitCode);
        Assert.True(SpinWait.SpinUntil(() => vm.Timers.ActiveCount == 0, TimeSpan.FromSeconds(20)), "the Haxe timers did not stop after the exit");
        // The ticker ran at least once before the exit (more when the machine is slow to add the second timer), never after it.
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("mode Serialized", lines[0]);
        Assert.Equal("exiting", lines[^1]);
        Assert.NotEmpty(lines[1..^1]);
        Assert.All(lines[1..^1], line => Assert.Equal("tick", line));
        Assert.Empty(unhandled);
    }
}
