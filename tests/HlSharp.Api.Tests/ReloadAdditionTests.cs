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

    [Fact]
    public void A_second_reload_finds_what_the_first_added_and_going_back_leaves_the_added_functions_in_their_slots()
    {
        using var vm = Started("ReloadAddFunction");
        var plain = vm.GetClass("Main").Get<HlObject>("plain");
        vm.Reload(HaxeFixtures.Compile("ReloadAddFunction/v2"));
        Assert.Equal(208, vm.CallStatic<int>("Main", "run"));

        var third = vm.Reload(HaxeFixtures.Compile("ReloadAddFunction/v3"));

        // scaled() was added by the first reload: the second finds it and changes its body.
        Assert.Equal(["Counter.scaled", "Main.run"], third.FunctionsChanged.Order());
        Assert.Equal(["Counter.bumpBy", "Counter.bumpBy~0"], third.FunctionsAdded.Order());
        // bumpBy(5) takes n from 2 to 7 through its closure, scaled(1) is now n * 10.
        Assert.Equal(7 + 70, vm.CallStatic<int>("Main", "run"));

        var back = vm.Reload(HaxeFixtures.Compile("ReloadAddFunction/v1"));

        Assert.True(back.Applied, back.ToString());
        Assert.Empty(back.FunctionsAdded);
        Assert.Equal(8, vm.CallStatic<int>("Main", "run"));      // v1's run: plain.inc()
        Assert.Equal(80, plain.Call<int>("scaled", 1));         // v1 lacks it: it stays in its slot, as v3 left it

        var again = vm.Reload(HaxeFixtures.Compile("ReloadAddFunction/v2"));

        Assert.Empty(again.FunctionsAdded);                     // every function v2 has, the module has
        Assert.Contains("Counter.scaled", again.FunctionsChanged);
        Assert.Equal(209 + 27, vm.CallStatic<int>("Main", "run"));
    }

    private static HlVmOptions WithTwice(bool strict)
    {
        var options = new HlVmOptions { HotReload = true, StrictNatives = strict };
        options.Natives.Add("game", "twice", (Func<int, int>)(x => x * 2));
        return options;
    }

    [Fact]
    public void An_added_native_is_bound_as_at_load()
    {
        using var vm = Started("ReloadAddNative", WithTwice(strict: true));
        Assert.Equal(1, vm.CallStatic<int>("Main", "value"));

        var result = vm.Reload(HaxeFixtures.Compile("ReloadAddNative/v2"));

        Assert.Contains("native game@twice", result.FunctionsAdded);
        Assert.Equal(42, vm.CallStatic<int>("Main", "value"));
    }

    [Fact]
    public void An_added_native_nobody_provides_is_refused_when_natives_are_strict_and_throws_when_called_otherwise()
    {
        using (var strict = Started("ReloadAddNative", WithTwice(strict: true)))
        {
            Assert.False(strict.TryReload(HaxeFixtures.Compile("ReloadAddNative/v3"), out var refused));

            var refusal = Assert.Single(refused.Refused);
            Assert.Equal("native game@absent", refusal.Type);
            Assert.Contains("not available", refusal.Reason, StringComparison.Ordinal);
            Assert.Equal(1, strict.CallStatic<int>("Main", "value"));   // nothing changed
        }

        using var lenient = Started("ReloadAddNative", WithTwice(strict: false));
        var applied = lenient.Reload(HaxeFixtures.Compile("ReloadAddNative/v3"));

        Assert.Contains("native game@absent", applied.FunctionsAdded);
        var e = Assert.ThrowsAny<HlException>(() => lenient.CallStatic<int>("Main", "value"));
        Assert.Contains("game@absent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_added_class_is_usable_from_changed_code_and_from_the_host()
    {
        using var vm = Started("ReloadAddClass");
        Assert.False(vm.TryGetClass("Extra", out _));

        var result = vm.Reload(HaxeFixtures.Compile("ReloadAddClass/v2"));

        Assert.Equal(["class Extra"], result.ClassesAdded);
        Assert.Contains("Extra.twice", result.FunctionsAdded);
        Assert.Contains("Extra.make", result.FunctionsAdded);
        Assert.Equal(42, vm.CallStatic<int>("Main", "run"));
        // Its class object exists as the entry would have made it: reflection names it.
        Assert.Equal("Extra", vm.CallStatic<string>("Main", "name"));
        Assert.Equal(10, vm.New("Extra", 5).Call<int>("twice"));
        Assert.Equal(6, vm.GetClass("Extra").Call<HlObject>("make", 3).Call<int>("twice"));

        // Reloading the same version again finds the class and everything it brought.
        var again = vm.Reload(HaxeFixtures.Compile("ReloadAddClass/v2"));
        Assert.Empty(again.ClassesAdded);
        Assert.Empty(again.FunctionsAdded);
        Assert.Equal(42, vm.CallStatic<int>("Main", "run"));
    }

    [Fact]
    public void An_added_enum_is_built_by_the_new_entry_and_its_values_match_and_reflect()
    {
        using var vm = Started("ReloadAddEnum");
        Assert.Equal("level 3", vm.CallStatic<string>("Main", "describe", 3));

        var result = vm.Reload(HaxeFixtures.Compile("ReloadAddEnum/v2"));

        Assert.True(result.Applied, result.ToString());
        Assert.Contains("enum Mood", result.ClassesAdded);
        Assert.Equal("angry 3 / Angry / Mood / 1 / Angry(3)", vm.CallStatic<string>("Main", "describe", 3));
        Assert.Equal("calm / Calm / Mood / 1 / Calm", vm.CallStatic<string>("Main", "describe", 0));
        Assert.Equal("Calm", vm.NewEnum("Mood", "Calm").Name);

        // The same version again finds the enum: nothing is added, its values still match.
        var again = vm.Reload(HaxeFixtures.Compile("ReloadAddEnum/v2"));
        Assert.Empty(again.ClassesAdded);
        Assert.Equal("angry 1 / Angry / Mood / 1 / Angry(1)", vm.CallStatic<string>("Main", "describe", 1));
    }

    [Fact]
    public void A_recompile_that_adds_a_class_elsewhere_shifts_every_index_and_applies_whole_with_HotReload()
    {
        using var vm = Started("ReloadBody");
        Assert.Equal(1, vm.CallStatic<int>("Main", "answer"));
        Assert.Equal(41, vm.CallStatic<int>("Main", "bump"));

        var result = vm.Reload(HaxeFixtures.Compile("ReloadBody/v3"));

        Assert.Equal(["class Extra"], result.ClassesAdded);
        Assert.Contains("Extra.twice", result.FunctionsAdded);
        Assert.Equal(["Main.answer", "Main.label"], result.FunctionsChanged.Order());
        Assert.Equal(6, vm.CallStatic<int>("Main", "answer"));                 // Extra.twice(3), from the changed body
        Assert.Equal(42, vm.GetClass("Extra").Call<int>("twice", 21));          // from the host
        Assert.Equal("second, brand new hello", vm.CallStatic<string>("Main", "label"));
        Assert.Equal(42, vm.CallStatic<int>("Main", "bump"));                   // statics kept
    }

    [Fact]
    public void An_added_method_and_the_changed_body_that_calls_it_apply_together_while_four_Haxe_threads_run()
    {
        using var vm = Started("ReloadAddThreads");
        var threads = Enumerable.Range(0, 4).ToArray();
        Within(() => threads.All(i => vm.CallStatic<int>("Main", "callsOf", i) > 100), "the threads never got going");

        var result = vm.Reload(HaxeFixtures.Compile("ReloadAddThreads/v2"));

        Assert.Equal(["Worker.stepTwice", "Worker.stepTwice~0"], result.FunctionsAdded.Order());
        Assert.Equal(["Main.version"], result.FunctionsChanged);
        Within(() => threads.All(i => vm.CallStatic<int>("Main", "newestOf", i) == 2), "a thread never ran the new code");
        var lost = -1;
        Within(() => (lost = vm.CallStatic<int>("Main", "finish")) >= 0, "the threads did not stop");
        Assert.Equal(0, lost);
        Assert.Equal(0, vm.CallStatic<int>("Main", "errorCount"));   // no thread saw 1 after 2
    }

    [Fact]
    public void An_added_subclass_of_a_class_that_gains_a_method_in_the_same_reload_dispatches_to_its_override()
    {
        using var vm = Started("ReloadAddSubclass");

        var result = vm.Reload(HaxeFixtures.Compile("ReloadAddSubclass/v2"));

        Assert.Equal(["class Basic", "class Fancier"], result.ClassesAdded.Order());
        // Through a Counter: the slot Counter.scaled got in this reload, filled by Fancier's override
        // (inc from Fancy), and inherited by Basic from the table Counter has once the reload is published.
        Assert.Equal((7 * 2) + 10 + 1 + 100, vm.CallStatic<int>("Main", "fancier"));
        Assert.Equal(0, vm.New("Basic").Call<int>("scaled", 3));
        Assert.Equal(7 * 3, vm.New("Fancier").Call<int>("scaled", 3));
        Assert.Equal(1030, vm.CallStatic<int>("Main", "viaFancy"));   // the existing Fancy object keeps its own override
    }

    /// <summary>Polls a condition until it holds, for at most 30 s (a limit that only matters when the test fails).</summary>
    private static void Within(Func<bool> condition, string failure) =>
        Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)), failure);
}
