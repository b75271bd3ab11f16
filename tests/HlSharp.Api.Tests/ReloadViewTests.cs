namespace HlSharp.Api.Tests;

/// <summary>
/// What the host holds across a reload (issue 11, item 3): a delegate, a class view, an instance
/// and a Haxe closure, all taken before it, run the new bodies after it; a Haxe frame that was
/// running when the reload came finishes in its old body. Fixture <c>tests/fixtures/ReloadApi</c>.
/// </summary>
public sealed class ReloadViewTests
{
    [Fact]
    public void Delegates_class_views_instances_and_closures_taken_before_the_reload_run_the_new_bodies()
    {
        using var vm = ReloadFixture.Start("ReloadApi/v1", Options(reload: null));
        var answer = vm.GetFunction<Func<int>>("Main", "answer");
        var main = vm.GetClass("Main");
        var counter = vm.New("Counter", 5);
        var adder = vm.GetFunction<Func<int, Func<int, int>>>("Main", "adder")(3);   // a Haxe closure as a delegate
        Assert.Equal((1, 1, 6, 4), (answer(), main.Call<int>("answer"), counter.Call<int>("value"), adder(1)));

        var result = vm.Reload(ReloadFixture.Path("ReloadApi/v2"));

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(["Counter.value", "Main.answer", "Main.during"], result.FunctionsChanged.Order());
        Assert.Equal(["Main.adder~0"], result.ClosuresChanged);
        Assert.Equal(2, answer());
        Assert.Equal(2, main.Call<int>("answer"));
        Assert.Equal(105, counter.Call<int>("value"));
        Assert.Equal(5, counter.Get<int>("n"));            // the instance kept its state
        Assert.Equal(31, adder(1));                        // made by v1 with k = 3, runs v2's x + k * 10
        Assert.Equal(105, vm.New("Counter", 5).Call<int>("value"));
    }

    [Fact]
    public void A_frame_running_when_the_reload_comes_finishes_in_its_old_body_and_its_calls_reach_the_new_code()
    {
        HlVm? vm = null;
        var results = new List<HlReloadResult>();
        // during() calls answer(), asks the host to reload, calls answer() again and returns
        // before * 100 + after * 10 + (1 in v1, 2 in v2).
        vm = ReloadFixture.Start("ReloadApi/v1", Options(reload: () => results.Add(vm!.Reload(ReloadFixture.Path("ReloadApi/v2")))));

        Assert.Equal(121, vm.CallStatic<int>("Main", "during"));   // old frame: 1 before, 2 after, its own + 1
        Assert.Equal(222, vm.CallStatic<int>("Main", "during"));   // the next call runs v2's body

        Assert.True(results[0].Applied, results[0].ToString());
        Assert.Contains("Main.during", results[0].FunctionsChanged);
        Assert.True(results[1].IsEmpty, results[1].ToString());
        vm.Dispose();
    }

    private static HlVmOptions Options(Action? reload)
    {
        var options = ReloadFixture.Options();
        options.Natives.Add("host", "reloadNow", reload ?? (() => { }));
        return options;
    }
}
