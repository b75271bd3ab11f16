using System.Runtime.InteropServices;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// Where the compiler puts safe-point polls, and what they read (tests/fixtures/SafePoints):
/// every loop shape stops when its call is cancelled, whichever load (plain or volatile) the
/// compiler chose for it, and a cancellation leaves no poll raised once its call is over.
/// </summary>
public sealed class SafePointTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static HlVm Load()
    {
        var vm = HlVm.LoadFile(HaxeFixtures.Compile("SafePoints"), new HlVmOptions { StandardOutput = new MemoryStream() });
        vm.RunEntry();
        return vm;
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("callOnlyOnExit")]
    [InlineData("stores")]
    [InlineData("calls")]
    [InlineData("conditional")]
    [InlineData("nested")]
    [InlineData("insideTry")]
    [InlineData("recursion")]
    [InlineData("recursionLoopFirst")]
    public void A_loop_or_recursion_stops_at_its_polls_when_its_call_times_out(string function)
    {
        using var vm = Load();
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (vm.EnterThread())
                {
                    vm.CallStatic("Main", function, TimeSpan.FromMilliseconds(50));
                }
            }
            catch (Exception e)
            {
                error = e;
            }
        }) { IsBackground = true };

        thread.Start();

        Assert.True(thread.Join(Generous), $"{function} did not stop");
        Assert.IsType<OperationCanceledException>(error, exactMatch: false);
        Assert.NotEqual(-1, vm.GetClass("Main").Get<int>("counter"));
    }

    [Fact]
    public void A_cancellation_racing_the_end_of_its_call_leaves_no_poll_raised()
    {
        using var vm = Load();
        var add = vm.GetClass("Main");
        for (var i = 0; i < 300; i++)
        {
            using var cancel = new CancellationTokenSource();
            var canceller = new Thread(cancel.Cancel);
            canceller.Start();
            try
            {
                // It polls only at its entry, so a cancellation that lands after that is never attended.
                Assert.Equal(3, add.Call<int>("add", cancel.Token, 1, 2));
            }
            catch (OperationCanceledException)
            {
                // Cancelled before the call began: also fine.
            }

            Assert.True(canceller.Join(Generous));
        }

        Assert.Equal(0, Marshal.ReadInt32(vm.Module.Vm.Stop.FlagAddress));
    }

    [Fact]
    public void Compiled_without_polls_a_program_runs_as_with_them()
    {
        var outputs = new[] { true, false }.Select(polls =>
        {
            using var output = new MemoryStream();
            using (var vm = HlVm.LoadFile(HaxeFixtures.Compile("Sorting"), new HlVmOptions { StandardOutput = output, SafePointPolls = polls }))
            {
                vm.RunEntry();
            }

            return System.Text.Encoding.UTF8.GetString(output.ToArray());
        }).ToArray();

        Assert.NotEmpty(outputs[0]);
        Assert.Equal(outputs[0], outputs[1]);
    }
}
