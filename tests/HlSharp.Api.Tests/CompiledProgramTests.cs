using System.Text;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// A program compiled ahead of time (<see cref="HlCompiler"/>), driven through the same API as a
/// loaded <c>.hl</c>: calls in both directions, host natives, the host-owned loop, threads, and the
/// rules that are its own (one VM at a time per loaded assembly, no reload).
/// </summary>
public sealed class CompiledProgramTests
{
    private static HlVm LoadEmbedding(HlVmOptions options)
    {
        var vm = HlVm.Load(CompiledFixtures.Load("Embedding"), options);
        vm.RunEntry();
        return vm;
    }

    [Fact]
    public void Host_calls_and_host_natives_work_as_with_bytecode()
    {
        var logged = new List<string>();
        var options = new HlVmOptions { StandardOutput = new MemoryStream() };
        options.Natives.Add("host", "log", (Action<string>)logged.Add);
        options.Natives.Add("host", "twice", (Func<int, int>)(x => x * 2));
        options.Natives.Add("host", "mix", (Func<double, int, bool, double>)((a, b, c) => c ? a * b : 0));
        using var vm = LoadEmbedding(options);

        Assert.Equal(1, vm.CallStatic<int>("Game", "callLog", "héllo 😀"));
        Assert.Equal(21, vm.GetFunction<Func<int, int>>("Game", "useTwice")(10));
        Assert.Equal(3.0, vm.CallStatic<double>("Game", "useMix"));
        Assert.Equal(5, vm.CallStatic<int>("Game", "add", 2, 3));
        Assert.Equal("hello Ada", vm.CallStatic<string>("Game", "greet", "Ada"));
        Assert.Equal(12, vm.GetFunction<Func<Func<int, int>, int, int>>("Game", "apply")(x => x * 3, 4));
        Assert.Equal(["héllo 😀"], logged);
    }

    [Fact]
    public void A_native_nobody_provides_is_listed_and_fails_when_called()
    {
        using var vm = LoadEmbedding(new HlVmOptions { StandardOutput = new MemoryStream() });

        Assert.Contains("host@twice", vm.MissingNatives);
        var error = Assert.ThrowsAny<HlException>(() => vm.CallStatic<int>("Game", "useTwice", 1));
        Assert.Contains("twice", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_natives_missing_are_those_missing_when_the_bytecode_is_loaded()
    {
        var options = new HlVmOptions { StandardOutput = new MemoryStream() };
        options.Natives.Add("host", "twice", (Func<int, int>)(x => x * 2));
        using var fromBytecode = HlVm.Load(HaxeFixtures.Bytes("Embedding"), options);
        using var compiled = HlVm.Load(CompiledFixtures.Load("Embedding"), options);

        Assert.Equal(fromBytecode.MissingNatives.Order(), compiled.MissingNatives.Order());
        Assert.DoesNotContain("host@twice", compiled.MissingNatives);
        Assert.Contains("host@log", compiled.MissingNatives);
    }

    [Fact]
    public void A_compiled_loop_that_calls_nothing_stops_at_its_safe_point_when_the_call_times_out()
    {
        var options = new HlVmOptions { StandardOutput = new MemoryStream(), AutoRegisterThreads = true };
        options.Natives.Add("host", "started", (Action)(() => { }));
        options.Natives.Add("host", "tick", (Action)(() => { }));
        options.Natives.Add("host", "callBack", (Func<int>)(() => 0));
        using var vm = HlVm.Load(CompiledFixtures.Load("Cancellation"), options);
        vm.RunEntry();

        // The loop polls the VM's flag through the compiled program's statics: a timeout must end it.
        // A loaded machine may expire a short timeout before the loop is entered, so it grows until it was.
        foreach (var milliseconds in new[] { 200, 1_000, 5_000 })
        {
            // On a thread of its own, so that a loop that never stopped fails the test instead of hanging it.
            var call = Task.Run(() => vm.CallStatic("Main", "spinEmpty", TimeSpan.FromMilliseconds(milliseconds)));
            Assert.True(((IAsyncResult)call).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)), "the loop did not stop");
            Assert.IsType<OperationCanceledException>(call.Exception?.InnerException, exactMatch: false);
            if (vm.GetClass("Main").Get<int>("entered") > 0)
            {
                return;
            }
        }

        Assert.Fail("the loop was never entered");
    }

    [Fact]
    public void A_Haxe_exception_reaches_the_host_with_its_message()
    {
        using var vm = LoadEmbedding(new HlVmOptions { StandardOutput = new MemoryStream() });

        var error = Assert.Throws<HlHaxeException>(() => vm.CallStatic("Game", "fail", "boom"));

        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_owned_loop_runs_the_events_main_scheduled()
    {
        var output = new MemoryStream();
        using var vm = HlVm.Load(CompiledFixtures.Load("HostLoop"), new HlVmOptions { StandardOutput = output });
        vm.RunEntry();
        Assert.Equal("main returns\n", Encoding.UTF8.GetString(output.ToArray()));

        vm.Update();

        var frame = Encoding.UTF8.GetString(output.ToArray()).Split('\n');
        Assert.Contains("frame 1", frame);
        Assert.Contains("event", frame);
    }

    [Fact]
    public void Haxe_threads_of_a_compiled_program_run_the_thread_hooks_and_host_natives_on_their_own_thread()
    {
        using var state = new ThreadLocal<int>();
        var next = 100;
        var started = 0;
        using var vm = HostThreadsFixture.Load(threadState: () => state.Value, compiledAheadOfTime: true);
        vm.ThreadStarted += (_, t) =>
        {
            Interlocked.Increment(ref started);
            state.Value = Interlocked.Increment(ref next);
        };

        var first = vm.CallStatic<int>("Threads", "stateOnNewThread");
        var second = vm.CallStatic<int>("Threads", "stateOnNewThread");

        // Each new Haxe thread ran the hook on itself, before its first call of the host native.
        Assert.Equal(101, first);
        Assert.Equal(102, second);
        Assert.Equal(2, Volatile.Read(ref started));
    }

    [Fact]
    public void One_loaded_copy_runs_in_one_VM_at_a_time_and_again_once_that_VM_is_disposed()
    {
        var assembly = CompiledFixtures.Load("Embedding");
        var first = HlVm.Load(assembly, new HlVmOptions { StandardOutput = new MemoryStream() });

        var error = Assert.Throws<InvalidOperationException>(() => HlVm.Load(assembly, new HlVmOptions { StandardOutput = new MemoryStream() }));
        Assert.Contains("one VM at a time", error.Message, StringComparison.Ordinal);

        first.Dispose();
        using var second = HlVm.Load(assembly, new HlVmOptions { StandardOutput = new MemoryStream() });
        second.RunEntry();
        Assert.Equal(5, second.CallStatic<int>("Game", "add", 2, 3));
    }

    [Fact]
    public void Two_loaded_copies_of_one_program_run_side_by_side()
    {
        using var a = LoadEmbedding(new HlVmOptions { StandardOutput = new MemoryStream() });
        using var b = LoadEmbedding(new HlVmOptions { StandardOutput = new MemoryStream() });

        a.CallStatic("Game", "bump");
        a.CallStatic("Game", "bump");
        b.CallStatic("Game", "bump");

        // main set the score to 10 in each.
        Assert.Equal(12, a.GetClass("Game").Get<int>("score"));
        Assert.Equal(11, b.GetClass("Game").Get<int>("score"));
    }

    [Fact]
    public void A_compiled_program_cannot_be_reloaded()
    {
        using var vm = LoadEmbedding(new HlVmOptions { StandardOutput = new MemoryStream() });

        var error = Assert.Throws<InvalidOperationException>(() => vm.Reload(HaxeFixtures.Bytes("Embedding")));
        Assert.Contains("compiled ahead of time", error.Message, StringComparison.Ordinal);

        var refused = Assert.Throws<HlLoadException>(() => HlVm.Load(CompiledFixtures.Load("Embedding"), new HlVmOptions { HotReload = true }));
        Assert.Contains("HotReload", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assembly_that_is_not_a_compiled_program_is_a_load_error()
    {
        var error = Assert.Throws<HlLoadException>(() => HlVm.Load(typeof(CompiledProgramTests).Assembly));

        Assert.Contains("not a program compiled by HlSharp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assembly_name_that_is_not_one_is_refused_before_anything_is_written()
    {
        var directory = Path.Combine(Path.GetTempPath(), "hlsharp-aot-" + Guid.NewGuid().ToString("N"));

        Assert.Throws<ArgumentException>(() => HlCompiler.CompileAssembly(HaxeFixtures.Bytes("Embedding"), "not a name", directory));

        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void Bytes_that_are_not_bytecode_are_a_format_error()
    {
        var directory = Path.Combine(Path.GetTempPath(), "hlsharp-aot-" + Guid.NewGuid().ToString("N"));

        Assert.Throws<HlFormatException>(() => HlCompiler.CompileAssembly("not bytecode"u8, "App", directory));

        Assert.False(Directory.Exists(directory));
    }
}
