using System.Text;
using System.Text.RegularExpressions;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// <see cref="HlVmOptions.DetectDeadlocks"/>: threads taking VM locks in an order that closes a
/// cycle (the Deadlocks fixture). With detection on, the thread whose wait closes it gets a Haxe
/// exception naming the threads and locks; it releases its lock, so every thread ends.
/// </summary>
public sealed partial class DeadlockDetectionTests
{
    [Fact]
    public async Task A_two_thread_cycle_on_mutexes_raises_in_one_thread_naming_both_threads_and_both_mutexes()
    {
        var lines = await RunAsync(detect: true);

        var two = lines.Where(l => l.StartsWith("two: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, two.Length);
        Assert.Equal("two: acquired", two[1]);
        Assert.Matches(TwoThreadCycle(), two[0]);
    }

    [Fact]
    public async Task A_three_thread_cycle_through_every_kind_of_vm_lock_raises_in_exactly_one_thread()
    {
        var lines = await RunAsync(detect: true);

        var three = lines.Where(l => l.StartsWith("three: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, three.Length);
        Assert.Equal(["three: acquired", "three: acquired"], three[1..]);
        var cycle = three[0];
        Assert.StartsWith("three: Deadlock: thread '", cycle, StringComparison.Ordinal);
        foreach (var part in new[] { "'t0'", "'t1'", "'t2'", "the critical section", "lock 'ledger'", "mutex #" })
        {
            Assert.Contains(part, cycle, StringComparison.Ordinal);
        }

        Assert.Equal(3, Regex.Count(cycle, "waits for"));
        Assert.Equal("done", lines[^1]);
    }

    // Without detection the untimed cycle would hang for ever, so the fixture's timed variant
    // stands in: it shows no exception is raised and timed waits simply time out. With detection
    // on, timed waits are not recorded (they end by themselves), so the outcome is the same.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Timed_waits_in_a_cycle_time_out_and_raise_nothing(bool detect)
    {
        var lines = await RunAsync(detect, "timed");

        Assert.Equal(["timed: timed out", "timed: timed out", "done"], lines);
    }

    [Fact]
    public void Detection_is_off_by_default() => Assert.False(new HlVmOptions().DetectDeadlocks);

    private static async Task<string[]> RunAsync(bool detect, params string[] arguments)
    {
        using var output = new MemoryStream();
        var options = new HlVmOptions { StandardOutput = output, DetectDeadlocks = detect, Arguments = arguments };
        using var vm = HlVm.LoadFile(HaxeFixtures.CompileWithLibrary("Deadlocks"), options);

        // Bounded: a deadlock that was not detected fails the test instead of hanging the suite.
        await Task.Run(vm.RunEntry).WaitAsync(TimeSpan.FromSeconds(60));
        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [GeneratedRegex(@"^two: Deadlock: thread '(t[01])' waits for mutex #\d+ held by thread '(t[01])', which waits for mutex #\d+ held by thread '\1'$")]
    private static partial Regex TwoThreadCycle();
}
