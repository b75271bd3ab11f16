using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Reload;

/// <summary>
/// The room hot reload keeps for additions (docs/HOT-RELOAD.md section 5): only with
/// <c>HlVmOptions.HotReload</c>; without it the slot and type tables are exactly as before, and a
/// reload that adds functions is refused with "restart needed".
/// </summary>
public sealed class ReloadReserveTests
{
    private static string V1 => HaxeFixtures.Compile("ReloadAddFunction/v1");

    [Fact]
    public void Without_HotReload_the_slot_and_type_tables_keep_their_size()
    {
        using var vm = HlVm.LoadFile(V1);
        var code = vm.Code;
        var wrappers = code.Types.Sum(t => t is HlFunctionType f ? f.Arguments.Count + 1 : 0);

        Assert.Equal(code.FunctionIndexCount, vm.Module.Storage.FunctionCapacity);
        Assert.Equal(code.FunctionIndexCount + wrappers + 64, vm.Module.Storage.Slots.Length);
        Assert.Equal(code.Types.Length, vm.Module.Storage.TypeCapacity);
        Assert.Equal(code.FunctionIndexCount, vm.Module.Storage.SlotCount); // wrappers start right after the functions
    }

    [Fact]
    public void With_HotReload_room_is_kept_for_added_functions_and_types()
    {
        using var vm = HlVm.LoadFile(V1, new HlVmOptions { HotReload = true });
        var code = vm.Code;

        Assert.Equal(code.FunctionIndexCount + Math.Max(1024, code.FunctionIndexCount), vm.Module.Storage.FunctionCapacity);
        Assert.Equal(code.Types.Length + Math.Max(1024, code.Types.Length), vm.Module.Storage.TypeCapacity);
        Assert.Equal(vm.Module.Storage.FunctionCapacity, vm.Module.Storage.SlotCount);
    }

    [Fact]
    public void A_reload_adding_functions_to_a_VM_without_room_is_refused_restart_needed_and_changes_nothing()
    {
        using var vm = HlVm.LoadFile(V1);
        vm.RunEntry();

        var outcome = vm.Module.Reload(HlCode.ReadFile(HaxeFixtures.Compile("ReloadAddFunction/v2")));

        Assert.False(outcome.Applied);
        var scaled = Assert.Single(outcome.Refused, r => r is { Type: "class Counter", Member: "scaled" });
        Assert.Contains("restart needed", scaled.Reason, StringComparison.Ordinal);
        Assert.Equal(vm.Code.FunctionIndexCount, vm.Module.FunctionCount);
        Assert.Equal(2, vm.CallStatic<int>("Main", "run"));
    }
}
