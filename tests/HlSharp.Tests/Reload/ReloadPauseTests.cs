using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Reload;

/// <summary>
/// The pause a hot reload applies in (docs/HOT-RELOAD.md section 7) under real threads
/// (tests/fixtures/ReloadWatchThreads): four Haxe threads calling the changed function while the
/// host reloads back and forth; threads that enter Haxe code during the pause (host calls, a
/// thread leaving Blocking()); a thread that never reaches a safe point; a reload asked for from
/// inside a native on a Haxe thread; a reload while the dedicated VM thread loops. Waits are
/// bounded and only matter when a test fails.
/// </summary>
public sealed class ReloadPauseTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static string V1 => HaxeFixtures.Compile("ReloadWatchThreads/v1");

    private static string V2 => HaxeFixtures.Compile("ReloadWatchThreads/v2");

    private static HlVm Started(Action<HlHostNatives>? natives = null)
    {
        var options = new HlVmOptions { HotReload = true, AutoRegisterThreads = true, StandardOutput = new MemoryStream() };
        options.Natives.Add("host", "waitInside", () => { });
        options.Natives.Add("host", "waitOutside", () => { });
        options.Natives.Add("host", "reloadNow", () => false);
        natives?.Invoke(options.Natives);
        var vm = HlVm.LoadFile(V1, options);
        vm.RunEntry();
        return vm;
    }

    [Fact]
    public void Four_threads_calling_the_changed_function_see_every_reload_in_order_and_lose_no_update()
    {
        using var vm = Started();
        var v1 = HlCode.ReadFile(V1);
        var v2 = HlCode.ReadFile(V2);
        var threads = Enumerable.Range(0, 4).ToArray();
        vm.CallStatic("Main", "startWorkers");
        Within(() => threads.All(i => vm.CallStatic<int>("Main", "callsOf", i) > 100), "the threads never got going");

        const int Reloads = 24;
        for (var r = 1; r <= Reloads; r++)
        {
            var expected = r % 2 == 1 ? 2 : 1;
            var outcome = vm.ApplyPaused(expected == 2 ? v2 : v1, Limit);
            Assert.True(outcome.Applied, string.Join("\n", outcome.Refused));
            Assert.Equal(["Main.version (static)"], outcome.FunctionsChanged);
            Within(() => threads.All(i => vm.CallStatic<int>("Main", "newestOf", i) == expected), $"a thread never ran version {expected} after reload {r}");
        }

        var lost = -1;
        Within(() => (lost = vm.CallStatic<int>("Main", "finish")) >= 0, "the threads did not stop");
        Assert.Equal(0, lost);
        // Each thread saw 1 first, then exactly one change per reload: every version, in order, none twice.
        Assert.All(threads, i => Assert.Equal(Reloads + 1, vm.CallStatic<int>("Main", "changesOf", i)));
    }

    [Fact]
    public void Host_calls_made_during_the_pause_wait_for_it_and_then_run_the_new_code()
    {
        using var vm = Started();
        var version = vm.GetFunction<Func<int>>("Main", "version");   // a direct delegate, taken before
        Assert.Equal(1, version());
        var results = new int[2];
        var callers = new Thread[2];
        vm.WhilePaused = isParked =>
        {
            // Fresh host threads (never in Haxe code, no wake of their own yet), registered automatically.
            callers[0] = new Thread(() => results[0] = version());
            callers[1] = new Thread(() => results[1] = vm.CallStatic<int>("Main", "version"));
            foreach (var caller in callers)
            {
                caller.Start();
            }

            Within(() => callers.All(isParked), "a host call made during the pause did not wait in it");
            Assert.All(results, r => Assert.Equal(0, r));
        };

        var outcome = vm.ApplyPaused(HlCode.ReadFile(V2), Limit);

        Assert.True(outcome.Applied, string.Join("\n", outcome.Refused));
        Assert.All(callers, c => Assert.True(c.Join(Limit)));
        Assert.Equal([2, 2], results);
    }

    [Fact]
    public void A_thread_leaving_Blocking_during_the_pause_parks_before_it_runs_Haxe_code()
    {
        using var release = new ManualResetEventSlim();
        HlVm? self = null;
        Thread? waiter = null;
        using var vm = Started(n => n.Add("host", "waitInside", () =>
        {
            waiter = Thread.CurrentThread;
            using (self!.Blocking())
            {
                release.Wait(Limit);
            }
        }));
        self = vm;
        vm.CallStatic("Main", "startInNative", true);
        Within(() => waiter is not null && vm.Threads.IsBlocking(waiter), "the thread never blocked");
        vm.WhilePaused = isParked =>
        {
            release.Set();
            Within(() => isParked(waiter!), "the thread that left Blocking() did not park");
        };

        var outcome = vm.ApplyPaused(HlCode.ReadFile(V2), Limit);

        Assert.True(outcome.Applied, string.Join("\n", outcome.Refused));
        Within(() => vm.GetClass("Main").Get<int>("afterNative") != 0, "the thread never went on");
        Assert.Equal(2, vm.GetClass("Main").Get<int>("afterNative"));
    }

    [Fact]
    public void A_thread_that_never_reaches_a_safe_point_refuses_the_reload_names_the_thread_and_changes_nothing()
    {
        using var release = new ManualResetEventSlim();
        Thread? stuck = null;
        using var vm = Started(n => n.Add("host", "waitOutside", () =>
        {
            stuck = Thread.CurrentThread;
            release.Wait(Limit);   // outside vm.Blocking(): the VM cannot know it runs no Haxe code
        }));
        vm.CallStatic("Main", "startInNative", false);
        Within(() => stuck is not null, "the thread never entered the native");

        var outcome = vm.ApplyPaused(HlCode.ReadFile(V2), TimeSpan.FromMilliseconds(200));

        var refusal = Assert.Single(outcome.Refused);
        Assert.Equal($"thread {stuck!.ManagedThreadId} '{stuck.Name}'", refusal.Type);
        Assert.Contains("did not reach a safe point", refusal.Reason, StringComparison.Ordinal);
        // Nothing changed, and the pause is lifted: host calls run (the old code), the thread goes on.
        Assert.Equal(1, vm.CallStatic<int>("Main", "version"));
        release.Set();
        Within(() => vm.GetClass("Main").Get<int>("afterNative") == 1, "the stuck thread never went on in the old code");
        Assert.True(vm.ApplyPaused(HlCode.ReadFile(V2), Limit).Applied);
        Assert.Equal(2, vm.CallStatic<int>("Main", "version"));
    }

    [Fact]
    public void A_reload_asked_for_from_a_native_on_a_Haxe_thread_applies_while_the_workers_run()
    {
        HlVm? self = null;
        HlReloadResult? result = null;
        using var vm = Started(n => n.Add("host", "reloadNow", () => self!.TryReload(V2, out result)));
        self = vm;
        vm.CallStatic("Main", "startWorkers");

        Assert.Equal(2, vm.CallStatic<int>("Main", "reloadFromHaxe"));

        Assert.True(result!.Applied, result.ToString());
        Within(() => Enumerable.Range(0, 4).All(i => vm.CallStatic<int>("Main", "newestOf", i) == 2), "a worker never ran the new body");
        Within(() => vm.CallStatic<int>("Main", "finish") >= 0, "the threads did not stop");
    }

    [Fact]
    public void Two_Haxe_threads_asking_for_a_reload_at_once_both_get_it_the_second_parks_in_the_first_ones_pause()
    {
        HlVm? self = null;
        var results = new System.Collections.Concurrent.ConcurrentBag<HlReloadResult>();
        using var vm = Started(n => n.Add("host", "reloadNow", () =>
        {
            var applied = self!.TryReload(V2, out var result);
            results.Add(result);
            return applied;
        }));
        self = vm;
        vm.CallStatic("Main", "startWorkers");
        using var go = new Barrier(2);
        var answers = new int[2];
        var callers = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            go.SignalAndWait();
            answers[i] = vm.CallStatic<int>("Main", "reloadFromHaxe");
        })).ToArray();

        foreach (var caller in callers)
        {
            caller.Start();
        }

        Assert.All(callers, c => Assert.True(c.Join(Limit)));
        // Without parking while it waits for the reload lock, the second would hold up the first's pause until it timed out (-1).
        Assert.Equal([2, 2], answers);
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.Applied, r.ToString()));
        Within(() => vm.CallStatic<int>("Main", "finish") >= 0, "the threads did not stop");
    }

    [Fact]
    public async Task A_host_thread_reloads_while_the_dedicated_VM_thread_loops_in_Haxe_code()
    {
        HlVm? vm = null;
        var options = new HlVmOptions { HotReload = true, StandardOutput = new MemoryStream() };
        options.Natives.Add("host", "waitInside", () => { });
        options.Natives.Add("host", "waitOutside", () => { });
        options.Natives.Add("host", "reloadNow", () => false);
        await using var server = HlVm.StartOnDedicatedThread(V1, options, v => vm = v);
        await server.Completion.WaitAsync(Limit);
        var spin = server.InvokeAsync(v => v.CallStatic<int>("Main", "spinUntil", 2));
        Within(() => vm!.GetClass("Main").Get<bool>("spinning"), "the VM thread never started looping");

        // From this host thread, not posted: the loop never waits, so a posted call would never be served.
        var result = vm!.Reload(V2);

        Assert.Equal(["Main.version"], result.FunctionsChanged);
        Assert.True(await spin.WaitAsync(Limit) >= 0);
    }

    [Fact]
    public void A_first_call_compiling_the_old_body_while_a_reload_replaces_it_never_leaves_the_old_body_in_the_slot()
    {
        // value() is never called before: its first call compiles v1's body lazily, racing the reload
        // of v2 (both take the module's compile lock; the reload writes the compiled method, then the
        // slot, and a lazy compile looks at the compiled method again under the lock).
        var v1 = HaxeFixtures.Compile("ReloadWatch/v1");
        var v2 = HlCode.ReadFile(HaxeFixtures.Compile("ReloadWatch/v2"));
        for (var round = 0; round < 12; round++)
        {
            using var vm = HlVm.LoadFile(v1, new HlVmOptions { HotReload = true, AutoRegisterThreads = true, StandardOutput = new MemoryStream() });
            vm.RunEntry();
            var value = vm.GetFunction<Func<int>>("Main", "value");
            using var go = new Barrier(2);
            var first = 0;
            var caller = new Thread(() =>
            {
                go.SignalAndWait();
                first = value();
            });
            caller.Start();
            go.SignalAndWait();
            var outcome = vm.ApplyPaused(v2, Limit);
            Assert.True(caller.Join(Limit));

            Assert.True(outcome.Applied, string.Join("\n", outcome.Refused));
            Assert.InRange(first, 1, 2);
            Assert.Equal(2, value());
            Assert.Equal(2, vm.CallStatic<int>("Main", "value"));
        }
    }

    private static void Within(Func<bool> condition, string failure) =>
        Assert.True(SpinWait.SpinUntil(condition, Limit), failure);
}
