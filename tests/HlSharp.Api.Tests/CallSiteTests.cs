using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// Call sites the compiler binds more cheaply than through a tested slot (issue 12): a function
/// calling itself is a direct call when nothing can replace its body, and a call to a function
/// compiled before its caller skips the test for "not compiled yet". Each must behave as the slot
/// did: the new body after a reload, every frame in a Haxe stack, several classes at one site,
/// and several threads compiling and running at once. The fixture is <c>tests/fixtures/CallSites</c>.
/// </summary>
public sealed class CallSiteTests
{
    private static HlVm Start(bool hotReload)
    {
        var vm = HlVm.LoadFile(HaxeFixtures.Compile("CallSites/v1"), new HlVmOptions { HotReload = hotReload, StandardOutput = new MemoryStream() });
        vm.RunEntry();
        return vm;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Recursion_a_callee_compiled_first_and_an_override_site_seeing_three_classes_give_their_answers(bool hotReload)
    {
        using var vm = Start(hotReload);

        Assert.Equal(10, vm.CallStatic<int>("Main", "helper"));   // compiled before its caller
        Assert.Equal(11, vm.CallStatic<int>("Main", "useHelper"));
        Assert.Equal(5000, vm.CallStatic<int>("Main", "depth", 5000));
        // Shape, Tri, Quad in turn at one CallMethod site: 0 + 3 + 4 per round of three.
        Assert.Equal(7 * 100 + 3, vm.CallStatic<int>("Main", "sidesOf", 302));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_throw_at_the_bottom_of_a_recursion_lists_every_frame_of_it(bool hotReload)
    {
        using var vm = Start(hotReload);

        var error = Assert.Throws<HlHaxeException>(() => vm.CallStatic<int>("Main", "fail", 5));

        Assert.Equal("bottom", error.ValueText);
        // The five calls from fail to itself and the host's call of it: six frames of Main.fail.
        Assert.Equal(6, error.HaxeStack.Count(f => f.Contains("Main.fail", StringComparison.Ordinal)));
    }

    [Fact]
    public void After_a_reload_a_caller_compiled_after_its_callee_and_a_recursion_run_the_new_bodies()
    {
        using var vm = Start(hotReload: true);
        Assert.Equal(10, vm.CallStatic<int>("Main", "helper"));
        Assert.Equal(11, vm.CallStatic<int>("Main", "useHelper"));
        Assert.Equal(3, vm.CallStatic<int>("Main", "depth", 3));

        var result = vm.Reload(HaxeFixtures.Compile("CallSites/v2"));

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(21, vm.CallStatic<int>("Main", "useHelper"));
        Assert.Equal(6, vm.CallStatic<int>("Main", "depth", 3));
    }

    [Fact]
    public async Task Threads_compiling_and_running_the_same_call_sites_at_once_all_get_the_right_answers()
    {
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile("CallSites/v1"), new HlVmOptions { StandardOutput = new MemoryStream(), AutoRegisterThreads = true });
        vm.RunEntry();
        var depth = vm.GetFunction<Func<int, int>>("Main", "depth");
        var sides = vm.GetFunction<Func<int, int>>("Main", "sidesOf");
        var useHelper = vm.GetFunction<Func<int>>("Main", "useHelper");
        using var start = new Barrier(4);

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 200; i++)
            {
                Assert.Equal(300, depth(300));
                Assert.Equal(7 * 10, sides(30));
                Assert.Equal(11, useHelper());
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
    }
}
