using System.Runtime.CompilerServices;
using HlSharp.Bytecode;
using HlSharp.Engine;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Reload;

/// <summary>
/// Hot reload's internals (issue 11, docs/HOT-RELOAD.md): what needs the module to be seen, the
/// index map and the unloading of replaced code. What a host sees is tested through the public API
/// in tests/HlSharp.Api.Tests/Reload*Tests.cs. The fixture's versions are compiled by haxe: v2
/// changes two bodies and adds a string constant, v3 also adds a class.
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
    public void Two_hundred_public_reloads_alternating_two_versions_leave_only_the_newest_generation_loaded()
    {
        // Issue 11 item 8 (memory flat over 200 reloads), through HotReload and vm.Reload as a
        // host does it; the module is looked into only to hold each generation weakly. The heap
        // and assembly figures are the bench's (bench/HlSharp.Bench -- reload): in a parallel
        // test run other tests' VMs move them.
        var v1 = HaxeFixtures.Bytes("ReloadBody/v1");
        var v2 = HaxeFixtures.Bytes("ReloadBody/v2");
        using var vm = HlVm.Load(v1, new HlVmOptions { HotReload = true, StandardOutput = Stream.Null });
        vm.RunEntry();
        var answer = FunctionIndex(vm.Code, "Main", "answer");
        var generations = new List<WeakReference>();
        for (var i = 1; i <= 200; i++)
        {
            var result = vm.Reload(i % 2 == 1 ? v2 : v1);
            Assert.Equal(2, result.FunctionsChanged.Count);
            Assert.Equal(i % 2 == 1 ? 2 : 1, vm.CallStatic<int>("Main", "answer"));
            generations.Add(WeakAssemblyOf(vm, answer));
        }

        for (var i = 0; i < 20 && generations.SkipLast(1).Any(g => g.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        var alive = generations.SkipLast(1).Count(g => g.IsAlive);
        Assert.True(alive == 0, $"{alive} of 199 replaced generations are still loaded");
        Assert.True(generations[^1].IsAlive);
        Assert.Equal(1, vm.CallStatic<int>("Main", "answer"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WeakAssemblyOf(HlVm vm, int functionIndex) => new(vm.Module.GetMethod(functionIndex).Module.Assembly);

    private static int FunctionIndex(HlCode code, string type, string field) =>
        code.Functions.Single(f => f.Owner is { } o && o.TypeName == type && o.FieldName == field).Index;
}
