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

    [Fact]
    public async Task Threads_printing_at_once_lose_no_line_and_keep_each_threads_order()
    {
        using var output = new MemoryStream();
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile("ConcurrentPrint"), new HlVmOptions { StandardOutput = output });

        await Task.Run(vm.RunEntry).WaitAsync(TimeSpan.FromSeconds(60));

        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("done", lines[^1]);
        for (var t = 0; t < 4; t++)
        {
            var prefix = $"t{t} line ";
            var mine = lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
            Assert.Equal(Enumerable.Range(0, 3000).Select(i => prefix + i), mine);
        }

        Assert.Equal(4 * 3000 + 1, lines.Length);
    }
}
