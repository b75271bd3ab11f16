using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// Hot reload as a host uses it (issue 11): load with <see cref="HlVmOptions.HotReload"/>, rebuild,
/// <see cref="HlVm.Reload(string)"/>. The fixtures' versions are compiled by haxe during the run:
/// <c>ReloadBody</c> v2 changes two bodies and adds a string constant, <c>ReloadClosure</c> v2 a
/// closure's body, <c>ReloadThreads</c> v2 the function four Haxe threads call in a loop.
/// </summary>
public sealed class ReloadTests
{
    [Fact]
    public void A_changed_body_runs_at_the_next_call_and_statics_keep_their_values()
    {
        using var vm = ReloadFixture.Start("ReloadBody/v1");
        var answerBefore = vm.GetFunction<Func<int>>("Main", "answer");   // a direct delegate
        var labelBefore = vm.GetFunction<Func<string>>("Main", "label");  // a boxing delegate
        Assert.Equal(1, answerBefore());
        Assert.Equal("first hello", labelBefore());
        Assert.Equal(41, vm.CallStatic<int>("Main", "bump"));

        var result = vm.Reload(ReloadFixture.Path("ReloadBody/v2"));

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(["Main.answer", "Main.label"], result.FunctionsChanged.Order());
        Assert.Empty(result.FunctionsAdded);
        Assert.Empty(result.ClosuresChanged);
        Assert.Empty(result.Refused);
        Assert.Equal(2, vm.CallStatic<int>("Main", "answer"));
        Assert.Equal(2, answerBefore());
        // label's new string constant is added; greet() was not reloaded and still reads its own string.
        Assert.Equal("second, brand new hello", labelBefore());
        Assert.Equal("second, brand new hello", vm.CallStatic<string>("Main", "label"));
        Assert.Equal("hello", vm.CallStatic<string>("Main", "greet"));
        // The static kept its value: main's `counter = 40` did not run again.
        Assert.Equal(42, vm.CallStatic<int>("Main", "bump"));
        Assert.Equal(42, vm.GetClass("Main").Get<int>("counter"));
    }

    [Fact]
    public void Reloading_the_same_version_again_changes_nothing_and_going_back_restores_the_old_bodies()
    {
        using var vm = ReloadFixture.Start("ReloadBody/v1");
        Assert.True(vm.Reload(ReloadFixture.Path("ReloadBody/v2")).Applied);

        var again = vm.Reload(ReloadFixture.Path("ReloadBody/v2"));
        var back = vm.Reload(ReloadFixture.Bytes("ReloadBody/v1"));

        Assert.True(again.IsEmpty, again.ToString());
        Assert.False(back.IsEmpty);
        Assert.Equal(["Main.answer", "Main.label"], back.FunctionsChanged.Order());
        Assert.Equal(1, vm.CallStatic<int>("Main", "answer"));
        Assert.Equal("first hello", vm.CallStatic<string>("Main", "label"));
    }

    [Fact]
    public void The_program_it_was_loaded_with_reloaded_unchanged_is_empty()
    {
        using var vm = ReloadFixture.Start("ReloadBody/v1");

        var result = vm.Reload(ReloadFixture.Path("ReloadBody/v1"));

        Assert.True(result.Applied);
        Assert.True(result.IsEmpty, result.ToString());
        Assert.Matches(@"^reloaded in \d+ ms: no change$", result.ToString());
    }

    [Fact]
    public void A_changed_closure_is_matched_by_its_creator_and_a_closure_made_before_runs_the_new_body()
    {
        using var vm = ReloadFixture.Start("ReloadClosure/v1");
        Assert.Equal(11, vm.CallStatic<int>("Main", "callHeld", 1));

        var result = vm.Reload(ReloadFixture.Path("ReloadClosure/v2"));

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(["Main.make~0"], result.ClosuresChanged);
        Assert.Empty(result.FunctionsChanged);
        Assert.Equal(21, vm.CallStatic<int>("Main", "callHeld", 1));   // made by v1, captured k = 10
        Assert.Equal(201, vm.CallStatic<int>("Main", "fresh", 1));
    }

    [Fact]
    public void A_reload_while_four_Haxe_threads_call_the_changed_function_parks_them_and_applies_whole()
    {
        using var vm = ReloadFixture.Start("ReloadThreads/v1");
        var threads = Enumerable.Range(0, 4).ToArray();
        Within(() => threads.All(i => vm.CallStatic<int>("Main", "callsOf", i) > 100), "the threads never got going");

        var result = vm.Reload(ReloadFixture.Path("ReloadThreads/v2"));

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(["Main.version"], result.FunctionsChanged);
        Within(() => threads.All(i => vm.CallStatic<int>("Main", "newestOf", i) == 2), "a thread never ran the new body");
        var lost = -1;
        Within(() => (lost = vm.CallStatic<int>("Main", "finish")) >= 0, "the threads did not stop");
        Assert.Equal(0, lost);
        Assert.Equal(0, vm.CallStatic<int>("Main", "errorCount"));   // no thread saw 1 after 2
    }

    /// <summary>Polls a condition until it holds, for at most 30 s (a limit that only matters when the test fails).</summary>
    private static void Within(Func<bool> condition, string failure) =>
        Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)), failure);
}

/// <summary>Loads the versioned reload fixtures (<c>tests/fixtures/Reload*/v1</c>...) with hot reload on.</summary>
internal static class ReloadFixture
{
    /// <summary>The compiled file of a fixture version (<c>ReloadBody/v2</c>).</summary>
    public static string Path(string version) => HaxeFixtures.Compile(version);

    /// <summary>The compiled bytes of a fixture version.</summary>
    public static byte[] Bytes(string version) => HaxeFixtures.Bytes(version);

    /// <summary>The options the reload tests load with: hot reload on, output kept from the console.</summary>
    public static HlVmOptions Options() => new() { HotReload = true, StandardOutput = new MemoryStream() };

    /// <summary>Loads a version with hot reload on and runs its entry.</summary>
    public static HlVm Start(string version, HlVmOptions? options = null)
    {
        var vm = HlVm.LoadFile(Path(version), options ?? Options());
        vm.RunEntry();
        return vm;
    }
}
