using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>Natives are resolved at load and their adapters emitted on first call (NativeAdapters.GetAdapter).</summary>
public sealed class NativeAdaptersTests
{
    [Fact]
    public void Only_the_natives_a_run_calls_get_an_adapter_and_what_is_missing_is_known_at_load()
    {
        var output = new MemoryStream();
        using var vm = HlVm.Load(HaxeFixtures.Bytes("MissingNative"), new HlVmOptions { StandardOutput = output });
        var natives = vm.Module.Natives;

        Assert.Equal(0, natives.EmittedCount);
        Assert.Contains("nosuchlib@nothing_here", vm.MissingNatives);

        var thrown = Assert.ThrowsAny<HlException>(vm.RunEntry);

        Assert.Contains("nosuchlib@nothing_here", thrown.ToString(), StringComparison.Ordinal);
        var text = System.Text.Encoding.UTF8.GetString(output.ToArray());
        Assert.StartsWith("loaded\ncaught: ", text, StringComparison.Ordinal);
        Assert.InRange(natives.EmittedCount, 1, vm.Module.Code.Natives.Length - 1);
    }

    [Fact]
    public void Threads_asking_for_the_same_native_at_once_get_one_adapter()
    {
        using var vm = HlVm.Load(HaxeFixtures.Bytes("Hello"), new HlVmOptions { StandardOutput = Stream.Null });
        var module = vm.Module;
        var indices = module.Code.Natives.Select(n => n.Index).ToArray();
        using var start = new Barrier(2);

        var results = new System.Reflection.MethodInfo[2][];
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            results[t] = [.. indices.Select(i => module.GetMethod(i))];
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(results[0], results[1]);
        Assert.Equal(indices.Length, module.Natives.EmittedCount);
        Assert.All(indices, i => Assert.NotEqual(0, module.Storage.Slots[i]));
    }
}
