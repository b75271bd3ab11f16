using Microsoft.Extensions.Time.Testing;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Reload;

/// <summary>
/// <see cref="HlVm.WatchForChanges"/> (tests/fixtures/ReloadWatch: v2 changes value(), v3 changes its
/// signature): a real file watcher, a debounce timed on a fake clock (so it is checked exactly),
/// the reload applied at the next Update and never before, a refused build that leaves the
/// program running, and a dedicated VM thread that applies it between its frames.
/// </summary>
public sealed class ReloadWatchTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);

    private readonly string _dir = Directory.CreateTempSubdirectory("hlsharp-reloadwatch-").FullName;
    private readonly string _file;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch.AddYears(56));
    private readonly List<HlReloadResult> _reloaded = [];

    public ReloadWatchTests() => _file = Path.Combine(_dir, "app.hl");

    private static byte[] Build(int version) => HaxeFixtures.Bytes($"ReloadWatch/v{version}");

    private HlVm Started()
    {
        File.WriteAllBytes(_file, Build(1));
        var vm = HlVm.LoadFile(_file, new HlVmOptions { HotReload = true, Clock = _clock, StandardOutput = new MemoryStream() });
        vm.Reloaded += (_, r) => _reloaded.Add(r);
        vm.RunEntry();
        return vm;
    }

    /// <summary>Writes a build as compilers that write a temporary file and rename it do, then waits until the watcher has seen all of it.</summary>
    private void Rebuild(HlVm vm, int version)
    {
        var seen = vm.Watcher!.ChangesSeen;
        var temp = Path.Combine(_dir, $"app.{version}.tmp");
        File.WriteAllBytes(temp, Build(version));
        File.Move(temp, _file, overwrite: true);
        Assert.True(SpinWait.SpinUntil(() => vm.Watcher.ChangesSeen > seen, Limit), "the watcher never saw the rebuild");
        // The events of one rebuild come in a burst: let it end, so none restarts the debounce below.
        var last = vm.Watcher.ChangesSeen;
        while (SpinWait.SpinUntil(() => vm.Watcher.ChangesSeen != last, TimeSpan.FromMilliseconds(300)))
        {
            last = vm.Watcher.ChangesSeen;
        }
    }

    [Fact]
    public void A_rebuild_is_applied_at_the_first_Update_after_the_debounce_on_the_VMs_clock()
    {
        using var vm = Started();
        using var watching = vm.WatchForChanges(Debounce);

        Rebuild(vm, 2);
        vm.Update();
        _clock.Advance(Debounce - TimeSpan.FromMilliseconds(1));
        vm.Update();
        Assert.Empty(_reloaded);
        Assert.Equal(1, vm.CallStatic<int>("Main", "value"));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(_reloaded);   // due, but not applied outside a frame
        vm.Update();

        var result = Assert.Single(_reloaded);
        Assert.True(result.Applied, result.ToString());
        Assert.Equal(["Main.value"], result.FunctionsChanged);
        Assert.Equal(2, vm.CallStatic<int>("Main", "value"));
        _clock.Advance(Debounce);
        vm.Update();
        Assert.Single(_reloaded);
    }

    [Fact]
    public void A_refused_build_while_watching_is_reported_and_the_program_runs_on_until_a_good_build()
    {
        var output = new MemoryStream();
        File.WriteAllBytes(_file, Build(1));
        using var vm = HlVm.LoadFile(_file, new HlVmOptions { HotReload = true, Clock = _clock, StandardOutput = output });
        vm.Reloaded += (_, r) => _reloaded.Add(r);
        vm.RunEntry();
        using var watching = vm.WatchForChanges(Debounce);

        Rebuild(vm, 3);
        _clock.Advance(Debounce);
        vm.Update();
        var refused = Assert.Single(_reloaded);
        Assert.False(refused.Applied);
        Assert.NotEmpty(refused.Refused);
        // The timer goes on printing the old value().
        _clock.Advance(TimeSpan.FromMilliseconds(40));
        vm.Update();
        Assert.EndsWith("value 1\n", System.Text.Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);

        Rebuild(vm, 2);
        _clock.Advance(Debounce);
        vm.Update();
        Assert.Equal(2, _reloaded.Count);
        Assert.True(_reloaded[1].Applied, _reloaded[1].ToString());
        _clock.Advance(TimeSpan.FromMilliseconds(40));
        vm.Update();
        Assert.EndsWith("value 2\n", System.Text.Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_the_handle_stops_watching_and_a_second_watch_is_refused_while_one_runs()
    {
        using var vm = Started();
        var watching = vm.WatchForChanges(Debounce);
        Assert.Throws<InvalidOperationException>(() => vm.WatchForChanges());

        watching.Dispose();
        Assert.Null(vm.Watcher);
        File.WriteAllBytes(_file, Build(2));
        _clock.Advance(Debounce);
        vm.Update();
        Assert.Empty(_reloaded);
        using var again = vm.WatchForChanges();
    }

    [Fact]
    public async Task On_a_dedicated_VM_thread_the_rebuild_is_applied_on_that_thread_between_frames()
    {
        File.WriteAllBytes(_file, Build(1));
        var applied = new TaskCompletionSource<(HlReloadResult Result, int Thread)>(TaskCreationOptions.RunContinuationsAsynchronously);
        HlVm? vm = null;
        var options = new HlVmOptions { HotReload = true, StandardOutput = new MemoryStream() };
        await using var server = HlVm.StartOnDedicatedThread(_file, options, v =>
        {
            vm = v;
            v.Reloaded += (_, r) => applied.TrySetResult((r, Environment.CurrentManagedThreadId));
            _ = v.WatchForChanges(TimeSpan.FromMilliseconds(50));
        });

        Rebuild(vm!, 2);
        var (result, thread) = await applied.Task.WaitAsync(Limit);

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(server.ManagedThreadId, thread);
        Assert.Equal(2, await server.InvokeAsync(v => v.CallStatic<int>("Main", "value")).WaitAsync(Limit));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
