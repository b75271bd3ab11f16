using HlSharp.Engine;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// The stack check at every function entry (<see cref="StackGuard"/>) on both of its paths
/// (tests/fixtures/StackChecks): the thread in the outermost call, when no other thread is in
/// one, compares with its published range (plain statics); any other thread compares with its
/// own thread-static limit. On either, a runaway recursion is a catchable <c>Stack overflow</c>
/// and a cancelled call stops at its entries, and the range is withdrawn when its call ends.
/// Runs alone: the range is the process's, which a test running beside these could take.
/// </summary>
[Collection(nameof(ProcessWideMeasurements))]
public sealed class StackGuardTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_owner_thread_catches_a_runaway_recursion_and_withdraws_its_range_when_its_call_ends()
    {
        using var vm = Load();

        Assert.Equal("caught: Stack overflow", vm.GetClass("Main").Call<string>("deep"));
        Assert.Equal(0u, StackGuard.OwnerTop);
    }

    [Fact]
    public void A_thread_checked_against_its_own_limit_while_another_owns_the_range_catches_a_runaway_recursion()
    {
        using var vm = Load();
        using var holder = Hold(vm);

        Assert.NotEqual(0u, StackGuard.OwnerTop);
        Assert.Equal("caught: Stack overflow", vm.GetClass("Main").Call<string>("deep"));
    }

    [Fact]
    public void A_recursion_on_a_thread_checked_against_its_own_limit_stops_when_its_call_is_cancelled()
    {
        using var vm = Load();
        using var holder = Hold(vm);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.ThrowsAny<OperationCanceledException>(() => vm.GetClass("Main").Call<int>("recursion", cancel.Token));
        Assert.NotEqual(0u, StackGuard.OwnerTop);
    }

    [Fact]
    public void The_owner_thread_s_recursion_stops_when_its_call_is_cancelled()
    {
        using var vm = Load();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.ThrowsAny<OperationCanceledException>(() => vm.GetClass("Main").Call<int>("recursion", cancel.Token));
        Assert.Equal(0u, StackGuard.OwnerTop);
    }

    private static HlVm Load()
    {
        var vm = HlVm.LoadFile(HaxeFixtures.Compile("StackChecks"), new HlVmOptions { StandardOutput = new MemoryStream() });
        vm.RunEntry();
        return vm;
    }

    /// <summary>Starts a thread that stays in a call (so owns the range) until disposed; returns once it is in it.</summary>
    private static Holder Hold(HlVm vm)
    {
        var main = vm.GetClass("Main");
        var thread = new Thread(() =>
        {
            using (vm.EnterThread())
            {
                main.Call<int>("hold");
            }
        }) { IsBackground = true };
        thread.Start();
        Assert.True(SpinWait.SpinUntil(() => main.Get<bool>("holding"), Generous), "the holder never entered its call");
        return new Holder(main, thread);
    }

    private sealed class Holder(HlClass main, Thread thread) : IDisposable
    {
        public void Dispose()
        {
            main.Set("released", true);
            Assert.True(thread.Join(Generous), "the holder did not leave its call");
            Assert.Equal(0u, StackGuard.OwnerTop);
        }
    }
}
