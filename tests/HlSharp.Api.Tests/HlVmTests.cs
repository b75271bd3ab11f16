using System.Text;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>The embedding contract, through the public API only.</summary>
public sealed class HlVmTests
{
    private static (HlVm Vm, MemoryStream Output) Load(string fixture)
    {
        var output = new MemoryStream();
        return (HlVm.LoadFile(HaxeFixtures.Compile(fixture), new HlVmOptions { StandardOutput = output }), output);
    }

    private static string Text(MemoryStream output) => Encoding.UTF8.GetString(output.ToArray());

    [Fact]
    public void RunEntry_runs_main_and_returns()
    {
        var (vm, output) = Load("Hello");
        using (vm)
        {
            vm.RunEntry();
            Assert.Null(vm.ExitCode);
        }

        Assert.Equal("Hello from Haxe\n", Text(output));
    }

    [Fact]
    public void A_program_whose_code_is_not_collectible_runs_the_same()
    {
        var output = new MemoryStream();
        using (var vm = HlVm.LoadFile(HaxeFixtures.Compile("Hello"), new HlVmOptions { StandardOutput = output, CollectibleCode = false }))
        {
            vm.RunEntry();
        }

        Assert.Equal("Hello from Haxe\n", Text(output));
    }

    [Fact]
    public void An_uncaught_Haxe_exception_reaches_the_host_with_its_value_and_Haxe_stack()
    {
        var (vm, output) = Load("Uncaught");
        using (vm)
        {
            var error = Assert.Throws<HlHaxeException>(vm.RunEntry);

            Assert.Equal("deep failure", error.ValueText);
            Assert.Equal("deep failure", error.Message);
            var source = File.ReadAllLines(Path.Combine(RepoPaths.Fixtures, "Uncaught", "Main.hx"));
            var throwLine = Array.FindIndex(source, l => l.Contains("throw \"deep failure\"", StringComparison.Ordinal)) + 1;
            var callLine = Array.FindIndex(source, l => l.Contains("inner(2);", StringComparison.Ordinal)) + 1;
            Assert.Contains($"Main.hx:{throwLine})", error.HaxeStack[0], StringComparison.Ordinal);
            Assert.Contains(error.HaxeStack, f => f.Contains($"Main.hx:{callLine})", StringComparison.Ordinal));
            Assert.Equal(3, error.HaxeStack.Count(f => f.Contains("inner", StringComparison.Ordinal)));
            Assert.Equal(error.HaxeStack, error.HaxeStackTrace.Split('\n'));
        }

        Assert.Equal("before\n", Text(output));
    }

    [Fact]
    public void A_missing_native_is_listed_at_load_and_raises_only_when_called()
    {
        var (vm, output) = Load("MissingNative");
        using (vm)
        {
            Assert.Contains("nosuchlib@nothing_here", vm.MissingNatives);

            var error = Assert.Throws<HlMissingNativeException>(vm.RunEntry);

            Assert.Equal("nosuchlib", error.Library);
            Assert.Equal("nothing_here", error.Name);
        }

        Assert.Equal(
            "loaded\ncaught: native function nosuchlib@nothing_here is not available in HlSharp\ncalling again, uncaught\n",
            Text(output));
    }

    [Fact]
    public void Strict_natives_refuse_to_load_a_program_naming_a_missing_native()
    {
        var error = Assert.Throws<HlLoadException>(() =>
            HlVm.LoadFile(HaxeFixtures.Compile("MissingNative"), new HlVmOptions { StrictNatives = true, StandardOutput = Stream.Null }));

        Assert.Contains("nosuchlib@nothing_here", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_bytes_that_are_not_bytecode_raises_a_format_exception()
    {
        var error = Assert.Throws<HlFormatException>(() => HlVm.Load("not bytecode"u8));

        Assert.Equal(0, error.Offset);
    }

    [Fact]
    public void Two_VMs_in_one_process_keep_their_own_state()
    {
        var (first, firstOutput) = Load("Hello");
        var (second, secondOutput) = Load("Hello");
        using (first)
        using (second)
        {
            first.RunEntry();
            second.RunEntry();
            first.RunEntry();
        }

        Assert.Equal("Hello from Haxe\nHello from Haxe\n", Text(firstOutput));
        Assert.Equal("Hello from Haxe\n", Text(secondOutput));
    }

    [Fact]
    public void Runaway_recursion_is_a_catchable_Haxe_error_not_a_crashed_process()
    {
        var (vm, output) = Load("DeepRecursion");
        using (vm)
        {
            vm.RunEntry();
        }

        Assert.Equal("caught: Stack overflow\nstill running\n", Text(output));
    }

    [Fact]
    public void Runaway_recursion_is_caught_on_a_small_host_stack_again_by_a_second_VM_on_that_thread()
    {
        // The first recursion leaves the thread's checked limit deep down; the second VM's must still stop at the real end.
        var outputs = new List<string>();
        Exception? error = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    for (var i = 0; i < 2; i++)
                    {
                        var (vm, output) = Load("DeepRecursion");
                        using (vm)
                        {
                            vm.RunEntry();
                        }

                        outputs.Add(Text(output));
                    }
                }
                catch (Exception e)
                {
                    error = e;
                }
            },
            maxStackSize: 1024 * 1024);
        thread.Start();

        Assert.True(thread.Join(TimeSpan.FromSeconds(60)));
        Assert.Null(error);
        Assert.Equal(["caught: Stack overflow\nstill running\n", "caught: Stack overflow\nstill running\n"], outputs);
    }
}
