using System.Diagnostics;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// Stopping Haxe code from the host (tests/fixtures/Cancellation): a cancelled token or a timeout
/// stops a call at its next safe point with <see cref="OperationCanceledException"/>, and the VM
/// goes on working. Waits are bounded and long; they only matter when something is broken.
/// </summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("spinEmpty")]
    [InlineData("spinCounting")]
    [InlineData("spinCalling")]
    [InlineData("recurse")]
    [InlineData("sleepForever")]
    [InlineData("waitLock")]
    [InlineData("popDeque")]
    [InlineData("acquireHeld")]
    public void A_cancelled_token_stops_the_call_with_OperationCanceledException_carrying_it(string function)
    {
        using var program = new Program();
        using var cancel = new CancellationTokenSource();

        var call = BackgroundCall.Start(program.Vm, () => program.Vm.CallStatic("Main", function, cancel.Token));
        program.WaitUntilEntered(1);
        cancel.Cancel();

        var error = Assert.IsType<OperationCanceledException>(call.Outcome(Generous), exactMatch: false);
        Assert.Equal(cancel.Token, error.CancellationToken);
    }

    [Fact]
    public void A_timeout_stops_a_loop_that_calls_nothing()
    {
        using var program = new Program();

        // On a loaded machine a short timeout can expire before the loop is even entered (the
        // function is compiled on its first call); the loop's own stop is what is shown here, so
        // the timeout grows until a call got into the loop.
        foreach (var milliseconds in new[] { 200, 1_000, 5_000 })
        {
            var call = BackgroundCall.Start(program.Vm, () => program.Vm.CallStatic("Main", "spinEmpty", TimeSpan.FromMilliseconds(milliseconds)));

            Assert.IsType<OperationCanceledException>(call.Outcome(Generous), exactMatch: false);
            if (program.Main.Get<int>("entered") > 0)
            {
                return;
            }
        }

        Assert.Fail("no call entered the loop before its timeout");
    }

    [Fact]
    public void The_typed_result_overloads_and_the_class_and_object_views_are_cancellable_too()
    {
        using var program = new Program();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => program.Vm.CallStatic<int>("Main", "popDeque", TimeSpan.Zero));
        Assert.Throws<OperationCanceledException>(() => program.Main.Call<int>("popDeque", cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => program.Main.Call("spinEmpty", cancelled.Token));
        var waiter = program.Vm.CallStatic<HlObject>("Main", "newWaiter");
        Assert.Throws<OperationCanceledException>(() => waiter.Call("block", cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => waiter.Call<bool>("block", cancelled.Token));
        Assert.Equal(0, program.Main.Get<int>("entered") + program.Main.Get<int>("waiting"));

        using var later = new CancellationTokenSource();
        var call = BackgroundCall.Start(program.Vm, () => waiter.Call<bool>("block", later.Token));
        Assert.True(SpinWait.SpinUntil(() => program.Main.Get<int>("waiting") == 1, Generous), "the lock was never waited on");
        later.Cancel();
        Assert.IsType<OperationCanceledException>(call.Outcome(Generous), exactMatch: false);
    }

    [Fact]
    public void A_token_already_cancelled_throws_before_any_Haxe_code_runs()
    {
        using var program = new Program();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        var error = Assert.Throws<OperationCanceledException>(() => program.Vm.CallStatic("Main", "spinCounting", cancel.Token));

        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.Equal(0, program.Main.Get<int>("entered"));
        Assert.Throws<OperationCanceledException>(() => program.Vm.CallStatic("Main", "spinCounting", TimeSpan.Zero));
        Assert.Equal(0, program.Main.Get<int>("entered"));
    }

    [Fact]
    public void A_negative_timeout_is_an_argument_error_and_an_infinite_one_never_cancels()
    {
        using var program = new Program();

        Assert.Throws<ArgumentOutOfRangeException>(() => program.Vm.CallStatic("Main", "add", TimeSpan.FromSeconds(-2), 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => program.Vm.CallStatic<int>("Main", "add", TimeSpan.FromTicks(-1), 1, 2));
        Assert.Equal(3, program.Vm.CallStatic<int>("Main", "add", Timeout.InfiniteTimeSpan, 1, 2));
        Assert.Equal(3, program.Vm.CallStatic<int>("Main", "add", CancellationToken.None, 1, 2));
    }

    [Fact]
    public void A_Haxe_catch_cannot_swallow_the_cancellation()
    {
        using var program = new Program();

        var call = BackgroundCall.Start(program.Vm, () => program.Vm.CallStatic("Main", "spinCatching", TimeSpan.FromMilliseconds(200)));

        Assert.IsType<OperationCanceledException>(call.Outcome(Generous), exactMatch: false);
        Assert.Equal(0, program.Main.Get<int>("caught"));
    }

    [Fact]
    public void The_VM_stays_usable_and_statics_keep_their_values_after_a_cancellation()
    {
        using var program = new Program();
        using var cancel = new CancellationTokenSource();
        var call = BackgroundCall.Start(program.Vm, () => program.Vm.CallStatic("Main", "spinCounting", cancel.Token));
        program.WaitUntilEntered(1);
        Assert.True(SpinWait.SpinUntil(() => program.Main.Get<int>("counter") > 1000, Generous), "the loop never counted");
        cancel.Cancel();
        Assert.IsType<OperationCanceledException>(call.Outcome(Generous), exactMatch: false);

        var counted = program.Main.Get<int>("counter");
        Assert.Equal(counted, program.Main.Get<int>("counter"));
        Assert.Equal(counted + 5, program.Vm.CallStatic<int>("Main", "add", counted, 5));
        // The same thread cancels again, and an uncancelled call on it runs to its end.
        Assert.IsType<OperationCanceledException>(
            BackgroundCall.Start(program.Vm, () => program.Vm.CallStatic("Main", "spinCalling", TimeSpan.FromMilliseconds(100))).Outcome(Generous), exactMatch: false);
        Assert.Equal(7, program.Vm.CallStatic<int>("Main", "add", TimeSpan.FromSeconds(30), 3, 4));
    }

    [Fact]
    public void A_nested_call_cancelled_by_its_own_token_leaves_the_outer_call_running()
    {
        using var inner = new CancellationTokenSource();
        Exception? seenByNative = null;
        using var program = new Program(vm => () =>
        {
            try
            {
                vm().CallStatic("Main", "spinEmpty", inner.Token);
                return -1;
            }
            catch (OperationCanceledException e)
            {
                seenByNative = e;
                return 41;
            }
        });
        using var outer = new CancellationTokenSource();

        var call = BackgroundCall.Start(program.Vm, () => program.Vm.CallStatic<int>("Main", "nested", outer.Token));
        program.WaitUntilEntered(2);
        inner.Cancel();

        Assert.Equal(42, call.Result(Generous));
        Assert.Equal(inner.Token, Assert.IsType<OperationCanceledException>(seenByNative, exactMatch: false).CancellationToken);
        Assert.False(outer.IsCancellationRequested);
    }

    [Fact]
    public void Cancelling_the_outer_call_unwinds_the_nested_one_and_the_native_between_them()
    {
        Exception? seenByNative = null;
        using var program = new Program(vm => () =>
        {
            try
            {
                vm().CallStatic("Main", "spinEmpty", CancellationToken.None);
                return -1;
            }
            catch (OperationCanceledException e)
            {
                seenByNative = e;
                throw;
            }
        });
        using var outer = new CancellationTokenSource();

        var call = BackgroundCall.Start(program.Vm, () => program.Vm.CallStatic<int>("Main", "nested", outer.Token));
        program.WaitUntilEntered(2);
        outer.Cancel();

        var error = Assert.IsType<OperationCanceledException>(call.Outcome(Generous), exactMatch: false);
        Assert.Equal(outer.Token, error.CancellationToken);
        Assert.Equal(outer.Token, Assert.IsType<OperationCanceledException>(seenByNative, exactMatch: false).CancellationToken);
        Assert.Equal(3, program.Vm.CallStatic<int>("Main", "add", 1, 2));
    }

    [Fact]
    public void Dispose_stops_a_call_in_a_loop_that_calls_nothing()
    {
        var program = new Program();
        var call = BackgroundCall.Start(program.Vm, () => program.Vm.CallStatic("Main", "spinEmpty"));
        program.WaitUntilEntered(1);

        program.Dispose();

        Assert.IsType<ObjectDisposedException>(call.Outcome(Generous));
    }

    [Fact]
    public void Dispose_ends_twenty_threads_looping_sleeping_and_waiting_and_no_Haxe_code_runs_after_it()
    {
        var started = 0;
        var ticks = 0;
        var ticksAfterDispose = 0;
        var disposed = false;
        var options = new HlVmOptions { StandardOutput = new MemoryStream(), Arguments = ["threads"] };
        options.Natives.Add("host", "started", (Action)(() => Interlocked.Increment(ref started)));
        options.Natives.Add("host", "tick", (Action)(() =>
        {
            Interlocked.Increment(ref ticks);
            if (Volatile.Read(ref disposed))
            {
                Interlocked.Increment(ref ticksAfterDispose);
            }
        }));
        options.Natives.Add("host", "callBack", (Func<int>)(() => 0));
        var vm = HlVm.LoadFile(HaxeFixtures.Compile("Cancellation"), options);
        vm.RunEntry();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref started) == 20, Generous), $"{started} of 20 threads started");
        var before = Volatile.Read(ref ticks);
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref ticks) > before + 10, Generous), "the threads never ticked");

        var watch = Stopwatch.StartNew();
        vm.Dispose();
        Volatile.Write(ref disposed, true);

        // Dispose waits up to 5 seconds for the threads to leave Haxe code: returning sooner means they all did.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4.5), $"Dispose took {watch.Elapsed}");
        var after = Volatile.Read(ref ticks);
        Thread.Sleep(200); // the claim is that nothing happens: give a thread still running time to show itself
        Assert.Equal(after, Volatile.Read(ref ticks));
        Assert.Equal(0, Volatile.Read(ref ticksAfterDispose));
    }

    /// <summary>The Cancellation fixture, loaded and run, with host natives that report to the test.</summary>
    private sealed class Program : IDisposable
    {
        public Program(Func<Func<HlVm>, Func<int>>? callBack = null)
        {
            var options = new HlVmOptions { StandardOutput = new MemoryStream() };
            options.Natives.Add("host", "started", (Action)(() => { }));
            options.Natives.Add("host", "tick", (Action)(() => { }));
            options.Natives.Add("host", "callBack", (callBack ?? (_ => () => 0))(() => Vm!));
            Vm = HlVm.LoadFile(HaxeFixtures.Compile("Cancellation"), options);
            Vm.RunEntry();
            Main = Vm.GetClass("Main");
        }

        public HlVm Vm { get; }

        public HlClass Main { get; }

        /// <summary>Waits until Haxe code has entered the fixture's functions <paramref name="count"/> times.</summary>
        public void WaitUntilEntered(int count) =>
            Assert.True(SpinWait.SpinUntil(() => Main.Get<int>("entered") >= count, Generous), "the Haxe function never ran");

        public void Dispose() => Vm.Dispose();
    }

    /// <summary>
    /// A call made on a host thread of its own (registered with the VM, as a host thread must be),
    /// so the test thread can cancel it and wait for it with a limit.
    /// </summary>
    private sealed class BackgroundCall
    {
        private readonly Thread _thread;
        private object? _result;
        private Exception? _error;

        private BackgroundCall(HlVm vm, Func<object?> call) => _thread = new Thread(() =>
        {
            try
            {
                using (vm.EnterThread())
                {
                    _result = call();
                }
            }
            catch (Exception e)
            {
                _error = e;
            }
        }) { IsBackground = true };

        public static BackgroundCall Start(HlVm vm, Func<object?> call)
        {
            var background = new BackgroundCall(vm, call);
            background._thread.Start();
            return background;
        }

        /// <summary>What the call threw; fails the test if it returned, or did not end in time.</summary>
        public Exception Outcome(TimeSpan limit)
        {
            Assert.True(_thread.Join(limit), "the call did not stop");
            return _error ?? throw new Xunit.Sdk.XunitException($"the call returned {_result ?? "null"} instead of throwing");
        }

        /// <summary>What the call returned; fails the test if it threw, or did not end in time.</summary>
        public object? Result(TimeSpan limit)
        {
            Assert.True(_thread.Join(limit), "the call did not return");
            return _error is null ? _result : throw new Xunit.Sdk.XunitException($"the call threw {_error}");
        }
    }
}
