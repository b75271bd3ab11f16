using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// Hot reload of fields added to existing classes, through the public API: instance fields with
/// instances alive (tests/fixtures/ReloadFieldInstance v1..v3), static variables initialised while
/// the existing ones keep their values (ReloadFieldStatic), and the field changes refused whole
/// (ReloadFieldRefused).
/// </summary>
public sealed class ReloadFieldTests
{
    private static HlVm Load(string fixture)
    {
        var vm = HlVm.LoadFile(HaxeFixtures.Compile(fixture + "/v1"), new HlVmOptions { HotReload = true, StandardOutput = new MemoryStream() });
        vm.RunEntry();
        return vm;
    }

    [Fact]
    public void An_instance_made_before_the_reload_reads_the_added_fields_defaults_until_written_and_a_new_one_gets_the_constructors_values()
    {
        using var vm = Load("ReloadFieldInstance");
        var kept = vm.GetClass("Main").Get<HlObject>("kept");
        Assert.Equal("kept hp=10", vm.CallStatic<string>("Main", "describe", kept));

        var result = vm.Reload(HaxeFixtures.Compile("ReloadFieldInstance/v2"));

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(["Base.armor", "Player.alive", "Player.shield", "Player.title"], result.FieldsAdded.Order());
        Assert.Empty(result.StaticsAdded);
        // Player extends Base: a field added to the super class reaches the subclass instance alive.
        Assert.Equal("kept hp=10 armor=0 shield=0 title=null alive=false", vm.CallStatic<string>("Main", "describe", kept));

        var fresh = vm.CallStatic<HlObject>("Main", "make", "new");
        Assert.Equal("new hp=10 armor=1.5 shield=5 title=sir alive=true", vm.CallStatic<string>("Main", "describe", fresh));

        // Writes from compiled Haxe code stick, and do not leak to another instance.
        vm.CallStatic("Main", "setShield", kept, 42);
        Assert.Equal("kept hp=10 armor=0 shield=42 title=null alive=false", vm.CallStatic<string>("Main", "describe", kept));
        Assert.Equal("new hp=10 armor=1.5 shield=5 title=sir alive=true", vm.CallStatic<string>("Main", "describe", fresh));
    }

    [Fact]
    public void An_added_field_is_reached_by_the_host_view_by_Reflect_and_by_dynamic_access()
    {
        using var vm = Load("ReloadFieldInstance");
        var kept = vm.GetClass("Main").Get<HlObject>("kept");
        vm.Reload(HaxeFixtures.Compile("ReloadFieldInstance/v2"));

        Assert.Contains("shield", kept.FieldNames);
        Assert.Equal(0, kept.Get<int>("shield"));
        Assert.Null(kept.Get<string?>("title"));
        Assert.Equal(0, vm.CallStatic<int>("Main", "reflectGet", kept, "shield"));
        Assert.Equal(0, vm.CallStatic<int>("Main", "dynShield", kept));

        kept.Set("shield", 7);
        kept.Set("title", "lord");
        Assert.Equal(7, vm.CallStatic<int>("Main", "reflectGet", kept, "shield"));
        Assert.Equal("kept hp=10 armor=0 shield=7 title=lord alive=false", vm.CallStatic<string>("Main", "describe", kept));

        vm.CallStatic("Main", "reflectSet", kept, "shield", 9);
        vm.CallStatic("Main", "reflectSet", kept, "armor", 2.25);
        Assert.Equal(9, kept.Get<int>("shield"));
        Assert.Equal(9, vm.CallStatic<int>("Main", "dynShield", kept));
        Assert.Equal(2.25, kept.Get<double>("armor"));
    }

    [Fact]
    public void A_second_reload_adds_another_field_and_keeps_the_values_of_the_fields_the_first_added()
    {
        using var vm = Load("ReloadFieldInstance");
        var kept = vm.GetClass("Main").Get<HlObject>("kept");
        vm.Reload(HaxeFixtures.Compile("ReloadFieldInstance/v2"));
        var made2 = vm.CallStatic<HlObject>("Main", "make", "two");
        vm.CallStatic("Main", "setShield", kept, 11);

        var result = vm.Reload(HaxeFixtures.Compile("ReloadFieldInstance/v3"));

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(["Player.level"], result.FieldsAdded);
        Assert.Equal("kept hp=10 armor=0 shield=11 title=null alive=false level=0", vm.CallStatic<string>("Main", "describe", kept));
        Assert.Equal("two hp=10 armor=1.5 shield=5 title=sir alive=true level=0", vm.CallStatic<string>("Main", "describe", made2));
        Assert.Equal("three hp=10 armor=1.5 shield=5 title=sir alive=true level=3",
            vm.CallStatic<string>("Main", "describe", vm.CallStatic<HlObject>("Main", "make", "three")));

        // The same version again adds nothing.
        var again = vm.Reload(HaxeFixtures.Compile("ReloadFieldInstance/v3"));
        Assert.True(again.Applied, again.ToString());
        Assert.Empty(again.FieldsAdded);
        Assert.Equal("kept hp=10 armor=0 shield=11 title=null alive=false level=0", vm.CallStatic<string>("Main", "describe", kept));
    }

    [Fact]
    public void Added_statics_are_initialised_and_existing_statics_keep_their_values_though_their_initialisers_changed()
    {
        using var vm = Load("ReloadFieldStatic");
        Assert.Equal(41, vm.CallStatic<int>("Main", "bump"));

        var result = vm.Reload(HaxeFixtures.Compile("ReloadFieldStatic/v2"));

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(["Main.bonus", "Main.flag", "Main.label", "Main.list", "Main.scale"], result.StaticsAdded.Order());
        Assert.Empty(result.FieldsAdded);
        // counter's initialiser is 2 and greeting's "v2" in v2, and main sets counter = 40, bonus = 99: none ran again.
        Assert.Equal("counter=41 greeting=v1 bonus=7 label=new scale=2.5 flag=true list=3", vm.CallStatic<string>("Main", "report"));
        Assert.Equal(42, vm.CallStatic<int>("Main", "bump"));
        Assert.Equal(8, vm.GetClass("Main").Get<int>("bonus"));
        Assert.Equal(8, vm.CallStatic<int>("Main", "reflectStatic", "bonus"));
        Assert.Equal("new", vm.CallStatic<string>("Main", "reflectStatic", "label"));

        vm.GetClass("Main").Set("bonus", 100);
        Assert.Equal("counter=42 greeting=v1 bonus=100 label=new scale=2.5 flag=true list=3", vm.CallStatic<string>("Main", "report"));
    }

    [Fact]
    public void A_removed_a_renamed_and_a_retyped_field_are_refused_naming_type_and_member_and_nothing_changes()
    {
        using var vm = Load("ReloadFieldRefused");
        var p = vm.GetClass("Main").Get<HlObject>("kept");

        var removed = vm.TryReload(HaxeFixtures.Compile("ReloadFieldRefused/v2"), out var r2);
        var retyped = vm.TryReload(HaxeFixtures.Compile("ReloadFieldRefused/v3"), out var r3);

        Assert.False(removed);
        Assert.Contains(r2.Refused, r => r.Type == "class Point" && r.Member == "y" && r.Reason.Contains("removed", StringComparison.Ordinal));
        Assert.Contains(r2.Refused, r => r.Type == "class Point" && r.Member == "z" && r.Reason.Contains("removed", StringComparison.Ordinal));
        Assert.DoesNotContain(r2.Refused, r => r.Member == "w");
        Assert.Empty(r2.FieldsAdded);
        Assert.False(retyped);
        Assert.Contains(r3.Refused, r => r.Type == "class Point" && r.Member == "x" && r.Reason.Contains("type changed", StringComparison.Ordinal));
        Assert.Contains(r3.Refused, r => r.Type == "class Point" && r.Reason.Contains("super class changed", StringComparison.Ordinal));
        // Nothing of either applied: the v1 bodies and fields are still there.
        Assert.Equal("x=1 y=2 z=3", vm.CallStatic<string>("Main", "show", p));
        Assert.Equal(["x", "y", "z"], p.FieldNames.Order());
    }

    [Fact]
    public void A_new_static_whose_initialiser_throws_is_reported_and_the_reload_stays_applied()
    {
        using var vm = Load("ReloadFieldInitThrows");
        var reports = new List<HlUnhandledExceptionEventArgs>();
        vm.UnhandledException += (_, e) => reports.Add(e);

        Assert.True(vm.TryReload(HaxeFixtures.Compile("ReloadFieldInitThrows/v2"), out var result), result.ToString());

        var report = Assert.Single(reports);
        Assert.Equal(HlUnhandledExceptionSource.ReloadInitializer, report.Source);
        Assert.Contains("no level named castle", report.Exception.Message, StringComparison.Ordinal);
        // The new body runs; the statics before the throw are initialised, the ones after it keep their default.
        Assert.Equal("counter=1 first=5 broken=0 later=0", vm.CallStatic<string>("Main", "report"));
    }

    [Fact]
    public void A_Reloaded_handler_that_throws_is_reported_and_the_other_handlers_and_the_call_go_on()
    {
        using var vm = Load("ReloadFieldInitThrows");
        var reports = new List<HlUnhandledExceptionEventArgs>();
        var seen = new List<HlReloadResult>();
        vm.UnhandledException += (_, e) => reports.Add(e);
        vm.Reloaded += (_, _) => throw new InvalidOperationException("the host's handler broke");
        vm.Reloaded += (_, r) => seen.Add(r);

        var returned = vm.Reload(HaxeFixtures.Compile("ReloadFieldInitThrows/v1"));

        Assert.Same(returned, Assert.Single(seen));
        var report = Assert.Single(reports);
        Assert.Equal(HlUnhandledExceptionSource.ReloadedHandler, report.Source);
        Assert.Equal("the host's handler broke", report.Exception.Message);
    }

    /// <summary>
    /// An added static function is also an added field of <c>$Main</c> with a binding: the reload
    /// gives the function a slot and sets that field on the one class object, so the function is
    /// reached by <c>Reflect.field(Main, "extra")</c> and through the host's class view.
    /// </summary>
    [Fact]
    public void An_added_static_function_is_callable_and_its_binding_is_set_on_the_class_object()
    {
        using var vm = Load("ReloadFieldBinding");
        Assert.Null(vm.CallStatic("Main", "viaReflect", "extra"));

        var result = vm.Reload(HaxeFixtures.Compile("ReloadFieldBinding/v2"));

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(["Main.extra"], result.FunctionsAdded);
        Assert.Empty(result.StaticsAdded);
        Assert.Equal(7, vm.CallStatic<int>("Main", "viaReflect", "extra"));
        Assert.Equal(7, vm.GetClass("Main").Call<int>("extra"));
    }

    [Fact]
    public void A_reload_adding_a_field_and_a_static_that_a_changed_body_uses_applies_whole_under_four_Haxe_threads()
    {
        using var vm = Load("ReloadFieldThreads");
        var threads = Enumerable.Range(0, 4).ToArray();
        Within(() => threads.All(i => vm.CallStatic<int>("Main", "hitsOf", i) > 100), "the threads never got going");
        var before = threads.Select(i => vm.CallStatic<int>("Main", "hitsOf", i)).ToArray();

        var result = vm.Reload(HaxeFixtures.Compile("ReloadFieldThreads/v2"));

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(["Counter.bonus"], result.FieldsAdded);
        Assert.Equal(["Main.weight"], result.StaticsAdded);
        Within(() => threads.All(i => vm.CallStatic<int>("Main", "bonusOf", i) > 0), "a thread never ran the new step");
        var errors = -1;
        Within(() => (errors = vm.CallStatic<int>("Main", "finish")) >= 0, "the threads did not stop");
        // No step saw the new body without the new static initialised (weight 5).
        Assert.Equal(0, errors);
        foreach (var i in threads)
        {
            var bonus = vm.CallStatic<int>("Main", "bonusOf", i);
            var hits = vm.CallStatic<int>("Main", "hitsOf", i);
            Assert.Equal(0, bonus % 5);
            Assert.InRange(bonus / 5, 1, hits - before[i]);
        }
    }

    /// <summary>Polls a condition until it holds, for at most 30 s (a limit that only matters when the test fails).</summary>
    private static void Within(Func<bool> condition, string failure) =>
        Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)), failure);
}
