using System.Diagnostics;
using static HlSharp.Api.Tests.HostThreadsFixture;

namespace HlSharp.Api.Tests;

/// <summary>
/// Host threads and the VM: a thread the VM does not know may not call into Haxe code until it
/// registers (<see cref="HlVm.EnterThread"/>, or <see cref="HlVmOptions.AutoRegisterThreads"/>);
/// <see cref="HlVm.Blocking"/> marks a wait outside Haxe code; misuse is an exception, never a hang.
/// </summary>
public sealed class HostThreadTests
{
    [Fact]
    public void An_unregistered_thread_is_refused_on_every_lane_with_its_id_and_name()
    {
        using var vm = Load();
        var twice = vm.GetFunction<Func<int, int>>("Threads", "twice");           // the direct lane
        var greet = vm.GetFunction<Func<string, string>>("Threads", "greet");      // the untyped lane
        var counter = vm.GetClass("Counter");
        var errors = new List<(Exception? Error, int Thread)>();
        void Try(Action call)
        {
            var id = 0;
            var error = OnNewThread(() => { id = Environment.CurrentManagedThreadId; call(); }, "worker-7");
            errors.Add((error, id));
        }

        Try(() => twice(1));
        Try(() => greet("Ada"));
        Try(() => vm.CallStatic<int>("Threads", "twice", 1));
        Try(() => counter.Call<int>("increment"));

        Assert.All(errors, e =>
        {
            var (thrown, id) = e;
            var error = Assert.IsType<HlThreadException>(thrown);
            Assert.Contains($"managed thread {id} 'worker-7'", error.Message, StringComparison.Ordinal);
            Assert.Contains("EnterThread", error.Message, StringComparison.Ordinal);
            Assert.Equal(id, error.ManagedThreadId);
        });
        Assert.Equal(0, vm.CallStatic<int>("Counter", "get"));
    }

    [Fact]
    public void A_registered_thread_calls_in_and_is_refused_again_once_its_handle_is_disposed()
    {
        using var vm = Load();
        var twice = vm.GetFunction<Func<int, int>>("Threads", "twice");
        var results = new List<int>();

        var error = OnNewThread(() =>
        {
            using (vm.EnterThread())
            {
                results.Add(twice(21));
                using (vm.EnterThread())
                {
                    results.Add(vm.CallStatic<int>("Threads", "twice", 5));
                }

                results.Add(vm.GetClass("Counter").Call<int>("increment"));
            }

            Assert.Throws<HlThreadException>(() => twice(1));
        });

        Assert.Null(error);
        Assert.Equal([42, 10, 1], results);
    }

    [Fact]
    public void Views_read_and_write_values_from_any_thread_without_registration()
    {
        using var vm = Load();
        var counter = vm.GetClass("Counter");

        var error = OnNewThread(() =>
        {
            counter.Set("value", 41);
            Assert.Equal(41, counter.Get<int>("value"));
        });

        Assert.Null(error);
        Assert.Equal(42, counter.Call<int>("increment"));
    }

    [Fact]
    public void A_registration_handle_disposed_twice_on_another_thread_or_out_of_order_throws()
    {
        using var vm = Load();
        IDisposable? leaked = null;

        var error = OnNewThread(() =>
        {
            var once = vm.EnterThread();
            once.Dispose();
            Assert.Contains("disposed twice", Assert.Throws<HlThreadException>(once.Dispose).Message, StringComparison.Ordinal);

            var outer = vm.EnterThread();
            var inner = vm.EnterThread();
            Assert.Contains("innermost first", Assert.Throws<HlThreadException>(outer.Dispose).Message, StringComparison.Ordinal);
            inner.Dispose();
            outer.Dispose();

            leaked = vm.EnterThread();
        });
        Assert.Null(error);

        var wrongThread = Assert.Throws<HlThreadException>(leaked!.Dispose);
        Assert.Contains("dispose it on the thread that made it", wrongThread.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_registration_admits_an_unknown_thread_for_its_call_and_runs_the_hooks_around_it()
    {
        var events = new List<(string What, HlThreadKind Kind, int Thread)>();
        using var vm = Load(autoRegister: true);
        vm.ThreadStarted += (_, t) => { lock (events) { events.Add(("started", t.Kind, t.ManagedThreadId)); } };
        vm.ThreadExiting += (_, t) => { lock (events) { events.Add(("exiting", t.Kind, t.ManagedThreadId)); } };
        var twice = vm.GetFunction<Func<int, int>>("Threads", "twice");
        var results = new List<int>();
        var id = 0;

        var error = OnNewThread(() =>
        {
            id = Environment.CurrentManagedThreadId;
            results.Add(twice(4));
            results.Add(vm.CallStatic<int>("Threads", "twice", 5));
        });

        Assert.Null(error);
        Assert.Equal([8, 10], results);
        Assert.Equal(
            [("started", HlThreadKind.AutoRegistered, id), ("exiting", HlThreadKind.AutoRegistered, id), ("started", HlThreadKind.AutoRegistered, id), ("exiting", HlThreadKind.AutoRegistered, id)],
            events);
    }

    [Fact]
    public void Inside_Blocking_a_call_into_Haxe_is_refused_and_after_it_allowed()
    {
        HlVm vm = null!;
        Func<int, int> twice = null!;
        var inside = new List<Exception?>();
        var after = 0;
        vm = Load(wait: () =>
        {
            using (vm.Blocking())
            {
                inside.Add(Record(() => vm.CallStatic<int>("Threads", "twice", 1)));
                inside.Add(Record(() => twice(1)));
            }

            after = vm.CallStatic<int>("Threads", "twice", 3) + twice(4);
        });
        twice = vm.GetFunction<Func<int, int>>("Threads", "twice");
        using (vm)
        {
            vm.CallStatic("Threads", "waitHere");
        }

        Assert.All(inside, e => Assert.Contains("inside vm.Blocking()", Assert.IsType<HlThreadException>(e).Message, StringComparison.Ordinal));
        Assert.Equal(2, inside.Count);
        Assert.Equal(14, after);
    }

    [Fact]
    public void Blocking_outside_Haxe_code_or_ended_wrongly_throws()
    {
        HlVm vm = null!;
        var problems = new List<Exception?>();
        IDisposable? leaked = null;
        vm = Load(wait: () =>
        {
            var outer = vm.Blocking();
            var inner = vm.Blocking();
            problems.Add(Record(outer.Dispose));        // crossed nesting
            inner.Dispose();
            outer.Dispose();
            problems.Add(Record(outer.Dispose));        // twice
            leaked = vm.Blocking();
            problems.Add(OnNewThread(leaked.Dispose));   // on another thread
            leaked.Dispose();
        });
        using (vm)
        {
            var outside = Assert.Throws<HlThreadException>(vm.Blocking);
            Assert.Contains("not running this VM's Haxe code", outside.Message, StringComparison.Ordinal);
            vm.CallStatic("Threads", "waitHere");
            Assert.Equal(2, vm.CallStatic<int>("Threads", "twice", 1));
        }

        Assert.Collection(
            problems,
            e => Assert.Contains("innermost first", Assert.IsType<HlThreadException>(e).Message, StringComparison.Ordinal),
            e => Assert.Contains("disposed twice", Assert.IsType<HlThreadException>(e).Message, StringComparison.Ordinal),
            e => Assert.Contains("on the thread that made it", Assert.IsType<HlThreadException>(e).Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Dispose_does_not_wait_for_a_Haxe_thread_inside_Blocking()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        HlVm vm = null!;
        vm = Load(wait: () =>
        {
            using (vm.Blocking())
            {
                entered.Set();
                release.Wait(Patience);
            }
        });
        vm.CallStatic("Threads", "startWaiting");
        Assert.True(entered.Wait(Patience));

        var clock = Stopwatch.StartNew();
        vm.Dispose();
        clock.Stop();
        var stillWaiting = !release.IsSet;
        release.Set();

        // Dispose waits up to 5 s for threads in Haxe code; this one waits outside it, so Dispose does not.
        Assert.True(stillWaiting);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"Dispose took {clock.Elapsed}");
    }

    [Fact]
    public void A_host_native_on_a_Haxe_thread_calls_back_into_Haxe_code()
    {
        HlVm vm = null!;
        vm = Load(callBack: n => vm.CallStatic<int>("Threads", "twice", n) + vm.GetFunction<Func<int, int>>("Threads", "twice")(n));
        using (vm)
        {
            Assert.Equal(20, vm.CallStatic<int>("Threads", "callBackOnNewThread", 5));
        }
    }

    [Fact]
    public void Eight_host_threads_updating_state_under_a_Haxe_mutex_lose_no_update()
    {
        const int Threads = 8;
        const int Calls = 100_000;
        using var vm = Load();
        var increment = vm.GetFunction<Func<int>>("Counter", "increment");
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            using (vm.EnterThread())
            {
                start.SignalAndWait(Patience);
                for (var n = 0; n < Calls; n++)
                {
                    increment();
                }
            }
        }) { IsBackground = true, Name = $"incrementer {i}" }).ToList();

        workers.ForEach(w => w.Start());

        Assert.All(workers, w => Assert.True(w.Join(Patience)));
        Assert.Equal(Threads * Calls, vm.CallStatic<int>("Counter", "get"));
    }

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
#pragma warning disable CA1031 // The test asserts on what was thrown.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }
}
