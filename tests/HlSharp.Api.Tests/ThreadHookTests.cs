using System.Collections.Concurrent;
using System.Text;
using static HlSharp.Api.Tests.HostThreadsFixture;

namespace HlSharp.Api.Tests;

/// <summary>
/// <see cref="HlVm.ThreadStarted"/> and <see cref="HlVm.ThreadExiting"/> run on the thread itself,
/// before its first Haxe code and after its last; <see cref="HlVm.UnhandledException"/> reports
/// what no code could catch, and nothing a hook throws ends the VM or the process.
/// </summary>
public sealed class ThreadHookTests
{
    [Fact]
    public void A_thousand_short_lived_Haxe_threads_each_start_and_exit_once_on_their_own_thread()
    {
        const int Count = 1000;
        var started = new ConcurrentDictionary<HlThread, int>();
        var pairs = new ConcurrentBag<(HlThread Thread, int StartedOn, int ExitedOn)>();
        using var allExited = new CountdownEvent(Count);
        using var vm = Load();
        vm.ThreadStarted += (_, t) => started[t] = Environment.CurrentManagedThreadId;
        vm.ThreadExiting += (_, t) =>
        {
            // A pair is one thread's: Started ran (earlier, on this same thread) before Exiting.
            pairs.Add((t, started.TryRemove(t, out var on) ? on : -1, Environment.CurrentManagedThreadId));
            allExited.Signal();
        };

        Assert.Equal(Count, vm.CallStatic<int>("Threads", "runShortLived", Count));

        Assert.True(allExited.Wait(Patience));
        Assert.Equal(Count, pairs.Count);
        Assert.Empty(started);
        Assert.All(pairs, p =>
        {
            Assert.Equal(HlThreadKind.Haxe, p.Thread.Kind);
            Assert.Equal(p.Thread.ManagedThreadId, p.StartedOn);
            Assert.Equal(p.Thread.ManagedThreadId, p.ExitedOn);
        });
        Assert.Equal(Count, pairs.Select(p => p.Thread).Distinct().Count());
    }

    [Fact]
    public void State_a_ThreadStarted_hook_sets_up_is_visible_to_host_natives_on_that_thread()
    {
        using var state = new ThreadLocal<int>();
        var next = 100;
        using var vm = Load(threadState: () => state.Value);
        vm.ThreadStarted += (_, t) => state.Value = Interlocked.Increment(ref next);

        var first = vm.CallStatic<int>("Threads", "stateOnNewThread");
        var second = vm.CallStatic<int>("Threads", "stateOnNewThread");

        Assert.Equal(101, first);
        Assert.Equal(102, second);
    }

    [Fact]
    public void The_main_thread_starts_at_RunEntry_and_exits_at_a_Dispose_on_it()
    {
        var events = new List<(string What, HlThread Thread, int On)>();
        var vm = Load(beforeRun: v =>
        {
            v.ThreadStarted += (_, t) => events.Add(("started", t, Environment.CurrentManagedThreadId));
            v.ThreadExiting += (_, t) => events.Add(("exiting", t, Environment.CurrentManagedThreadId));
        });
        Assert.Equal(2, vm.CallStatic<int>("Threads", "twice", 1));

        vm.Dispose();

        var me = Environment.CurrentManagedThreadId;
        Assert.Collection(
            events,
            e => Assert.Equal(("started", HlThreadKind.Main, me, me), (e.What, e.Thread.Kind, e.Thread.ManagedThreadId, e.On)),
            e => Assert.Equal(("exiting", HlThreadKind.Main, me, me), (e.What, e.Thread.Kind, e.Thread.ManagedThreadId, e.On)));
        Assert.Same(events[0].Thread, events[1].Thread);
    }

    [Fact]
    public void A_host_thread_starts_at_its_outermost_EnterThread_and_exits_when_that_ends()
    {
        var events = new List<string>();
        using var vm = Load();
        vm.ThreadStarted += (_, t) => events.Add($"started {t.Kind} {t.Name}");
        vm.ThreadExiting += (_, t) => events.Add($"exiting {t.Kind} {t.Name}");

        var error = OnNewThread(
            () =>
            {
                using (vm.EnterThread())
                {
                    events.Add("outer");
                    using (vm.EnterThread())
                    {
                        events.Add("inner " + vm.CallStatic<int>("Threads", "twice", 2));
                    }
                }
            },
            "renderer");

        Assert.Null(error);
        Assert.Equal(["started Host renderer", "outer", "inner 4", "exiting Host renderer"], events);
    }

    [Fact]
    public void Hooks_that_throw_are_reported_and_the_thread_goes_on()
    {
        var reports = new ConcurrentQueue<HlUnhandledExceptionEventArgs>();
        using var vm = Load(callBack: n => n + 1);
        vm.ThreadStarted += (_, _) => throw new InvalidOperationException("started hook failed");
        vm.ThreadExiting += (_, _) => throw new InvalidOperationException("exiting hook failed");
        var afterThrowingHook = 0;
        vm.ThreadStarted += (_, _) => Interlocked.Increment(ref afterThrowingHook);
        vm.UnhandledException += (_, e) => reports.Enqueue(e);

        Assert.Equal(8, vm.CallStatic<int>("Threads", "callBackOnNewThread", 7));
        SpinWait.SpinUntil(() => reports.Count == 2, Patience);

        Assert.Equal(1, afterThrowingHook);
        Assert.Collection(
            reports,
            r => Assert.Equal((HlUnhandledExceptionSource.ThreadStartedHandler, "started hook failed", HlThreadKind.Haxe), (r.Source, r.Exception.Message, r.Thread.Kind)),
            r => Assert.Equal((HlUnhandledExceptionSource.ThreadExitingHandler, "exiting hook failed", HlThreadKind.Haxe), (r.Source, r.Exception.Message, r.Thread.Kind)));
    }

    [Fact]
    public void An_uncaught_exception_on_a_Haxe_thread_is_printed_and_reported_with_its_thread()
    {
        var stdout = new MemoryStream();
        using var reported = new ManualResetEventSlim();
        HlUnhandledExceptionEventArgs? report = null;
        var exiting = 0;
        using var vm = Load(stdout: stdout);
        vm.UnhandledException += (_, e) => { report = e; reported.Set(); };
        vm.ThreadExiting += (_, t) => Interlocked.Increment(ref exiting);

        vm.CallStatic("Threads", "startThrowing");
        Assert.True(reported.Wait(Patience));
        SpinWait.SpinUntil(() => Volatile.Read(ref exiting) == 1, Patience);

        var haxe = Assert.IsType<HlHaxeException>(report!.Exception);
        Assert.Equal("boom from a Haxe thread", haxe.Value);
        Assert.Equal(HlUnhandledExceptionSource.HaxeThread, report.Source);
        Assert.Equal(HlThreadKind.Haxe, report.Thread.Kind);
        Assert.Equal(1, Volatile.Read(ref exiting));
        Assert.Contains("boom from a Haxe thread", Encoding.UTF8.GetString(stdout.ToArray()), StringComparison.Ordinal);
        Assert.Equal(4, vm.CallStatic<int>("Threads", "twice", 2));
    }

    [Fact]
    public void A_throwing_UnhandledException_handler_is_written_to_the_programs_standard_error()
    {
        var stderr = new MemoryStream();
        using var vm = Load(stderr: stderr);
        vm.ThreadStarted += (_, _) => throw new InvalidOperationException("hook");
        vm.UnhandledException += (_, _) => throw new InvalidOperationException("handler failed too");

        var error = OnNewThread(() =>
        {
            using (vm.EnterThread())
            {
                Assert.Equal(6, vm.CallStatic<int>("Threads", "twice", 3));
            }
        });

        Assert.Null(error);
        var text = Encoding.UTF8.GetString(stderr.ToArray());
        Assert.Contains("an UnhandledException handler threw InvalidOperationException (handler failed too)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_throwing_hook_with_no_UnhandledException_handler_is_written_to_standard_error()
    {
        var stderr = new MemoryStream();
        using var vm = Load(stderr: stderr);
        vm.ThreadExiting += (_, _) => throw new InvalidOperationException("nobody listens");

        Assert.Null(OnNewThread(() => vm.EnterThread().Dispose()));

        Assert.Contains("ThreadExitingHandler", Encoding.UTF8.GetString(stderr.ToArray()), StringComparison.Ordinal);
        Assert.Contains("nobody listens", Encoding.UTF8.GetString(stderr.ToArray()), StringComparison.Ordinal);
    }
}
