using System.Text;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// The per-site inline caches of field access and method calls through virtual types and
/// <c>Dynamic</c> (issue 12 items 1 and 2; <c>FunctionCompiler.Sites.cs</c>): a site seeing
/// several shapes, shapes changing under it, every storage kind, closures of several kinds, the
/// dynamic path's answers where a cache does not apply; from several threads at once; and after
/// a hot reload that changes the methods a site already cached, without recompiling the site.
/// </summary>
public sealed class VirtualSiteTests
{
    [Fact]
    public void Sites_over_several_shapes_print_what_HashLink_prints()
    {
        var expected = File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "VirtualSites", "expected.txt")).ReplaceLineEndings("\n");
        using var output = new MemoryStream();
        using (var vm = HlVm.Load(HaxeFixtures.Bytes("VirtualSites"), new HlVmOptions { StandardOutput = output }))
        {
            vm.RunEntry();
            // Every site the fixture ran is a cache in the module's table.
            Assert.True(vm.Module.Sites.Count > 20, $"only {vm.Module.Sites.Count} sites");
        }

        Assert.Equal(expected, Encoding.UTF8.GetString(output.ToArray()).ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Polymorphic_sites_give_the_same_answers_on_four_threads_at_once()
    {
        using var vm = HlVm.Load(HaxeFixtures.Bytes("VirtualSites"), new HlVmOptions { StandardOutput = Stream.Null, AutoRegisterThreads = true });
        vm.RunEntry();
        var mixed = vm.GetFunction<Func<int, int>>("Main", "mixed");
        var alone = mixed(200);

        // Seven classes through one interface site evict each other from its four entries, on every thread.
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => mixed(2000))));

        Assert.All(results, r => Assert.Equal(alone * 10, r));
    }

    [Fact]
    public void A_reload_that_overrides_a_cached_method_reaches_the_unchanged_site()
    {
        var v1 = HaxeFixtures.Bytes("ReloadVirtualSites/v1");
        var v2 = HaxeFixtures.Bytes("ReloadVirtualSites/v2");
        using var vm = HlVm.Load(v1, new HlVmOptions { HotReload = true, StandardOutput = Stream.Null });
        vm.RunEntry();
        var total = vm.GetFunction<Func<int>>("Main", "total");
        var sides = vm.GetFunction<Func<int>>("Main", "sides");
        for (var i = 0; i < 3; i++)
        {
            // Square 2, Big 3 and Small through Shape.area; sides through a typedef over instances and an anonymous object.
            Assert.Equal(4 + 9 + 1, total());
            Assert.Equal(2 + 3 + 5, sides());
        }

        var result = vm.Reload(v2);

        Assert.Contains(result.FunctionsAdded, f => f.Contains("Big.area", StringComparison.Ordinal));
        Assert.DoesNotContain(result.FunctionsChanged, f => f.Contains("total", StringComparison.Ordinal));
        // Square's changed body, and Big's new override, which the site had cached as Square's.
        Assert.Equal(5 + 300 + 1, total());
        Assert.Equal(2 + 3 + 5, sides());

        // Back to v1: Big's override goes with the version that added it, and Big is Square again.
        var back = vm.Reload(v1);

        Assert.True(back.Applied, back.ToString());
        Assert.Equal(4 + 9 + 1, total());
        Assert.Equal(2 + 3 + 5, sides());

        // And forth again: the override comes back on the slot it had.
        vm.Reload(v2);
        Assert.Equal(5 + 300 + 1, total());
    }
}
