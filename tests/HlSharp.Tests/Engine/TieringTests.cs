using System.Reflection;
using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// Which compiled functions skip the JIT's first tier (<c>FunctionCompiler.Tiering.cs</c>): small
/// ones and those that call themselves are optimised at once, a large one is left to tiering.
/// The fixture is <c>tests/fixtures/CallSites</c>; the answers checked are those of code that is
/// not collectible, which is the code tiering applies to (<c>hlsharp run</c>).
/// </summary>
public sealed class TieringTests
{
    [Fact]
    public void Small_and_self_calling_functions_are_optimised_at_once_and_the_entry_is_left_to_tiering()
    {
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile("CallSites/v1"), new HlVmOptions { CollectibleCode = false, StandardOutput = new MemoryStream() });
        vm.RunEntry();
        Assert.Equal(5000, vm.CallStatic<int>("Main", "depth", 5000));
        Assert.Equal(11, vm.CallStatic<int>("Main", "useHelper"));
        var error = Assert.Throws<HlHaxeException>(() => vm.CallStatic<int>("Main", "fail", 5));
        Assert.Equal(6, error.HaxeStack.Count(f => f.Contains("Main.fail", StringComparison.Ordinal)));

        Assert.True(Optimised(vm, "depth"));
        Assert.True(Optimised(vm, "helper"));
        // The entry (static initialisation of the whole standard library, then main) runs once and is large.
        var entry = vm.Module.GetMethod(vm.Code.EntryPoint);
        Assert.True(vm.Code.GetFunction(vm.Code.EntryPoint)!.Ops.Length > 10);
        Assert.False(entry.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization));
    }

    private static bool Optimised(HlVm vm, string field)
    {
        var index = vm.Code.Functions.Single(f => f.Owner is { } o && o.TypeName == "Main" && o.FieldName == field).Index;
        return vm.Module.GetMethod(index).MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization);
    }
}
