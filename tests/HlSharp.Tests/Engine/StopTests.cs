using System.Diagnostics;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// The VM's one stop mechanism: <c>Sys.exit</c> on a Haxe thread ends the program at once, and
/// <see cref="HlVm.Dispose"/> ends the threads running its Haxe code. Outcomes are asserted with
/// bounded waits, never with sleeps that hope something happened.
/// </summary>
public sealed class StopTests
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(10);

    private static HlVm Load(string scenario, Stream output) =>
        HlVm.LoadFile(HaxeFixtures.Compile("ThreadStop"), new HlVmOptions { StandardOutput = output, Arguments = [scenario] });

    [Theory]
    [InlineData("exit-while-sleeping")]
    [InlineData("exit-while-waiting")]
    public void Sys_exit_in_a_thread_ends_RunEntry_at_once_with_its_code(string scenario)
    {
        using var output = new MemoryStream();
        using var vm = Load(scenario, output);
        var watch = Stopwatch.StartNew();

        var run = HostThread.Start(vm.RunEntry);

        Assert.True(run.Join(Quickly), "RunEntry did not return after Sys.exit on another thread");
        Assert.Null(run.Error);
        Assert.Equal(3, vm.ExitCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(25), $"took {watch.Elapsed}");
        Assert.DoesNotContain("main went on", System.Text.Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exit-while-sleeping")]
    [InlineData("exit-while-waiting")]
    public void The_cli_exits_with_the_code_a_thread_passed_to_Sys_exit(string scenario)
    {
        var result = HlSharpCli.Run("run", HaxeFixtures.Compile("ThreadStop"), scenario);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.DoesNotContain("main went on", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_ends_twenty_threads_in_tight_loops_and_no_Haxe_code_runs_after()
    {
        using var output = new MemoryStream();
        var vm = Load("spin-threads", output);
        vm.RunEntry();
        var before = Counter(vm);
        Assert.True(SpinWait.SpinUntil(() => Counter(vm) != before, Quickly), "the threads never ran");

        var watch = Stopwatch.StartNew();
        vm.Dispose();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"Dispose took {watch.Elapsed}");
        var after = Counter(vm);
        Thread.Sleep(100); // the claim is that nothing changes: give a running thread time to show itself
        Assert.Equal(after, Counter(vm));
    }

    [Fact]
    public void Dispose_stops_a_main_that_loops_forever_on_another_thread()
    {
        using var output = new MemoryStream();
        var vm = Load("spin-main", output);
        var run = HostThread.Start(vm.RunEntry);
        Assert.True(SpinWait.SpinUntil(() => Counter(vm) > 1000, Quickly), "main never ran");

        vm.Dispose();

        Assert.True(run.Join(TimeSpan.FromSeconds(5)), "main still runs after Dispose");
        Assert.IsType<ObjectDisposedException>(run.Error);
    }

    /// <summary>Reads <c>Main.counter</c>, a static of the fixture, as the compiled code sees it.</summary>
    private static int Counter(HlVm vm)
    {
        var module = vm.Module;
        var main = module.Types.First(t => t.Name == "Main" && t.GlobalIndex >= 0);
        var statics = module.GetGlobal(main.GlobalIndex);
        return statics is null ? 0 : (int)module.Runtime.DynGetField(statics, module.Hashes.Hash("counter"))!;
    }

    /// <summary>A host thread running one action, remembering what it threw.</summary>
    private sealed class HostThread
    {
        private readonly Thread _thread;

        private HostThread(Action action) => _thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                Error = e;
            }
        }) { IsBackground = true };

        public Exception? Error { get; private set; }

        public static HostThread Start(Action action)
        {
            var run = new HostThread(action);
            run._thread.Start();
            return run;
        }

        public bool Join(TimeSpan timeout) => _thread.Join(timeout);
    }
}
