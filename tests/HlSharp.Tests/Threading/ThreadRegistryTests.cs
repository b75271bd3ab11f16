using HlSharp.Tests.Infrastructure;
using HlSharp.Threading;

namespace HlSharp.Tests.Threading;

/// <summary>
/// What the thread registry tells the rest of the VM (Dispose now, hot reload later): which
/// threads run its Haxe code, why, and which of them wait inside a <c>Blocking()</c> region.
/// </summary>
public sealed class ThreadRegistryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_registry_knows_the_main_thread_and_a_Haxe_thread_and_sees_it_blocking()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var left = new ManualResetEventSlim();
        Thread? waiter = null;
        HlVm vm = null!;
        var options = new HlVmOptions { StandardOutput = new MemoryStream() };
        options.Natives.Add("host", "wait", () =>
        {
            waiter = Thread.CurrentThread;
            using (vm.Blocking())
            {
                entered.Set();
                release.Wait(Patience);
            }

            left.Set();
        });
        using (vm = HlVm.LoadFile(HaxeFixtures.Compile("HostThreads"), options))
        {
            vm.RunEntry();
            vm.CallStatic("Threads", "startWaiting");
            Assert.True(entered.Wait(Patience));

            var threads = vm.Threads.Snapshot();
            Assert.Contains(threads, t => t.Thread == Thread.CurrentThread && t.Kind == VmThreadKind.Main && !t.IsBlocking);
            Assert.Contains(threads, t => t.Thread == waiter && t.Kind == VmThreadKind.Haxe && t.IsBlocking && t.IsRunningHaxe);
            Assert.True(vm.Threads.IsBlocking(waiter!));

            release.Set();
            Assert.True(left.Wait(Patience));
            Assert.False(vm.Threads.IsBlocking(waiter!));
        }
    }
}
