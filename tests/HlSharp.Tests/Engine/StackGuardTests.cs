using HlSharp.Engine;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// The stack check at every function entry (<see cref="StackGuard"/>) on both of its paths
/// (tests/fixtures/StackChecks): a program's main thread in <c>RunEntry</c> or <c>Update</c>,
/// when no other thread holds the range, compares with its published range (plain statics); any
/// other thread compares with its own thread-static limit. On either, a runaway recursion is a
/// catchable <c>Stack overflow</c> and a stopped program stops at its entries, and the range is
/// withdrawn when its call ends. Runs alone: the range is the process's, which a test running
/// beside these could take.
/// </summary>
[Collection(nameof(ProcessWideMeasurements))]
public sealed class StackGuardTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_main_thread_in_RunEntry_catches_a_runaway_recursion_and_withdraws_its_range_when_it_returns()
    {
        using var output = new MemoryStream();
        using (var vm = Load("deep", output))
        {
            vm.RunEntry();
        }

        Assert.Equal("caught: Stack overflow", System.Text.Encoding.UTF8.GetString(output.ToArray()).Trim());
        Assert.Equal(0u, StackGuard.OwnerTop);
    }

    [Fact]
    public void The_main_thread_s_recursion_stops_when_another_thread_exits_the_program()
    {
        using var vm = Load("exitDuringRecursion", new MemoryStream());
        var main = new Thread(vm.RunEntry) { IsBackground = true };

        main.Start();

        Assert.True(main.Join(Generous), "the recursion did not stop");
        Assert.Equal(3, vm.ExitCode);
        Assert.Equal(0u, StackGuard.OwnerTop);
    }

    [Fact]
    public void A_thread_checked_against_its_own_limit_while_the_main_thread_holds_the_range_catches_a_runaway_recursion()
    {
        using var vm = Load("hold", new MemoryStream());
        using var holder = Hold(vm);

        Assert.NotEqual(0u, StackGuard.OwnerTop);
        using (vm.EnterThread())
        {
            Assert.Equal("caught: Stack overflow", vm.GetClass("Main").Call<string>("deep"));
        }
    }

    [Fact]
    public void A_recursion_on_a_thread_checked_against_its_own_limit_stops_when_its_call_is_cancelled()
    {
        using var vm = Load("hold", new MemoryStream());
        using var holder = Hold(vm);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        using (vm.EnterThread())
        {
            Assert.ThrowsAny<OperationCanceledException>(() => vm.GetClass("Main").Call<int>("recursion", cancel.Token));
        }

        Assert.NotEqual(0u, StackGuard.OwnerTop);
    }

    private static HlVm Load(string mode, Stream output) =>
        HlVm.LoadFile(HaxeFixtures.Compile("StackChecks"), new HlVmOptions { StandardOutput = output, Arguments = [mode] });

    /// <summary>Starts the program's main thread, whose Update stays in a Haxe call (so holds the range) until disposed; returns once it is in it.</summary>
    private static Holder Hold(HlVm vm)
    {
        var thread = new Thread(() =>
        {
            vm.RunEntry();
            vm.Update();
        }) { IsBackground = true };
        thread.Start();
        Assert.True(SpinWait.SpinUntil(() => vm.Gate.Ready && vm.GetClass("Main").Get<bool>("holding"), Generous), "the main thread never entered its call");
        return new Holder(vm, thread);
    }

    private sealed class Holder(HlVm vm, Thread thread) : IDisposable
    {
        public void Dispose()
        {
            vm.GetClass("Main").Set("released", true);
            Assert.True(thread.Join(Generous), "the main thread did not leave its call");
            Assert.Equal(0u, StackGuard.OwnerTop);
        }
    }
}
