using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// <see cref="HlVm.CheckReload"/> as a game loop uses it: called every frame, it reloads only a
/// file that really changed (tests/fixtures/ReloadWatch: v2 is a same-size rebuild of v1, v3
/// changes a signature, which is refused), never throws for what it finds, and picks up a build
/// once the compiler finished writing it.
/// </summary>
public sealed class ReloadCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hlsharp-reloadcheck-").FullName;
    private readonly string _file;
    private readonly List<HlReloadResult> _reloaded = [];

    public ReloadCheckTests() => _file = Path.Combine(_dir, "app.hl");

    private static byte[] Build(int version) => HaxeFixtures.Bytes($"ReloadWatch/v{version}");

    private HlVm Started()
    {
        File.WriteAllBytes(_file, Build(1));
        var vm = HlVm.LoadFile(_file, new HlVmOptions { HotReload = true, StandardOutput = new MemoryStream() });
        vm.Reloaded += (_, r) => _reloaded.Add(r);
        vm.RunEntry();
        return vm;
    }

    /// <summary>Writes a build with a modification time surely different from the last one's (file systems with coarse clocks).</summary>
    private void Rewrite(byte[] content)
    {
        var before = File.GetLastWriteTimeUtc(_file);
        File.WriteAllBytes(_file, content);
        File.SetLastWriteTimeUtc(_file, before.AddSeconds(2));
    }

    [Fact]
    public void Nothing_changed_is_null_and_a_same_size_rebuild_is_reloaded()
    {
        using var vm = Started();
        Assert.Equal(Build(1).Length, Build(2).Length);   // the case the hash is for: a rebuild of the same size

        Assert.Null(vm.CheckReload());
        Rewrite(Build(2));
        var result = vm.CheckReload();

        Assert.NotNull(result);
        Assert.True(result.Applied, result.ToString());
        Assert.Equal(["Main.value"], result.FunctionsChanged);
        Assert.Equal(2, vm.CallStatic<int>("Main", "value"));
        Assert.Null(vm.CheckReload());
        Assert.Equal([result], _reloaded);
    }

    [Fact]
    public void A_file_touched_or_rewritten_identically_is_not_reloaded()
    {
        using var vm = Started();

        Rewrite(Build(1));
        Assert.Null(vm.CheckReload());
        File.SetLastWriteTimeUtc(_file, File.GetLastWriteTimeUtc(_file).AddSeconds(2));
        Assert.Null(vm.CheckReload());

        Assert.Empty(_reloaded);
    }

    [Fact]
    public void A_refused_build_is_returned_once_without_throwing_and_the_next_build_applies()
    {
        using var vm = Started();

        Rewrite(Build(3));
        var refused = vm.CheckReload();

        Assert.NotNull(refused);
        Assert.False(refused.Applied);
        Assert.Contains(refused.Refused, r => r.Member == "Main.value" || (r.Member ?? string.Empty).Contains("value", StringComparison.Ordinal));
        Assert.Equal(1, vm.CallStatic<int>("Main", "value"));
        Assert.Null(vm.CheckReload());   // reported once, not every frame
        Rewrite(Build(2));
        Assert.True(vm.CheckReload()!.Applied);
        Assert.Equal(2, vm.CallStatic<int>("Main", "value"));
    }

    [Fact]
    public void A_build_still_being_written_is_refused_as_bytecode_once_and_picked_up_when_complete()
    {
        using var vm = Started();
        var build = Build(2);

        Rewrite(build[..(build.Length / 2)]);
        var partial = vm.CheckReload();
        Assert.NotNull(partial);
        Assert.False(partial.Applied);
        Assert.Equal("bytecode", Assert.Single(partial.Refused).Type);
        Assert.Null(vm.CheckReload());

        Rewrite(build);
        Assert.True(vm.CheckReload()!.Applied);
        Assert.Equal(2, vm.CallStatic<int>("Main", "value"));
    }

    [Fact]
    public void A_missing_file_counts_as_unchanged_and_an_explicit_Reload_counts_as_seen()
    {
        using var vm = Started();
        File.Move(_file, _file + ".away");
        Assert.Null(vm.CheckReload());
        File.Move(_file + ".away", _file);

        Rewrite(Build(2));
        Assert.True(vm.Reload().Applied);
        Assert.Null(vm.CheckReload());   // Reload() read this content: nothing new for CheckReload
        Assert.Single(_reloaded);
    }

    [Fact]
    public void CheckReload_without_hot_reload_or_a_file_says_why()
    {
        File.WriteAllBytes(_file, Build(1));
        using var plain = HlVm.LoadFile(_file, new HlVmOptions { StandardOutput = new MemoryStream() });
        using var fromMemory = HlVm.Load(Build(1), new HlVmOptions { HotReload = true, StandardOutput = new MemoryStream() });

        Assert.Contains("HotReload", Assert.Throws<InvalidOperationException>(() => plain.CheckReload()).Message, StringComparison.Ordinal);
        Assert.Contains("from memory", Assert.Throws<InvalidOperationException>(() => fromMemory.CheckReload()).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => plain.WatchForChanges());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
