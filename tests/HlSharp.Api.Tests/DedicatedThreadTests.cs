using System.Collections.Concurrent;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// <see cref="HlVm.StartOnDedicatedThread(string, HlVmOptions?, Action{HlVm}?)"/>: the program runs on a thread
/// of the VM's own and the host posts calls to it (tests/fixtures/DedicatedThread, whose first
/// argument picks what main does). Real threads, bounded waits that only matter on failure.
/// </summary>
public sealed class DedicatedThreadTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static HlDedicatedVm Start(string scenario, HlVmOptions? options = null)
    {
        options ??= new HlVmOptions { StandardOutput = new MemoryStream(), Arguments = [scenario] };
        return HlVm.StartOnDedicatedThread(HaxeFixtures.Compile("DedicatedThread"), options);
    }

    private static int Add(HlVm vm, int a, int b) => vm.CallStatic<int>("Main", "add", a, b);

    [Fact]
    public async Task A_main_that_returns_leaves_a_thread_that_serves_calls_until_stopped()
    {
        var output = new MemoryStream();
        var server = Start("returns", new HlVmOptions { StandardOutput = output, Arguments = ["returns"] });

        await server.Completion.WaitAsync(Limit);
        var (sum, thread) = server.Invoke(v => (Add(v, 2, 3), Environment.CurrentManagedThreadId));
        var asyncSum = await server.InvokeAsync(v => Add(v, 4, 5)).WaitAsync(Limit);
        await server.StopAsync(Limit);

        Assert.Equal(5, sum);
        Assert.Equal(9, asyncSum);
        Assert.Equal(server.ManagedThreadId, thread);
        Assert.NotEqual(Environment.CurrentManagedThreadId, thread);
        Assert.Equal("main returns\n", System.Text.Encoding.UTF8.GetString(output.ToArray()));
        Assert.Null(server.ExitCode);
    }

    [Fact]
    public async Task Hooks_subscribed_before_entry_see_the_VM_thread_start_and_exit_on_itself()
    {
        var events = new ConcurrentQueue<(string Hook, HlThreadKind Kind, int Thread)>();
        var options = new HlVmOptions { StandardOutput = new MemoryStream(), Arguments = ["sleep-loop"] };
        var server = HlVm.StartOnDedicatedThread(HaxeFixtures.Compile("DedicatedThread"), options, vm =>
        {
            vm.ThreadStarted += (_, t) => events.Enqueue(("started", t.Kind, Environment.CurrentManagedThreadId));
            vm.ThreadExiting += (_, t) => events.Enqueue(("exiting", t.Kind, Environment.CurrentManagedThreadId));
        });

        Assert.Equal(42, await server.InvokeAsync(v => Add(v, 40, 2)).WaitAsync(Limit));
        await server.StopAsync(Limit);

        Assert.Equal(
            [("started", HlThreadKind.Dedicated, server.ManagedThreadId), ("exiting", HlThreadKind.Dedicated, server.ManagedThreadId)],
            events.ToArray());
    }

    [Fact]
    public void A_failing_beforeEntry_reaches_the_caller_and_runs_no_Haxe_code()
    {
        var output = new MemoryStream();
        var options = new HlVmOptions { StandardOutput = output, Arguments = ["returns"] };

        var error = Assert.Throws<InvalidOperationException>(() =>
            HlVm.StartOnDedicatedThread(HaxeFixtures.Compile("DedicatedThread"), options, _ => throw new InvalidOperationException("no hooks today")));

        Assert.Equal("no hooks today", error.Message);
        Assert.Empty(output.ToArray());
    }

    [Fact]
    public async Task A_main_that_loops_forever_with_a_sleep_answers_at_the_sleep()
    {
        var server = Start("sleep-loop");

        var ticks = server.Invoke(v => v.CallStatic<int>("Main", "getTicks"));
        var sum = await server.InvokeAsync(v => Add(v, 20, 22)).WaitAsync(Limit);

        Assert.True(ticks > 0, "the call ran inside main's Sys.sleep, after main's first tick");
        Assert.Equal(42, sum);
        Assert.False(server.Completion.IsCompleted);
        await server.StopAsync(Limit);
        Assert.True(server.Completion.IsCanceled, "main was stopped, it did not end by itself");
    }

    [Fact]
    public async Task The_event_loop_after_main_answers_between_frames_and_ends_when_it_has_nothing_left()
    {
        await using var server = Start("timer");

        var sum = server.Invoke(v => Add(v, 1, 2));
        var product = await server.InvokeAsync(v => Add(v, 3, 3)).WaitAsync(Limit);
        Assert.False(server.Completion.IsCompleted, "a timer that runs forever keeps the program's event loop going");
        server.Invoke(v => v.CallStatic("Main", "stopTimer"));
        await server.Completion.WaitAsync(Limit);

        Assert.Equal(3, sum);
        Assert.Equal(6, product);
        Assert.Equal(5, server.Invoke(v => Add(v, 2, 3)));
    }

    [Fact]
    public async Task A_main_blocked_on_a_lock_answers_and_goes_on_when_a_call_releases_it()
    {
        var output = new MemoryStream();
        await using var server = Start("lock", new HlVmOptions { StandardOutput = output, Arguments = ["lock"] });

        Assert.Equal(3, server.Invoke(v => Add(v, 1, 2)));
        Assert.False(server.Completion.IsCompleted);
        server.Invoke(v => v.CallStatic("Main", "release"));
        await server.Completion.WaitAsync(Limit);

        Assert.Contains("main released", System.Text.Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
        Assert.Equal(7, server.Invoke(v => Add(v, 3, 4)));
    }

    [Fact]
    public async Task Concurrent_callers_each_get_their_own_answers_and_no_call_is_lost()
    {
        const int Callers = 8, Calls = 200;
        await using var server = Start("sleep-loop");
        var totals = new ConcurrentBag<int>();

        var callers = Enumerable.Range(0, Callers).Select(caller => Task.Factory.StartNew(async () =>
        {
            for (var i = 0; i < Calls; i++)
            {
                // Half the calls wait synchronously, half asynchronously; each answer is the caller's own.
                var sum = i % 2 == 0
                    ? server.Invoke(v => Add(v, caller * 1000, i))
                    : await server.InvokeAsync(v => Add(v, caller * 1000, i)).ConfigureAwait(false);
                Assert.Equal((caller * 1000) + i, sum);
                totals.Add(await server.InvokeAsync(v => v.CallStatic<int>("Main", "accumulate", 1)).ConfigureAwait(false));
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToArray();
        await Task.WhenAll(callers).WaitAsync(Limit);

        // The running total saw every call exactly once: the answers are 1 .. 1600, each once.
        Assert.Equal(Enumerable.Range(1, Callers * Calls), totals.Order());
    }

    [Fact]
    public async Task A_Haxe_exception_reaches_the_caller_with_its_Haxe_and_NET_stacks()
    {
        await using var server = Start("returns");

        var sync = Assert.Throws<HlHaxeException>(() => server.Invoke(v => v.CallStatic("Main", "fail", "bad call")));
        var posted = await Assert.ThrowsAsync<HlHaxeException>(() => server.InvokeAsync(v => v.CallStatic("Main", "fail", "bad post")));

        Assert.Equal("bad call", sync.Value);
        Assert.Equal("bad post", posted.Value);
        Assert.Contains(sync.HaxeStack, f => f.StartsWith("$Main.fail(", StringComparison.Ordinal));
        // The .NET stack is the one it was thrown with on the VM thread, not the caller's rethrow.
        Assert.Contains(nameof(HlVm.CallStatic), sync.StackTrace, StringComparison.Ordinal);
        Assert.Contains(nameof(HlVm.CallStatic), posted.StackTrace, StringComparison.Ordinal);
        Assert.Equal(3, server.Invoke(v => Add(v, 1, 2)));
    }

    [Fact]
    public async Task A_call_from_the_VM_thread_runs_inline()
    {
        var serverReady = new TaskCompletionSource<HlDedicatedVm>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fromNative = new TaskCompletionSource<(int Sum, int Thread)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new HlVmOptions { StandardOutput = new MemoryStream(), Arguments = ["block-native"] };
        options.Natives.Add("host", "block", () =>
        {
            // A host native on the VM thread calls back through the owner: it runs at once, inline.
            var server = serverReady.Task.WaitAsync(Limit).GetAwaiter().GetResult();
            fromNative.SetResult(server.Invoke(v => (Add(v, 10, 1), Environment.CurrentManagedThreadId)));
        });
        await using var server = Start("block-native", options);
        serverReady.SetResult(server);

        var (nativeSum, nativeThread) = await fromNative.Task.WaitAsync(Limit);
        var nested = server.Invoke(v => server.Invoke(w => Add(w, 5, 6)));
        var nestedAsync = server.Invoke(v => server.InvokeAsync(w => Add(w, 7, 8)));
        // Waiting for the thread to end from the thread itself could never return: refused.
        var selfDispose = server.Invoke(v => Record.Exception(server.Dispose));

        Assert.Equal(11, nativeSum);
        Assert.Equal(server.ManagedThreadId, nativeThread);
        Assert.Equal(11, nested);
        Assert.True(nestedAsync.IsCompletedSuccessfully, "an InvokeAsync on the VM thread has run when it returns");
        Assert.Equal(15, await nestedAsync);
        Assert.IsType<InvalidOperationException>(selfDispose);
    }

    [Fact]
    public async Task A_queued_call_is_cancelled_by_its_token_and_unserved_calls_fail_when_stopping()
    {
        // A main that spins never waits, so it serves nothing: posted calls stay queued.
        var server = Start("spin");
        using var cancel = new CancellationTokenSource();

        var cancelled = server.InvokeAsync(v => Add(v, 1, 1), cancel.Token);
        var unserved = server.InvokeAsync(v => Add(v, 2, 2));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Limit));
        Assert.False(unserved.IsCompleted);
        // The spinning main stops at a loop back-edge; the call it never served fails.
        await server.StopAsync(Limit);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => unserved.WaitAsync(Limit));
        Assert.True(server.Completion.IsCanceled);
        Assert.Throws<ObjectDisposedException>(() => server.Invoke(v => Add(v, 3, 3)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => server.InvokeAsync(v => Add(v, 3, 3)));
    }

    [Fact]
    public async Task A_running_call_is_cancelled_at_its_next_safe_point_and_the_thread_goes_on_serving()
    {
        await using var server = Start("sleep-loop");
        using var cancel = new CancellationTokenSource();
        using var running = new ManualResetEventSlim();

        var spinning = server.InvokeAsync(v =>
        {
            running.Set();
            return v.CallStatic<int>("Main", "spinForever");
        }, cancel.Token);
        Assert.True(running.Wait(Limit), "the call never started");
        await cancel.CancelAsync();

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => spinning.WaitAsync(Limit));
        Assert.Equal(cancel.Token, thrown.CancellationToken);
        Assert.Equal(9, server.Invoke(v => Add(v, 4, 5)));
        var timedOut = await Assert.ThrowsAsync<TimeoutException>(
            () => server.InvokeAsync(v => v.CallStatic<int>("Main", "spinForever"), TimeSpan.FromMilliseconds(50)).WaitAsync(Limit));
        Assert.IsAssignableFrom<OperationCanceledException>(timedOut.InnerException);
        Assert.Equal(10, server.Invoke(v => Add(v, 5, 5)));
    }

    [Fact]
    public async Task A_call_posted_while_another_runs_waits_for_it_and_is_never_served_at_a_poll()
    {
        await using var server = Start("returns");
        await server.Completion.WaitAsync(Limit);
        using var cancel = new CancellationTokenSource();
        using var running = new ManualResetEventSlim();
        var insideFirst = false;

        var first = server.InvokeAsync(v =>
        {
            insideFirst = true;
            running.Set();
            try
            {
                return v.CallStatic<int>("Main", "spinForever");
            }
            finally
            {
                insideFirst = false;
            }
        }, cancel.Token);
        Assert.True(running.Wait(Limit), "the first call never started");
        var second = server.InvokeAsync(v => insideFirst ? -1 : Add(v, 1, 1));
        // The cancellation interrupts the spinning call: its next poll attends, and must not serve
        // the queued call there, in the middle of running code.
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Limit));
        Assert.Equal(2, await second.WaitAsync(Limit));
    }

    [Fact]
    public async Task A_stop_that_does_not_finish_in_time_is_reported_and_can_be_waited_for_again()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var options = new HlVmOptions { StandardOutput = new MemoryStream(), Arguments = ["block-native"] };
        options.Natives.Add("host", "block", () =>
        {
            entered.Set();
            release.Wait(Limit);
        });
        var server = Start("block-native", options);
        Assert.True(entered.Wait(Limit));

        var late = await Assert.ThrowsAsync<TimeoutException>(() => server.StopAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Contains("running main", late.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => server.Invoke(v => Add(v, 1, 1)));
        release.Set();
        await server.StopAsync(Limit);

        Assert.True(server.Completion.IsCanceled);
    }

    [Fact]
    public async Task Main_that_throws_faults_Completion_keeps_serving_and_StopAsync_rethrows()
    {
        var server = Start("throw");

        var failure = await Assert.ThrowsAsync<HlHaxeException>(() => server.Completion.WaitAsync(Limit));
        Assert.Equal("boom from main", failure.Value);
        Assert.Equal(2, server.Invoke(v => Add(v, 1, 1)));
        var rethrown = await Assert.ThrowsAsync<HlHaxeException>(() => server.StopAsync(Limit));

        Assert.Same(failure, rethrown);
    }

    [Fact]
    public async Task Sys_exit_in_main_completes_with_the_exit_code()
    {
        await using var server = Start("exit");

        await server.Completion.WaitAsync(Limit);

        Assert.Equal(7, server.ExitCode);
    }

    [Fact]
    public async Task Start_stop_and_start_again_in_one_process()
    {
        for (var cycle = 0; cycle < 4; cycle++)
        {
            var server = Start(cycle % 2 == 0 ? "sleep-loop" : "returns");
            Assert.Equal(cycle + 1, server.Invoke(v => Add(v, cycle, 1)));
            await server.StopAsync(Limit);
            Assert.Throws<ObjectDisposedException>(() => server.Invoke(v => Add(v, 1, 1)));
        }
    }

    [Fact]
    public void Load_failures_reach_the_caller_of_StartOnDedicatedThread()
    {
        Assert.Throws<FileNotFoundException>(() => HlVm.StartOnDedicatedThread(Path.Combine(Path.GetTempPath(), "no-such-program.hl")));
        Assert.Throws<HlFormatException>(() => HlVm.StartOnDedicatedThread("not bytecode"u8));
        // The fixture names a host native nobody registered here.
        var strict = new HlVmOptions { StandardOutput = new MemoryStream(), Arguments = ["returns"], StrictNatives = true };
        var load = Assert.Throws<HlLoadException>(() => HlVm.StartOnDedicatedThread(HaxeFixtures.Bytes("DedicatedThread"), strict));
        Assert.Contains("host@block", load.Message, StringComparison.Ordinal);
    }
}
