using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// Hot reload of additions (issue 11, docs/HOT-RELOAD.md section 5), through the public API: a new
/// version adds methods to existing classes (with an override in a subclass), closures, natives and
/// structural types; they land in slots a VM loaded with <c>HotReload</c> keeps for them, and the
/// objects the old version made call the new methods.
/// </summary>
public sealed class ReloadAdditionTests
{
    private static HlVm Started(string fixture, HlVmOptions? options = null)
    {
        var vm = HlVm.LoadFile(HaxeFixtures.Compile($"{fixture}/v1"), options ?? new HlVmOptions { HotReload = true });
        vm.RunEntry();
        return vm;
    }

    [Fact]
    public void An_added_method_and_its_override_run_on_objects_the_old_version_made_and_added_closures_run()
    {
        using var vm = Started("ReloadAddFunction");
        var plain = vm.GetClass("Main").Get<HlObject>("plain");
        var fancy = vm.GetClass("Main").Get<HlObject>("fancy");

        var result = vm.Reload(HaxeFixtures.Compile("ReloadAddFunction/v2"));

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(["Counter.scaled", "Fancy.scaled", "Main.run~0", "Main.run~1"], result.FunctionsAdded.Order());
        Assert.Equal(["Main.run", "Main.viaFancy"], result.FunctionsChanged.Order());
        // run(): plain.inc() is 2 (main's inc ran once, statics kept), twice adds 200, plain.scaled(3) is 6.
        Assert.Equal(208, vm.CallStatic<int>("Main", "run"));
        // viaFancy(): Fancy's inc adds 10, and Fancy's added override of scaled dispatches on the v1 object.
        Assert.Equal(10 + (10 * 2) + 1000, vm.CallStatic<int>("Main", "viaFancy"));
        // The host calls the added methods on objects made before the reload, by name and by delegate.
        Assert.Equal(2 * 4, plain.Call<int>("scaled", 4));
        Assert.Equal((10 * 4) + 1000, fancy.Call<int>("scaled", 4));
        Assert.Equal(2 * 5, plain.GetMethod<Func<int, int>>("scaled")(5));
        // A new object gets the new method table too.
        Assert.Equal(0, vm.CallStatic<HlObject>("Main", "make").Call<int>("scaled", 7));
    }
}
