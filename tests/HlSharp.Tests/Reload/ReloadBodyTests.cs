using System.Runtime.CompilerServices;
using HlSharp.Bytecode;
using HlSharp.Engine;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Reload;

/// <summary>
/// The spike of hot reload (issue 11, docs/HOT-RELOAD.md): a new version of a program whose
/// changes are function bodies is applied between host calls. The fixture's three versions are
/// compiled by haxe: v2 changes two bodies and adds a string constant, v3 also adds a class.
/// </summary>
public sealed class ReloadBodyTests
{
    private static HlCode Version(int v) => HlCode.ReadFile(HaxeFixtures.Compile($"ReloadBody/v{v}"));

    private static HlVm Started()
    {
        var vm = HlVm.LoadFile(HaxeFixtures.Compile("ReloadBody/v1"));
        vm.RunEntry();
        return vm;
    }

    [Fact]
    public void A_changed_body_runs_at_the_next_call_and_statics_keep_their_values()
    {
        using var vm = Started();
        var answerBefore = vm.GetFunction<Func<int>>("Main", "answer");   // a direct delegate: reads the slot
        var labelBefore = vm.GetFunction<Func<string>>("Main", "label");  // a boxing delegate: through the invoker
        Assert.Equal(1, answerBefore());
        Assert.Equal("first hello", labelBefore());
        Assert.Equal(41, vm.CallStatic<int>("Main", "bump"));

        var outcome = vm.Module.Reload(Version(2));

        Assert.True(outcome.Applied, string.Join("\n", outcome.Refused));
        Assert.Equal(["Main.answer (static)", "Main.label (static)"], outcome.FunctionsChanged.Order());
        Assert.Equal(2, vm.CallStatic<int>("Main", "answer"));
        Assert.Equal(2, answerBefore());
        Assert.Equal("second, brand new hello", labelBefore());
        Assert.Equal("second, brand new hello", vm.CallStatic<string>("Main", "label"));
        // The static kept its value: main's `counter = 40` did not run again.
        Assert.Equal(42, vm.CallStatic<int>("Main", "bump"));
        Assert.Equal(42, vm.GetClass("Main").Get<int>("counter"));
    }

    [Fact]
    public void The_new_string_constant_is_added_and_the_old_strings_keep_their_indices()
    {
        using var vm = Started();
        var strings = vm.Module.StringCount;
        var globals = vm.Module.Storage.GlobalCount;

        var outcome = vm.Module.Reload(Version(2));

        Assert.True(outcome.Applied, string.Join("\n", outcome.Refused));
        Assert.True(outcome.StringsAdded >= 1, $"{outcome.StringsAdded} strings added");
        Assert.Equal(strings + outcome.StringsAdded, vm.Module.StringCount);
        Assert.Equal(globals + outcome.GlobalsAdded, vm.Module.Storage.GlobalCount);
        Assert.Equal("second, brand new ", vm.Module.StringText(vm.Module.StringCount - outcome.StringsAdded));
        // greet() was not reloaded and still reads its string at its old index.
        Assert.Equal("hello", vm.CallStatic<string>("Main", "greet"));
    }

    [Fact]
    public void Reloading_the_same_version_again_changes_nothing_and_going_back_restores_the_old_bodies()
    {
        using var vm = Started();
        Assert.True(vm.Module.Reload(Version(2)).Applied);

        var again = vm.Module.Reload(Version(2));
        var back = vm.Module.Reload(Version(1));

        Assert.Empty(again.FunctionsChanged);
        Assert.Equal(["Main.answer (static)", "Main.label (static)"], back.FunctionsChanged.Order());
        Assert.Equal(1, vm.CallStatic<int>("Main", "answer"));
        Assert.Equal("first hello", vm.CallStatic<string>("Main", "label"));
    }

    [Fact]
    public void A_frame_running_the_old_body_finishes_in_it()
    {
        // What a frame that was inside the old body goes on executing: its compiled method, which
        // the reload leaves intact (only the slot moves). The thread test parks real frames.
        using var vm = Started();
        var oldMethod = vm.Module.GetMethod(FunctionIndex(vm.Code, "Main", "answer"));

        Assert.True(vm.Module.Reload(Version(2)).Applied);

        Assert.Equal(1, (int)oldMethod.Invoke(null, null)!);
        Assert.Equal(2, vm.CallStatic<int>("Main", "answer"));
    }

    [Fact]
    public void An_added_class_shifts_indices_the_matching_follows_them_and_a_VM_without_HotReload_refuses_it_whole()
    {
        using var vm = Started();
        var v1 = vm.Code;
        var v3 = Version(3);
        var answer1 = FunctionIndex(v1, "Main", "answer");
        var answer3 = FunctionIndex(v3, "Main", "answer");
        var greet1 = FunctionIndex(v1, "Main", "greet");
        var greet3 = FunctionIndex(v3, "Main", "greet");

        var plan = ReloadPlanner.Plan(vm.Module, v3);
        var outcome = vm.Module.Reload(v3);

        // The recompile moved functions and types: index matching would patch the wrong ones.
        Assert.True(answer1 != answer3 || greet1 != greet3 || v1.Types.Length != v3.Types.Length);
        Assert.Equal(answer1, plan.Map.Function(answer3));
        Assert.Equal(greet1, plan.Map.Function(greet3));
        Assert.False(outcome.Applied);
        // Loaded without HotReload, the module kept no room for additions (ReloadAdditionTests apply them with it).
        Assert.Contains(outcome.Refused, r => r.ToString().Contains("class Extra: added", StringComparison.Ordinal) && r.Reason.Contains("restart needed", StringComparison.Ordinal));
        Assert.Contains(outcome.Refused, r => r.ToString().Contains("Extra.twice", StringComparison.Ordinal));
        Assert.Empty(outcome.FunctionsChanged);
        // Refused whole: the old program runs on, v2's body change of label was not applied either.
        Assert.Equal(1, vm.CallStatic<int>("Main", "answer"));
        Assert.Equal("first hello", vm.CallStatic<string>("Main", "label"));
    }

    [Fact]
    public void A_generation_whose_bodies_were_all_replaced_again_is_unloaded()
    {
        using var vm = Started();
        var answer = FunctionIndex(vm.Code, "Main", "answer");
        Assert.True(vm.Module.Reload(Version(2)).Applied);
        var generation = WeakAssemblyOf(vm, answer);

        Assert.True(vm.Module.Reload(Version(1)).Applied);   // replaces both bodies v2 brought

        for (var i = 0; i < 20 && generation.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(generation.IsAlive, "the first reload's assembly is still loaded");
        Assert.Equal(1, vm.CallStatic<int>("Main", "answer"));
    }

    [Fact]
    public void A_changed_closure_is_matched_by_its_creator_and_a_closure_made_before_runs_the_new_body()
    {
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile("ReloadClosure/v1"));
        vm.RunEntry();
        Assert.Equal(11, vm.CallStatic<int>("Main", "callHeld", 1));

        var outcome = vm.Module.Reload(HlCode.ReadFile(HaxeFixtures.Compile("ReloadClosure/v2")));

        Assert.True(outcome.Applied, string.Join("\n", outcome.Refused));
        Assert.Equal(["Main.make (static)~0"], outcome.ClosuresChanged);
        Assert.Equal(21, vm.CallStatic<int>("Main", "callHeld", 1));   // made by v1, captured k = 10
        Assert.Equal(201, vm.CallStatic<int>("Main", "fresh", 1));
    }

    [Fact]
    public void A_reload_while_four_Haxe_threads_call_the_changed_function_parks_them_and_applies_whole()
    {
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile("ReloadThreads/v1"));
        vm.RunEntry();
        var threads = Enumerable.Range(0, 4).ToArray();
        Within(() => threads.All(i => vm.CallStatic<int>("Main", "callsOf", i) > 100), "the threads never got going");

        var outcome = vm.ApplyPaused(HlCode.ReadFile(HaxeFixtures.Compile("ReloadThreads/v2")), TimeSpan.FromSeconds(20));

        Assert.True(outcome.Applied, string.Join("\n", outcome.Refused));
        Assert.Equal(["Main.version (static)"], outcome.FunctionsChanged);
        Within(() => threads.All(i => vm.CallStatic<int>("Main", "newestOf", i) == 2), "a thread never ran the new body");
        var lost = -1;
        Within(() => (lost = vm.CallStatic<int>("Main", "finish")) >= 0, "the threads did not stop");
        Assert.Equal(0, lost);
        Assert.Equal(0, vm.CallStatic<int>("Main", "errorCount"));   // no thread saw 1 after 2
    }

    /// <summary>Polls a condition until it holds, for at most 30 s (a limit that only matters when the test fails).</summary>
    private static void Within(Func<bool> condition, string failure) =>
        Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)), failure);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WeakAssemblyOf(HlVm vm, int functionIndex) => new(vm.Module.GetMethod(functionIndex).Module.Assembly);

    private static int FunctionIndex(HlCode code, string type, string field) =>
        code.Functions.Single(f => f.Owner is { } o && o.TypeName == type && o.FieldName == field).Index;
}
