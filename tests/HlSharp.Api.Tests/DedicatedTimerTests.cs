using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// Pumped timers on a dedicated VM thread: the VM thread is the host's thread there, so it pumps
/// them between frames and while it waits for calls, and a timer added or a frame counted from
/// another thread wakes it. Real threads and clock, bounded waits that only matter on failure.
/// </summary>
public sealed class DedicatedTimerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static (HlDedicatedVm Server, HlVm Vm) StartPumped()
    {
        HlVm? started = null;
        var options = new HlVmOptions { StandardOutput = new MemoryStream(), Arguments = ["returns"] };
        var server = HlVm.StartOnDedicatedThread(HaxeFixtures.Compile("DedicatedThread"), options, vm =>
        {
            vm.Timers.Mode = HlTimerMode.Pumped;
            started = vm;
        });
        server.Completion.Wait(Limit);
        return (server, started!);
    }

    [Fact]
    public async Task A_pumped_timer_added_from_another_thread_fires_on_the_idle_VM_thread()
    {
        var (server, vm) = StartPumped();
        var ranOn = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        vm.Timers.After(TimeSpan.FromMilliseconds(20), () => ranOn.TrySetResult(Environment.CurrentManagedThreadId));
        var thread = await ranOn.Task.WaitAsync(Limit);
        await server.StopAsync(Limit);

        Assert.Equal(server.ManagedThreadId, thread);
    }

    [Fact]
    public async Task A_frame_counted_from_another_thread_fires_a_pumped_frame_timer_on_the_VM_thread()
    {
        var (server, vm) = StartPumped();
        var ranOn = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var timer = vm.Timers.AfterFrames(2, () => ranOn.TrySetResult(Environment.CurrentManagedThreadId));

        vm.Timers.AdvanceFrame();
        var early = await Task.WhenAny(ranOn.Task, Task.Delay(50));
        vm.Timers.AdvanceFrame();
        var thread = await ranOn.Task.WaitAsync(Limit);
        await server.StopAsync(Limit);

        Assert.NotSame(ranOn.Task, early);
        Assert.Equal(server.ManagedThreadId, thread);
        Assert.Equal(1, timer.FireCount);
    }
}
