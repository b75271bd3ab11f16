using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Natives;

public sealed class ThreadTests
{
    [Fact]
    public async Task Haxe_threads_locks_mutexes_deques_messages_and_tls_behave()
    {
        using var output = new MemoryStream();
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile("ThreadPrimitives"), new HlVmOptions { StandardOutput = output });

        // Bounded: a deadlock fails the test instead of hanging the suite.
        await Task.Run(vm.RunEntry).WaitAsync(TimeSpan.FromSeconds(60));

        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
        Assert.Equal(
            ["ok lock-wait", "ok mutex-counter", "ok lock-timeout", "ok mutex-held-elsewhere", "ok deque-order", "ok deque-empty",
             "ok deque-blocking", "ok messages", "ok tls", "ok current", "done"],
            lines);
    }
}
