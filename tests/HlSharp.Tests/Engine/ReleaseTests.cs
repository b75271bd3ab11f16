using System.Runtime.CompilerServices;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>Runs alone: its tests measure or use what the whole process shares (the managed heap, loaded assemblies, the stack check's owner).</summary>
[CollectionDefinition(nameof(ProcessWideMeasurements), DisableParallelization = true)]
public sealed class ProcessWideMeasurements;

/// <summary>
/// A disposed VM's emitted code, types and data are released: a host may load, run and dispose
/// programs for as long as it lives without the heap or the assembly count growing.
/// </summary>
[Collection(nameof(ProcessWideMeasurements))]
public sealed class ReleaseTests
{
    private const int Cycles = 100;

    [Fact]
    public void Load_run_dispose_cycles_keep_the_heap_flat_and_unload_the_emitted_assemblies()
    {
        var bytes = HaxeFixtures.Bytes("Hello");
        var prefixes = new List<string>();
        var modules = new List<WeakReference>();
        for (var i = 0; i < 10; i++)
        {
            Cycle(bytes, prefixes, modules);
        }

        var afterTen = SettledHeap(modules);
        for (var i = 10; i < Cycles; i++)
        {
            Cycle(bytes, prefixes, modules);
        }

        var afterAll = SettledHeap(modules);

        Assert.All(modules, m => Assert.False(m.IsAlive, "a disposed module is still reachable"));
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Count(a => a.GetName().Name is { } name && prefixes.Exists(p => name.StartsWith(p, StringComparison.Ordinal)));
        Assert.Equal(0, loaded);
        // Each cycle used to keep about 0.9 MiB and two assemblies; allow noise, not a leak.
        Assert.True(afterAll - afterTen < 4 * 1024 * 1024, $"heap grew from {afterTen:N0} to {afterAll:N0} bytes over {Cycles - 10} cycles");
    }

    [Fact]
    public void Views_a_host_keeps_after_Dispose_keep_nothing_of_the_program_alive()
    {
        var (views, module) = ViewsOfADisposedVm();

        SettledHeap([module]);

        Assert.False(module.IsAlive, "views the host still holds keep the disposed program's module alive");
        var player = (HlObject)views[0];
        Assert.Throws<ObjectDisposedException>(() => player.TypeName);
        Assert.Throws<ObjectDisposedException>(() => player.Get<int>("score"));
        Assert.Throws<ObjectDisposedException>(() => ((HlClass)views[1]).Get<int>("score"));
        Assert.Throws<ObjectDisposedException>(() => ((HlArray<int>)views[2]).Count);
        Assert.Throws<ObjectDisposedException>(() => ((HlMap<string, int>)views[3]).Count);
        Assert.Throws<ObjectDisposedException>(() => ((HlEnum)views[4]).Name);
        Assert.Throws<ObjectDisposedException>(() => ((HlBytesView)views[5]).Length);
        GC.KeepAlive(views);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (List<object> Views, WeakReference Module) ViewsOfADisposedVm()
    {
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile("Embedding"), new HlVmOptions { StandardOutput = new MemoryStream() });
        vm.RunEntry();
        var game = vm.GetClass("Game");
        List<object> views =
        [
            vm.New("Player", "Ada"),
            game,
            game.Get<HlArray<int>>("scores"),
            game.Get<HlMap<string, int>>("counts"),
            vm.NewEnum("Status", "Active", 42),
            vm.NewBytes("abc"),
        ];
        return (views, new WeakReference(vm.Module));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Cycle(byte[] bytes, List<string> prefixes, List<WeakReference> modules)
    {
        using var output = new MemoryStream();
        using var vm = HlVm.Load(bytes, new HlVmOptions { StandardOutput = output });
        vm.RunEntry();
        var assembly = vm.Module.GetMethod(vm.Code.EntryPoint).DeclaringType!.Assembly.GetName().Name!;
        prefixes.Add(assembly[..(assembly.LastIndexOf('.') + 1)]);
        modules.Add(new WeakReference(vm.Module));
    }

    /// <summary>The heap once the collector has had the rounds it needs to unload collectible code.</summary>
    private static long SettledHeap(List<WeakReference> modules)
    {
        // Unloading a collectible assembly takes several collections (its loader allocator is
        // finalised, then freed), so collect until the disposed modules are gone, within bounds.
        for (var round = 0; round < 20 && modules.Exists(m => m.IsAlive); round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
