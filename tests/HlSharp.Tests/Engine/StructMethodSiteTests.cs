using HlSharp.Runtime;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// What the inline cache of a method called through a typed structure (<see cref="MethodSite"/>)
/// calls directly, on the classes of <c>tests/fixtures/LangStructCalls</c> (whose output
/// <see cref="LanguageTests"/> compares with HashLink's). HashLink compiles a type parameter to
/// <c>dyn</c>, so <c>Box&lt;T&gt;.get</c> returns <c>dyn</c> while the structure it is seen
/// through says <c>String</c>: such a call is direct and its result cast as the dynamic path casts
/// it; a call that would need a conversion the direct call cannot make (a value type) stays dynamic.
/// </summary>
public sealed class StructMethodSiteTests
{
    [Fact]
    public void A_generic_method_returning_dyn_for_a_typed_structure_is_called_directly_and_its_result_cast()
    {
        using var vm = Load();
        var (box, get) = Method(vm, "Box", "get");

        var function = Site(vm, "get", returning: "String").Find(box, out var self, out var bound, out var castsResult);

        Assert.Equal(get, function);
        Assert.Same(box, self);
        Assert.True(bound);
        Assert.True(castsResult);
    }

    [Fact]
    public void A_dyn_parameter_takes_the_reference_the_structure_passes_without_a_cast()
    {
        using var vm = Load();
        var (box, put) = Method(vm, "Box", "put");

        var function = Site(vm, "put", returning: "void", parameter: "String").Find(box, out _, out _, out var castsResult);

        Assert.Equal(put, function);
        Assert.False(castsResult);
    }

    [Fact]
    public void A_structure_that_takes_dyn_is_called_directly_without_a_cast_and_one_of_the_method_s_own_types_too()
    {
        using var vm = Load();
        var (box, get) = Method(vm, "Box", "get");
        var (_, name) = Method(vm, "Box", "name");

        Assert.Equal(get, Site(vm, "get", returning: "dyn").Find(box, out _, out _, out var dynCast));
        Assert.False(dynCast);
        Assert.Equal(name, Site(vm, "name", returning: "String").Find(box, out _, out _, out var nameCast));
        Assert.False(nameCast);
    }

    [Fact]
    public void A_value_type_result_or_parameter_where_the_method_has_dyn_takes_the_dynamic_path()
    {
        using var vm = Load();
        var (box, _) = Method(vm, "Box", "get");

        Assert.Equal(-1, Site(vm, "get", returning: "i32").Find(box, out _, out _, out _));
        Assert.Equal(-1, Site(vm, "put", returning: "void", parameter: "i32").Find(box, out _, out _, out _));
    }

    private static HlVm Load() => HlVm.Load(HaxeFixtures.Bytes("LangStructCalls"), new HlVmOptions { StandardOutput = new MemoryStream() });

    /// <summary>A new instance of a class of the fixture and the function its method of that name is.</summary>
    private static (HlInstance Instance, int Function) Method(HlVm vm, string className, string method)
    {
        var module = vm.Module;
        var type = module.Types.First(t => t.Kind == HlSharp.Bytecode.HlTypeKind.Obj && t.Name == className);
        return (module.Runtime.AllocateObject(type), type.MethodsByHash[module.Hashes.Hash(method)]);
    }

    /// <summary>
    /// A site calling <paramref name="name"/> through one of the fixture's structures: the field of
    /// that name in a virtual type whose method returns <paramref name="returning"/> and takes
    /// <paramref name="parameter"/> (or nothing), as the compiler makes one for a CallMethod.
    /// </summary>
    private static MethodSite Site(HlVm vm, string name, string returning, string? parameter = null)
    {
        var module = vm.Module;
        var field = module.Types
            .Where(t => t.Kind == HlSharp.Bytecode.HlTypeKind.Virtual)
            .SelectMany(t => t.Fields)
            .First(f => f.Name == name && f.Type.Return?.Name == returning
                && (parameter is null ? f.Type.Arguments.Length == 0 : f.Type.Arguments.Length == 1 && f.Type.Arguments[0].Name == parameter));
        return new MethodSite(module.Runtime, field.Hash, field.Type);
    }
}
